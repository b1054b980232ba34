"""Normalisation: what Datadog adds or reorders must not read as a change; real changes must."""

from __future__ import annotations

import copy

import pytest

from metta_dash import server_defaults
from metta_dash.normalize import canonical_json, content_hash, normalize


def compiled() -> dict:
    return {
        "title": "PR Health",
        "layout_type": "ordered",
        "widgets": [
            {"definition": {"type": "note", "content": "Read me"}},
            {
                "definition": {
                    "type": "timeseries",
                    "title": "PR Cycle Time",
                    "requests": [{"q": "avg:github.pr.cycle_time{*}", "display_type": "line"}],
                    "markers": [{"value": "y = 48", "display_type": "error dashed"}],
                    "yaxis": {"min": "0"},
                },
                "layout": {"x": 0, "y": 0, "width": 6, "height": 3},
            },
            {
                "definition": {
                    "type": "group",
                    "title": "Deploys",
                    "layout_type": "ordered",
                    "widgets": [
                        {"definition": {"type": "query_value", "title": "Count", "requests": [{"q": "sum:d{*}"}]}},
                    ],
                }
            },
        ],
        "template_variables": [{"name": "repo", "prefix": "repo", "default": "metta"}],
        "template_variable_presets": [
            {"name": "b", "template_variables": [{"name": "repo", "value": "x"}]},
            {"name": "a", "template_variables": [{"name": "repo", "values": ["y"]}]},
        ],
        "notify_list": ["b@example.com", "a@example.com"],
    }


def as_returned_by_datadog(dashboard: dict) -> dict:
    """What a GET answers after a create: ids, read-only fields, defaults, reordered lists, floats."""
    remote = server_defaults.fill(dashboard)
    remote.update(
        id="abc-def-ghi", url="/dashboard/abc-def-ghi/pr-health", author_handle="me@example.com",
        author_name="Me", created_at="2026-01-01T00:00:00+00:00", modified_at="2026-01-01T00:00:00+00:00",
        deleted_at=None, experience_type="default", is_read_only=False, restricted_roles=[],
    )
    for number, widget in enumerate(server_defaults.iter_widgets(remote["widgets"]), start=1):
        widget["id"] = 1000 + number
    remote["widgets"][1]["layout"] = {"x": 0.0, "y": 0.0, "width": 6.0, "height": 3.0}
    remote["template_variables"] = [{"name": "repo", "prefix": "repo", "defaults": ["metta"]}]
    remote["template_variable_presets"] = [
        {"name": "a", "template_variables": [{"name": "repo", "values": ["y"]}]},
        {"name": "b", "template_variables": [{"name": "repo", "values": ["x"]}]},
    ]
    remote["notify_list"] = ["a@example.com", "b@example.com"]
    return remote


def test_a_get_response_normalises_to_the_compiled_dashboard():
    local = compiled()
    remote = as_returned_by_datadog(local)
    assert remote != local
    assert normalize(remote) == normalize(local)
    assert content_hash(normalize(remote)) == content_hash(normalize(local))


def test_normalize_does_not_change_its_argument():
    local = compiled()
    before = copy.deepcopy(local)
    normalize(local)
    assert local == before


def test_read_only_fields_and_widget_ids_are_gone():
    form = normalize(as_returned_by_datadog(compiled()))
    for field in ("id", "url", "author_handle", "modified_at", "is_read_only", "restricted_roles"):
        assert field not in form
    assert all("id" not in w for w in server_defaults.iter_widgets(form["widgets"]))


def test_server_defaults_are_stripped_but_other_values_kept():
    form = normalize(as_returned_by_datadog(compiled()))
    series = form["widgets"][1]["definition"]
    assert "legend_size" not in series and "title_align" not in series
    assert series["yaxis"] == {"min": "0"}
    assert "style" not in series["requests"][0]
    assert "reflow_type" not in form and "description" not in form


def test_a_value_different_from_the_default_is_a_difference():
    local = compiled()
    remote = as_returned_by_datadog(local)
    remote["widgets"][1]["definition"]["title_align"] = "center"
    assert normalize(remote) != normalize(local)


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["widgets"][1]["definition"]["markers"][0].update(value="y = 24"),
        lambda d: d["widgets"].pop(0),
        lambda d: d.update(title="Other"),
        lambda d: d["widgets"][2]["definition"]["widgets"][0]["definition"].update(title="Sum"),
        lambda d: d["notify_list"].append("c@example.com"),
        lambda d: d.update(description="now described"),
    ],
    ids=["marker", "widget removed", "title", "inner widget", "notify list", "description"],
)
def test_real_changes_change_the_hash(edit):
    local = compiled()
    edited = copy.deepcopy(local)
    edit(edited)
    assert content_hash(normalize(edited)) != content_hash(normalize(local))


def test_numbers_compare_by_value_but_booleans_stay_booleans():
    assert normalize({"widgets": [], "x": 1.0}) == normalize({"widgets": [], "x": 1})
    assert canonical_json(normalize({"widgets": [], "x": True})) != canonical_json(normalize({"widgets": [], "x": 1}))


def test_unstable_orders_are_sorted():
    left = {"widgets": [{"definition": {"type": "query_value", "requests": [{"q": "a", "conditional_formats": [
        {"comparator": ">", "value": 1, "palette": "red"}, {"comparator": "<", "value": 0, "palette": "green"}]}]}}]}
    right = copy.deepcopy(left)
    right["widgets"][0]["definition"]["requests"][0]["conditional_formats"].reverse()
    assert normalize(left) == normalize(right)


def test_null_and_absent_are_the_same():
    assert normalize({"title": "t", "widgets": [], "description": None}) == normalize({"title": "t", "widgets": []})


def test_values_the_api_omits_are_the_same_as_absent():
    bare = normalize({"title": "t", "widgets": []})
    assert normalize({"title": "t", "widgets": [], "pause_auto_refresh": False, "description": ""}) == bare
    assert normalize({"title": "t", "widgets": [], "pause_auto_refresh": True}) != bare
    assert normalize({"title": "t", "widgets": [], "pause_auto_refresh": 0}) != bare


def test_tab_ids_are_ignored():
    left = {"widgets": [], "tabs": [{"id": "t1", "name": "One", "widget_ids": [1]}]}
    right = {"widgets": [], "tabs": [{"name": "One", "widget_ids": [1]}]}
    assert normalize(left) == normalize(right)


def test_every_corpus_dashboard_equals_itself_as_the_server_returns_it(corpus):
    """Filling server defaults into a real dashboard never reads as a change."""
    for name, dashboard in corpus.items():
        assert normalize(server_defaults.fill(dashboard)) == normalize(dashboard), name
