"""R201 and R211: formulas reference queries defined in the same request."""

import re

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, shared, walk_requests
from metta_dash.rules.formula_syntax import query_references

_POSITIONAL = re.compile(r"query([1-9][0-9]*)")


def _positional(name, count):
    """Whether `name` is `queryN` for a query position N of a request with `count` queries."""
    match = _POSITIONAL.fullmatch(name)
    return match is not None and int(match.group(1)) <= count


def _unresolved(dashboard):
    """[(path, unknown names, defined names, query count)] for each formula naming queries the request lacks,
    worked out once for both rules."""
    return shared(dashboard, "formula-unresolved", lambda dashboard: list(_find_unresolved(dashboard)))


def _find_unresolved(dashboard):
    for _, path, request in walk_requests(dashboard):
        formulas = request.get("formulas")
        if not isinstance(formulas, list) or not formulas:
            continue
        queries = request.get("queries")
        names = set()  # the string `name`s of the request's queries, in a plain loop: this runs for every request
        count = 0
        if isinstance(queries, list):
            count = len(queries)
            for query in queries:
                if isinstance(query, dict):
                    name = query.get("name")
                    if isinstance(name, str):
                        names.add(name)
        # A plain loop rather than base.dict_items: this runs for nearly every request.
        for index, formula in enumerate(formulas):
            expression = formula.get("formula") if isinstance(formula, dict) else None
            if not isinstance(expression, str):
                continue
            references = query_references(expression)
            if names.issuperset(references):
                continue
            unknown = list(dict.fromkeys(name for name in references if name not in names))
            yield path + ("formulas", index, "formula"), unknown, names, count


def _by_position(unknown, names, count):
    """Whether every unknown name may be a position: no query is named and each is `queryN` within the count."""
    return not names and all(_positional(name, count) for name in unknown)


@rule("R201", "formula-unknown-query", Severity.ERROR)
def formula_unknown_query(dashboard):
    """Every name in a formula must be the `name` of a query in the same request (function names aside).

    `query1 + query9` with no query named `query9` fails when the widget runs. (`queryN` over queries that
    carry no names at all is R211.)
    """
    for path, unknown, names, count in _unresolved(dashboard):
        if not _by_position(unknown, names, count):
            defined = ", ".join(sorted(names)) or "none"
            yield (
                path,
                f"formula uses {', '.join(unknown)}, not a query of this request (queries: {defined})",
                "name a query in this request's queries, or fix the formula",
            )


@rule("R211", "formula-unnamed-queries", Severity.WARNING)
def formula_unnamed_queries(dashboard):
    """A formula names `queryN` but the request's queries carry no names: it may resolve by position.

    The API stores such a request as sent; whether the widget maps `query1` to the first query cannot be
    known offline.
    """
    for path, unknown, names, count in _unresolved(dashboard):
        if _by_position(unknown, names, count):
            yield (
                path,
                f"formula uses {', '.join(unknown)} but the request's queries carry no names: it may resolve by "
                "position",
                "give each query its \"name\" (query1, query2, ...) so the formula's references are explicit",
            )
