"""R201 and R211: formulas reference queries defined in the same request."""

import re

from metta_dash.findings import Severity
from metta_dash.rules.base import rule
from metta_dash.rules.formulas import formula_problems

_POSITIONAL = re.compile(r"query([1-9][0-9]*)")


def _positional(name, count):
    """Whether `name` is `queryN` for a query position N of a request with `count` queries."""
    match = _POSITIONAL.fullmatch(name)
    return match is not None and int(match.group(1)) <= count


def _unresolved(dashboard):
    """[(path, unknown names, defined names, query count)] for each formula naming queries the request lacks."""
    return [(path, unknown, names, count) for path, unknown, names, count, _ in formula_problems(dashboard) if unknown]


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
