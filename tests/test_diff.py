"""The per-widget diff: named by widget title, type and JSON path; inserts do not cascade."""

from __future__ import annotations

import copy

from metta_dash.diff import diff, render


def ts(title: str, marker: int = 48) -> dict:
    return {"definition": {"type": "timeseries", "title": title, "requests": [{"q": f"avg:{title}{{*}}"}],
                           "markers": [{"value": marker}]}}


def dashboard(*widgets: dict) -> dict:
    return {"title": "D", "layout_type": "ordered", "widgets": list(widgets)}


def test_equal_dashboards_have_no_changes():
    assert diff(dashboard(ts("A")), dashboard(ts("A"))) == []


def test_a_changed_value_names_its_widget_and_path():
    old = dashboard(ts("Deploys"), ts("PR Cycle Time"))
    new = dashboard(ts("Deploys"), ts("PR Cycle Time", marker=24))
    assert render(diff(old, new)) == "~ timeseries 'PR Cycle Time' $.widgets[1].definition.markers[0].value: 48 -> 24"


def test_a_widget_inserted_in_the_middle_is_one_addition():
    old = dashboard(ts("A"), ts("C"), ts("D"))
    new = dashboard(ts("A"), ts("B"), ts("C"), ts("D"))
    assert render(diff(old, new)) == "+ widget 'B' (timeseries) added at $.widgets[1], queries: avg:B{*}"


def test_a_removed_widget():
    old = dashboard(ts("A"), ts("B"), ts("C"))
    new = dashboard(ts("A"), ts("C"))
    assert render(diff(old, new)) == "- widget 'B' (timeseries) removed from $.widgets[1]"


def test_a_renamed_widget_is_a_title_change():
    changes = diff(dashboard(ts("A"), ts("B")), dashboard(ts("A"), ts("Bee")))
    assert [c.jsonpath for c in changes] == ["$.widgets[1].definition.title", "$.widgets[1].definition.requests[0].q"]
    assert changes[0].describe() == "~ timeseries 'Bee' $.widgets[1].definition.title: \"B\" -> \"Bee\""


def test_a_moved_widget():
    changes = diff(dashboard(ts("A"), ts("B"), ts("C")), dashboard(ts("C"), ts("A"), ts("B")))
    assert render(changes) == "~ widget 'C' (timeseries) moved from $.widgets[2] to $.widgets[0]"


def test_group_members_are_matched_inside_their_group():
    group = {"definition": {"type": "group", "title": "G", "layout_type": "ordered", "widgets": [ts("X"), ts("Y")]}}
    edited = copy.deepcopy(group)
    edited["definition"]["widgets"].insert(1, ts("New"))
    edited["definition"]["widgets"][2]["definition"]["markers"][0]["value"] = 1
    lines = render(diff(dashboard(group), dashboard(edited))).splitlines()
    assert lines == [
        "+ widget 'New' (timeseries) added at $.widgets[0].definition.widgets[1], queries: avg:New{*}",
        "~ timeseries 'Y' $.widgets[0].definition.widgets[2].definition.markers[0].value: 48 -> 1",
    ]


def test_dashboard_level_changes_and_absent_values():
    old = {"title": "D", "layout_type": "ordered", "widgets": []}
    new = {"title": "E", "layout_type": "ordered", "widgets": [], "description": "x"}
    assert render(diff(old, new)).splitlines() == [
        '~ dashboard $.title: "D" -> "E"',
        '~ dashboard $.description: (absent) -> "x"',
    ]


def test_true_is_not_one():
    assert diff({"widgets": [], "x": True}, {"widgets": [], "x": 1}) != []


def test_long_values_are_shortened():
    long = "x" * 300
    line = render(diff({"widgets": [], "q": long}, {"widgets": [], "q": "y"}))
    assert len(line) < 150 and line.endswith('-> "y"')
