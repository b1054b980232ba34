"""Properties of the compiled System Health Rollup dashboards (table view and Vega-Lite heatmap)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import _jsonnet
import pytest

REPO = Path(__file__).resolve().parent.parent
COMPONENTS = REPO / "components"
DAYS = ["today", "-1d", "-2d", "-3d", "-4d", "-5d", "-6d"]
AREAS = ("ci", "training", "eval")


def evaluate(snippet: str):
    return json.loads(_jsonnet.evaluate_snippet("snippet.jsonnet", snippet, jpathdir=[str(COMPONENTS)]))


@pytest.fixture(scope="module")
def foms() -> dict[str, list[dict]]:
    return evaluate("local f = import 'foms.libsonnet'; { ci: f.ci, training: f.training, eval: f.eval }")


@pytest.fixture(scope="module")
def compiled(project_dashboards) -> dict[str, dict]:
    dashboards = {}
    for name in ("system_health_rollup", "system_health_rollup_wildcard"):
        checked = project_dashboards[name]
        assert checked.dashboard is not None, f"{name} did not compile: {checked.findings}"
        dashboards[name] = checked.dashboard
    return dashboards


def widgets(dashboard: dict) -> list[dict]:
    """Every widget definition, groups and their members alike."""
    found = []
    for widget in dashboard["widgets"]:
        found.append(widget["definition"])
        found += [inner["definition"] for inner in widget["definition"].get("widgets", [])]
    return found


def tables(dashboard: dict) -> list[dict]:
    return [d for d in widgets(dashboard) if d["type"] == "query_table"]


def wildcard(dashboard: dict) -> dict:
    found = [d for d in widgets(dashboard) if d["type"] == "wildcard"]
    assert len(found) == 1, f"expected one wildcard widget, found {len(found)}"
    return found[0]


@pytest.mark.parametrize("name", ["system_health_rollup", "system_health_rollup_wildcard"])
def test_every_data_widget_is_pinned_to_one_day(compiled, name):
    # A cell is one day: the last 24 h, older days through timeshift (test_dashboard_semantics checks the meaning).
    unpinned = [
        d.get("title", d["type"]) for d in widgets(compiled[name])
        if d["type"] not in ("group", "note") and d.get("time") != {"live_span": "1d"}
    ]
    assert not unpinned, f"{name}: widgets without the fixed 1d time range: {unpinned}"


@pytest.mark.parametrize("name", ["system_health_rollup", "system_health_rollup_wildcard"])
def test_notes_explain_the_scale_and_link_ci_and_skypilot(compiled, name):
    notes = "\n".join(d["content"] for d in widgets(compiled[name]) if d["type"] == "note")
    for text in ("FoM scale", "Green 0.7-1.0", "Yellow 0.3-0.7", "Red 0.0-0.3", "Gray"):
        assert text in notes, f"{name}: the legend does not say {text!r}"
    registry = json.loads((REPO / "dashboards" / "registry.json").read_text())["dashboards"]
    for linked in ("github_cicd", "skypilot_jobs"):
        assert f"/dashboard/{registry[linked]['id']}" in notes, f"{name}: no quick link to {linked}"
    assert "FoM" in compiled[name]["description"] and "0.7" in compiled[name]["description"]


def test_one_table_per_fom_in_rollup_order_with_a_column_per_day(compiled, foms):
    rows = tables(compiled["system_health_rollup"])
    expected = [decl["title"] for area in AREAS for decl in foms[area]]
    assert [row["title"] for row in rows] == expected
    for row in rows:
        (request,) = row["requests"]
        assert [f["alias"] for f in request["formulas"]] == DAYS, row["title"]
        for query in request["queries"]:
            for days_back, formula in enumerate(request["formulas"]):
                shifted = f"timeshift({query['name']}, -{86400 * days_back})" if days_back else query["name"]
                assert shifted in formula["formula"], f"{row['title']} {formula['alias']}: {formula['formula']}"
            assert [(c["comparator"], c["value"]) for c in formula["conditional_formats"]] == [
                (">=", 0.7), (">=", 0.3), ("<", 0.3),
            ]


def test_ci_rows_read_published_foms_and_the_others_say_they_are_computed(compiled, foms):
    rows = {row["title"]: row for row in tables(compiled["system_health_rollup"])}
    for decl in foms["ci"]:
        row = rows[decl["title"]]
        assert row["requests"][0]["queries"][0]["query"] == f"avg:{decl['metric']}{{*}}"
        assert "written by the FoM collector" in row["description"]
    for decl in foms["training"] + foms["eval"]:
        row = rows[decl["title"]]
        assert all(decl["raw"] in q["query"] for q in row["requests"][0]["queries"])
        today = row["requests"][0]["formulas"][0]["formula"]
        assert "clamp" in today or "abs" in today, f"{decl['title']}: today's FoM is not computed: {today}"
        assert "computed in the formula" in row["description"] and "pending" in row["description"]


def test_sections_per_area_and_headline_scores(compiled):
    groups = [d["title"] for d in widgets(compiled["system_health_rollup"]) if d["type"] == "group"]
    assert groups == ["Health Scores", "CI/CD (7 FoMs, published)", "Training (7 FoMs, computed from raw metrics)",
                      "Eval (5 FoMs, computed from raw metrics)"]
    headlines = {d["title"]: d for d in widgets(compiled["system_health_rollup"]) if d["type"] == "query_value"}
    assert sorted(headlines) == ["CI/CD Health", "Eval Health", "Training Health"]
    counts = {"CI/CD Health": 7, "Training Health": 7, "Eval Health": 5}
    for title, headline in headlines.items():
        (formula,) = headline["requests"][0]["formulas"]
        # Hearts FoMs read two queries each (the largest and the smallest delta among the runs).
        assert len(headline["requests"][0]["queries"]) == counts[title] + (2 if title == "Eval Health" else 0)
        assert formula["formula"].endswith(f") / {counts[title]}")


def test_wildcard_reads_every_fom_for_seven_days(compiled, foms):
    widget = wildcard(compiled["system_health_rollup_wildcard"])
    (request,) = widget["requests"]
    decls = [decl for area in AREAS for decl in foms[area]]
    assert request["response_format"] == "scalar"
    assert len(decls) == 19 and len(request["queries"]) == 19 + 2  # two hearts FoMs read two queries each
    titles = {"ci": "CI/CD", "training": "Training", "eval": "Eval"}
    assert [f["alias"] for f in request["formulas"]] == [
        f"{titles[area]}|{d['title']}|{day}" for area in AREAS for d in foms[area] for day in DAYS
    ]
    names = {q["name"] for q in request["queries"]}
    for formula in request["formulas"]:
        used = set(re.findall(r"[a-z][a-z0-9_]*", formula["formula"])) & names
        assert len(used) == (2 if "Hearts" in formula["alias"] else 1), f"{formula['alias']} reads {used}"


def _fields_referenced(node) -> set[str]:
    """Data fields an encoding reads: `field` values and `datum.X` in expressions."""
    found = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "field" and isinstance(value, str):
                found.add(value)
            elif key == "test" and isinstance(value, str):
                found.update(re.findall(r"datum\.(\w+)", value))
            else:
                found |= _fields_referenced(value)
    elif isinstance(node, list):
        for item in node:
            found |= _fields_referenced(item)
    return found


def test_wildcard_spec_is_well_formed_vega_lite_over_table1(compiled, foms):
    widget = wildcard(compiled["system_health_rollup_wildcard"])
    assert widget["specification"]["type"] == "vega-lite"
    spec = widget["specification"]["contents"]
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert spec["data"] == {"name": "table1"}

    fold, *calculates = spec["transform"]
    assert fold["fold"] == [f["alias"] for f in widget["requests"][0]["formulas"]], "fold must list every alias"
    available = set(fold["as"])
    for step in calculates:
        read = set(re.findall(r"datum\.(\w+)", step["calculate"]))
        assert read <= available, f"calculate {step['as']} reads undefined fields {read - available}"
        available.add(step["as"])
    assert {"metric", "day"} <= available

    referenced = _fields_referenced(spec["encoding"]) | _fields_referenced(spec["layer"])
    assert referenced <= available, f"encodings read fields no transform makes: {referenced - available}"

    titles = {"ci": "CI/CD", "training": "Training", "eval": "Eval"}
    assert spec["encoding"]["x"]["sort"] == DAYS
    assert spec["encoding"]["y"]["sort"] == [f"{titles[area]} · {d['title']}" for area in AREAS for d in foms[area]]
    # Every alias splits into a known area, FoM and day.
    for alias in fold["fold"]:
        area, metric, day = alias.split("|")
        assert f"{area} · {metric}" in spec["encoding"]["y"]["sort"] and day in DAYS

    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rect", "text", "rule"]
    color = spec["layer"][0]["encoding"]["color"]
    assert color["scale"] == {"type": "threshold", "domain": [0.3, 0.7], "range": ["#DC3545", "#FFC107", "#28A745"]}
    assert spec["layer"][1]["encoding"]["text"]["format"] == ".2f"
    assert {t["field"] for t in spec["encoding"]["tooltip"]} >= {"metric", "day"}


def test_an_unknown_source_is_a_compile_error_naming_the_choices():
    with pytest.raises(RuntimeError, match=re.escape("source must be one of published|inline")):
        evaluate("local h = import 'health.libsonnet'; h.row((import 'foms.libsonnet').ci[0], 'collector')")


def test_a_fom_title_holding_the_alias_separator_is_a_compile_error():
    with pytest.raises(RuntimeError, match=re.escape("FoM title Up|Down and area title CI must not hold '|'")):
        evaluate("(import 'health.libsonnet').heatmapAlias({ title: 'CI' }, { title: 'Up|Down' }, 0)")
