"""The rules registry, the widget walkers, and robustness on malformed dashboards."""

from __future__ import annotations

import re

import pytest

from metta_dash import rules
from metta_dash.findings import Severity
from metta_dash.rules import base


def test_ids_and_slugs_are_unique_and_well_formed() -> None:
    registered = rules.all_rules()
    assert len({r.id for r in registered}) == len(registered)
    assert len({r.slug for r in registered}) == len(registered)
    for rule in registered:
        assert re.fullmatch(r"R\d{3}", rule.id)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.slug)
        assert rule.severity in (Severity.ERROR, Severity.WARNING)
        assert rule.description and "\n" not in rule.description
    assert [r.id for r in registered] == sorted(r.id for r in registered)


def test_walk_widgets_gives_exact_paths_and_parents() -> None:
    dashboard = {"widgets": [
        {"definition": {"type": "note"}},
        "not a widget",
        {"definition": {"type": "group", "widgets": [{"definition": {"type": "timeseries"}}]}},
    ]}
    walked = [(ref.path, ref.type, ref.parent.path if ref.parent else None) for ref in base.walk_widgets(dashboard)]
    assert walked == [
        (("widgets", 0), "note", None),
        (("widgets", 2), "group", None),
        (("widgets", 2, "definition", "widgets", 0), "timeseries", ("widgets", 2)),
    ]


def test_indexed_walk_matches_the_plain_walk() -> None:
    dashboard = {"widgets": [{"definition": {"type": "group", "widgets": [
        {"definition": {"type": "query_value", "requests": [{"q": "a{*}"}, "junk", {"q": "b{*}"}]}}]}}]}
    plain = [(ref.path, path) for ref, path, _ in base.walk_requests(dashboard)]
    with base.indexed(dashboard):
        shared = [(ref.path, path) for ref, path, _ in base.walk_requests(dashboard)]
    assert plain == shared
    assert [path for _, path in plain] == [
        ("widgets", 0, "definition", "widgets", 0, "definition", "requests", 0),
        ("widgets", 0, "definition", "widgets", 0, "definition", "requests", 2),
    ]


MALFORMED = [
    {},
    {"widgets": "nope", "template_variables": "x", "tags": "team:a", "template_variable_presets": [1, None]},
    {"layout_type": "free", "reflow_type": 3, "widgets": [None, 1, [], {"layout": "x"}, {"definition": []}]},
    {"layout_type": "ordered", "reflow_type": "fixed", "widgets": [
        {"layout": {"x": "0", "y": None, "width": True, "height": []}, "definition": {"type": "note"}},
        {"layout": [], "definition": {"type": "group", "widgets": {"a": 1}}},
        {"layout": {"x": 0, "y": 0, "width": 6, "height": 2, "is_column_break": "yes"},
         "definition": {"type": "group", "widgets": [{"layout": {"x": 1.5, "y": 0, "width": 20, "height": 1}}]}},
    ]},
    {"widgets": [{"id": {"a": 1}, "definition": {"type": "wildcard", "specification": [1], "requests": [
        {"queries": "q", "formulas": [None, {"formula": 3}, {"formula": "query1 +"}], "response_format": 1},
        {"queries": [{"name": None, "data_source": "metrics", "query": None}, 7]},
    ]}}]},
    {"template_variables": [None, {"name": 5, "defaults": "x"}, {"defaults": [None, ""]}],
     "template_variable_presets": [{"template_variables": [{"values": None}, "x"]}, {"template_variables": 2}],
     "tags": [1, None, "team:"]},
    {"widgets": [{"definition": {"type": "timeseries", "requests": [{"q": {"$env": 1}, "queries": [
        {"data_source": "metrics", "name": "query1", "query": "avg:a{$x"}]}]}}]},
]


@pytest.mark.parametrize("dashboard", MALFORMED)
def test_rules_do_not_fail_on_malformed_dashboards(dashboard: dict) -> None:
    for finding in rules.check(dashboard):
        assert "could not check" not in finding.message, finding


def test_a_failing_rule_becomes_a_warning_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(dashboard):
        yield ("tags",), "first finding before the failure", ""
        raise RuntimeError("boom")

    broken = base.Rule("R999", "always-fails", Severity.ERROR, "Fails.", explode)
    monkeypatch.setattr(rules, "RULES", (broken, *rules.RULES))
    found = rules.check({"layout_type": "free", "reflow_type": "auto", "widgets": []})
    assert [(f.rule, f.severity) for f in found] == [
        ("R999", Severity.ERROR), ("R999", Severity.WARNING), ("R103", Severity.ERROR),
    ]
    assert "RuntimeError: boom" in found[1].message


def test_a_rule_failing_when_called_becomes_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    def eager(dashboard):  # a plain function, not a generator: it fails as soon as it is called
        raise KeyError("widgets")

    broken = base.Rule("R999", "fails-at-once", Severity.ERROR, "Fails.", eager)
    monkeypatch.setattr(rules, "RULES", (broken,))
    (found,) = rules.check({"widgets": []})
    assert (found.rule, found.severity) == ("R999", Severity.WARNING)
    assert "KeyError" in found.message


def test_check_ignores_documents_that_are_not_objects() -> None:
    assert rules.check([]) == []  # type: ignore[arg-type]
