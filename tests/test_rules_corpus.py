"""The semantic rules against the real dashboards Datadog ships.

1. Every corpus dashboard is accepted by Datadog, so no rule may report an error on any of them.
2. Mutating a real dashboard the way people get it wrong makes exactly the expected rule fire, at the
   exact JSON path.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from metta_dash import rules
from metta_dash.findings import format_path
from metta_dash.rules.base import top_level_widgets, walk_requests, walk_widgets
from metta_dash.validate import check_dashboard

Expected = list[tuple[str, tuple]]
Mutation = Callable[[dict[str, Any]], Expected | None]
DASHBOARDS_PER_MUTATION = 3


def rule_findings(dashboard: dict) -> set[tuple[str, str]]:
    return {(f.rule, f.jsonpath) for f in check_dashboard(dashboard) if f.rule.startswith("R")}


def test_no_rule_reports_an_error_on_the_corpus(corpus: dict[str, dict]) -> None:
    errors = [
        f"{name}::{finding.jsonpath}: [{finding.rule}] {finding.message}"
        for name, dashboard in corpus.items()
        for finding in check_dashboard(dashboard, name)
        if finding.rule.startswith("R") and finding.is_error
    ]
    assert errors == []


# Each mutation changes the dashboard in place and returns the findings it must cause, or None when the
# dashboard has nothing to mutate that way.

def _fixed_widget_without_x(d: dict) -> Expected | None:
    if d.get("layout_type") != "ordered" or d.get("reflow_type") != "fixed":
        return None
    for ref in top_level_widgets(d):
        if ref.type != "group" and ref.layout and "x" in ref.layout:
            del ref.layout["x"]
            return [("R102", ref.path + ("layout",))]
    return None


def _group_on_free_dashboard(d: dict) -> Expected | None:
    if d.get("layout_type") != "free":
        return None
    d["widgets"].append({"definition": {"type": "group", "layout_type": "ordered", "widgets": []},
                         "layout": {"x": 0, "y": 10_000, "width": 12, "height": 1}})
    return [("R104", ("widgets", len(d["widgets"]) - 1, "definition", "type"))]


def _nested_group(d: dict) -> Expected | None:
    groups = [ref for ref in top_level_widgets(d)
              if ref.type == "group" and isinstance(ref.definition.get("widgets"), list)]
    if len(groups) < 2:
        return None
    inner = groups[0].definition["widgets"]
    nested = copy.deepcopy(groups[1].definition)
    for widget in nested["widgets"]:
        widget.pop("id", None)  # keep ids unique: only the nesting is wrong
    inner.append({"definition": nested})
    return [("R105", groups[0].path + ("definition", "widgets", len(inner) - 1, "definition", "type"))]


def _past_twelve_columns(d: dict) -> Expected | None:
    if d.get("layout_type") != "ordered":
        return None
    for ref in top_level_widgets(d):  # ordered top-level positions are hints, so moving one overlaps nothing
        if ref.layout and ref.layout.get("width", 0) <= 12:
            ref.layout["x"] = 13 - ref.layout["width"]
            return [("R106", ref.path + ("layout",))]
    return None


def _second_column_break(d: dict) -> Expected | None:
    widgets = top_level_widgets(d)
    breaks = [i for i, ref in enumerate(widgets) if ref.layout and ref.layout.get("is_column_break")]
    if len(breaks) != 1:
        return None
    later = [ref for ref in widgets[breaks[0] + 1:] if ref.layout]
    if not later:
        return None
    later[-1].layout["is_column_break"] = True
    return [("R107", later[-1].path + ("layout", "is_column_break"))]


def _formulas_requests(d: dict) -> Iterator[tuple[tuple, dict]]:
    for _, path, request in walk_requests(d):
        formulas, queries = request.get("formulas"), request.get("queries")
        if isinstance(formulas, list) and formulas and isinstance(queries, list):
            yield path, request


def _formula_uses_query9(d: dict) -> Expected | None:
    for path, request in _formulas_requests(d):
        if all(q.get("name") != "query9" for q in request["queries"]):
            request["formulas"][0]["formula"] = "query9 * 100"
            return [("R201", path + ("formulas", 0, "formula"))]
    return None


def _formula_function_typo(d: dict) -> Expected | None:
    for path, request in _formulas_requests(d):
        name = request["queries"][0].get("name") if request["queries"] else None
        if isinstance(name, str):
            request["formulas"][0]["formula"] = f"timeshit({name}, -3600)"
            return [("R210", path + ("formulas", 0, "formula"))]
    return None


def _unnamed_queries(d: dict) -> Expected | None:
    for path, request in _formulas_requests(d):
        if len(request["formulas"]) == 1 and request["queries"]:
            for query in request["queries"]:
                query.pop("name", None)
            request["formulas"][0]["formula"] = "query1"
            return [("R211", path + ("formulas", 0, "formula"))]
    return None


def _metric_queries(d: dict) -> Iterator[tuple[tuple, dict]]:
    for path, request in _formulas_requests(d):
        for index, query in enumerate(request["queries"]):
            if query.get("data_source") == "metrics" and isinstance(query.get("query"), str):
                yield path + ("queries", index, "query"), query


def _legacy_queries(d: dict) -> Iterator[tuple[tuple, dict]]:
    for _, path, request in walk_requests(d):
        if isinstance(request.get("q"), str) and "{" in request["q"]:
            yield path + ("q",), request


_AGGREGATOR = re.compile(r"^(avg|sum|min|max):")
_SCOPE = re.compile(r"\{[^{}]*\}")
_GROUPING = re.compile(r"by \{([^{}]*)\}")


def _misspelt_aggregator(d: dict) -> Expected | None:
    for path, query in _metric_queries(d):
        if _AGGREGATOR.match(query["query"]):
            query["query"] = _AGGREGATOR.sub(lambda m: m.group(1) + m.group(1)[-1] + ":", query["query"])
            return [("R213", path)]
    return None


def _misspelt_in_query_function(d: dict) -> Expected | None:
    for path, request in _legacy_queries(d):
        if request["q"].endswith(".as_count()") and "," not in request["q"].split("}")[-1]:
            request["q"] = request["q"][: -len(".as_count()")] + ".as_cont()"
            return [("R213", path)]
    return None


def _unbalanced_brace(d: dict) -> Expected | None:
    for path, query in _metric_queries(d):
        if query["query"].count("}") == 1 and "$" not in query["query"]:  # a `$var}` would run into the text
            query["query"] = query["query"].replace("}", "", 1)
            return [("R212", path)]
    return None


def _empty_scope(d: dict) -> Expected | None:
    for path, request in _legacy_queries(d):
        if request["q"].count("{") == 1:
            request["q"] = _SCOPE.sub("{}", request["q"])
            return [("R212", path)]
    return None


def _by_without_braces(d: dict) -> Expected | None:
    for path, query in _metric_queries(d):
        if _GROUPING.search(query["query"]):
            query["query"] = _GROUPING.sub(lambda m: "by " + m.group(1), query["query"])
            return [("R212", path)]
    return None


def _unknown_template_variable(d: dict) -> Expected | None:
    if any(tv.get("name") == "envx" for tv in d.get("template_variables") or []):
        return None
    for path, query in _metric_queries(d):
        query["query"] = "avg:system.cpu.user{$envx} by {host}"
        return [("R209", path)]
    return None


def _comma_separated_series(d: dict) -> Expected | None:
    for path, query in _metric_queries(d):
        query["query"] = f"{query['query']}, avg:system.cpu.user{{*}}"
        return [("R208", path)]
    return None


def _no_response_format(d: dict) -> Expected | None:
    for path, request in _formulas_requests(d):
        if "response_format" in request:
            del request["response_format"]
            return [("R204", path)]
    return None


def _request_with_only_style(d: dict) -> Expected | None:
    for ref in walk_widgets(d):
        if ref.type == "timeseries" and isinstance(ref.definition.get("requests"), list):
            ref.definition["requests"].append({"style": {"palette": "dog_classic"}, "display_type": "line"})
            return [("R206", ref.path + ("definition", "requests", len(ref.definition["requests"]) - 1))]
    return None


def _env_tag(d: dict) -> Expected | None:
    d["tags"] = ["env:prod"]
    return [("R301", ("tags", 0))]


def _six_tags(d: dict) -> Expected | None:
    d["tags"] = [f"team:team{i}" for i in range(6)]
    return [("R301", ("tags",))]


def _default_and_defaults(d: dict) -> Expected | None:
    for index, variable in enumerate(d.get("template_variables") or []):
        if "default" in variable and "defaults" not in variable:
            variable["defaults"] = [variable["default"]]
            return [("R302", ("template_variables", index))]
    return None


def _raw_vega_lite(d: dict) -> Expected | None:
    for ref in walk_widgets(d):
        if ref.type == "wildcard" and isinstance(ref.definition.get("specification"), dict):
            ref.definition["specification"] = ref.definition["specification"]["contents"]
            return [("R401", ref.path + ("definition", "specification"))]
    return None


def _duplicate_widget_id(d: dict) -> Expected | None:
    with_ids = [ref for ref in walk_widgets(d) if isinstance(ref.widget.get("id"), int)]
    inner = [ref for ref in with_ids if ref.parent is not None]
    if not inner or with_ids[0].parent is not None:
        return None
    inner[-1].widget["id"] = with_ids[0].widget["id"]
    return [("R110", inner[-1].path + ("id",))]


MUTATIONS: dict[str, Mutation] = {
    "fixed reflow widget without x": _fixed_widget_without_x,
    "group on a free dashboard": _group_on_free_dashboard,
    "nested group": _nested_group,
    "x + width = 13": _past_twelve_columns,
    "two column breaks": _second_column_break,
    "formula referencing query9": _formula_uses_query9,
    "formula calling timeshit": _formula_function_typo,
    "formula over unnamed queries": _unnamed_queries,
    "unknown $envx": _unknown_template_variable,
    "formulas without response_format": _no_response_format,
    "request with only style": _request_with_only_style,
    "tag env:prod": _env_tag,
    "six tags": _six_tags,
    "default and defaults": _default_and_defaults,
    "raw Vega-Lite specification": _raw_vega_lite,
    "duplicate widget ids": _duplicate_widget_id,
    "comma-separated series in a formulas query": _comma_separated_series,
    "misspelt aggregator (avgg:)": _misspelt_aggregator,
    "misspelt in-query function (.as_cont())": _misspelt_in_query_function,
    "unbalanced brace": _unbalanced_brace,
    "empty scope": _empty_scope,
    "by without braces": _by_without_braces,
}


@pytest.mark.parametrize("mutate", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_mutated_corpus_dashboards_raise_the_expected_rule(corpus: dict[str, dict], mutate: Mutation) -> None:
    tried = 0
    for name, original in corpus.items():
        mutated = copy.deepcopy(original)
        expected = mutate(mutated)
        if expected is None:
            continue
        before = rule_findings(original)
        new = rule_findings(mutated) - before
        assert new == {(rule, format_path(path)) for rule, path in expected}, name
        tried += 1
        if tried == DASHBOARDS_PER_MUTATION:
            break
    assert tried, "no corpus dashboard could be mutated this way"


ODD_VALUES = [None, 0, 1.5, True, "", "$", "x", [], {}, [None], {"a": None}, -1, 10**20]


def _slots(node: Any, out: list) -> list:
    if isinstance(node, dict):
        for key, child in node.items():
            out.append((node, key))
            _slots(child, out)
    elif isinstance(node, list):
        for index, child in enumerate(node):
            out.append((node, index))
            _slots(child, out)
    return out


def test_rules_survive_corrupted_corpus_dashboards(corpus: dict[str, dict]) -> None:
    """Values of the wrong type anywhere (the schema reports them) never make a rule fail."""
    rng = random.Random(20260101)
    names = sorted(corpus)
    for _ in range(300):
        dashboard = copy.deepcopy(corpus[rng.choice(names)])
        slots = _slots(dashboard, [])
        for _ in range(rng.randint(1, 5)):
            parent, key = rng.choice(slots)
            parent[key] = copy.deepcopy(rng.choice(ODD_VALUES))
        failures = [f for f in rules.check(dashboard) if "could not check" in f.message]
        assert failures == []
