"""What the project's dashboards mean, checked on synthetic data through tests/metric_model.py: each test
fails on the definition it replaced (said in its docstring, and re-checked where the old reading can be
rebuilt from the compiled widget)."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import _jsonnet
import pytest
from metric_model import DAY, NOW, cell, colour, formula_values, point, scalar
from test_fom import evaluate
from test_rollup import widgets as definitions

REPO = Path(__file__).resolve().parent.parent
DAYS = ["today", "-1d", "-2d", "-3d", "-4d", "-5d", "-6d"]


@pytest.fixture(scope="module")
def foms() -> list[dict]:
    snippet = "(import 'foms.libsonnet').all"
    return json.loads(_jsonnet.evaluate_snippet("foms.jsonnet", snippet, jpathdir=[str(REPO / "components")]))


@pytest.fixture(scope="module")
def boards(project_dashboards) -> dict[str, dict]:
    return {name: checked.dashboard for name, checked in project_dashboards.items()}


def rollup_rows(boards) -> dict[str, dict]:
    return {d["title"]: d for d in definitions(boards["system_health_rollup"]) if d["type"] == "query_table"}


def hourly(metric: str, value, *, days: float = 10, silent_days: float = 0, **tags) -> dict[str, list]:
    """One point an hour for `days` days up to NOW, none in the last `silent_days` days."""
    hours = int(days * 24)
    return {metric: [point(NOW - h * 3600 - 60, value(h) if callable(value) else value, **tags)
                     for h in range(hours) if h * 3600 + 60 > silent_days * DAY]}


def store_for(decl: dict, value, **kwargs) -> dict[str, list]:
    """Raw and published series of one FoM (whichever the widget reads)."""
    return {**hourly(decl["raw"], value, **kwargs), **hourly(decl["metric"], 0.5, **kwargs)}


def varying(decl: dict):
    """Raw values, one an hour, whose FoMs lie strictly inside (0, 1) and change from hour to hour."""
    rule, fractions = decl["rule"], (0.2, 0.5, 0.8, 0.4, 0.65)
    if rule["kind"] == "linear":
        return lambda h: rule["bad"] + (rule["good"] - rule["bad"]) * fractions[h % 5]
    if rule["kind"] == "band":
        return lambda h: rule["high"] + (rule["zeroAt"] - rule["high"]) * fractions[h % 5]
    if rule["kind"] == "absDelta":
        return lambda h: rule["scale"] * fractions[h % 5] * (-1) ** h
    return lambda h: h % 2  # binary


def with_time(widget: dict, live_span: str) -> dict:
    old = copy.deepcopy(widget)
    old["time"] = {"live_span": live_span}
    return old


# -- rollup cells are pinned to their own day ----------------------------------------------------------------

def test_a_collector_silent_for_two_days_leaves_those_days_gray(boards, foms):
    """Before: each cell was `last` over a one-week window shifted N days, so today showed the value of
    two days ago. Now a cell reads only its own day."""
    rows = rollup_rows(boards)
    for decl in foms:
        row = rows[decl["title"]]
        store = store_for(decl, 3.0, silent_days=2)
        shown = [cell(row, i, store) for i in range(7)]
        assert shown[:2] == [None, None], f"{decl['title']}: silent days show {shown[:2]}"
        assert all(v is not None for v in shown[2:]), f"{decl['title']}: days with data are blank: {shown}"
        # The replaced one-week window shows a stale value today.
        assert cell(with_time(row, "1w"), 0, store) is not None


def test_the_wildcard_heatmap_reads_each_day_alike(boards, foms):
    (widget,) = [d for d in definitions(boards["system_health_rollup_wildcard"]) if d["type"] == "wildcard"]
    formulas = widget["requests"][0]["formulas"]
    for decl in foms:
        store = store_for(decl, 3.0, silent_days=2)
        for day_index, day in enumerate(DAYS):
            (index,) = [i for i, f in enumerate(formulas) if f["alias"].endswith(f"|{decl['title']}|{day}")]
            value = cell(widget, index, store)
            assert (value is None) == (day_index < 2), f"{decl['title']} {day}: {value}"


# -- one FoM, one number --------------------------------------------------------------------------------------

@pytest.mark.parametrize("dashboard", ["training", "eval"])
def test_fom_tiles_show_the_rollups_today_cell(boards, foms, dashboard):
    """Before: tiles averaged over the dashboard's range while the rollup took the last value."""
    rows = rollup_rows(boards)
    tiles = {d["title"]: d for d in definitions(boards[dashboard]) if d["type"] == "query_value"}
    area = [decl for decl in foms if decl["dashboard"] == dashboard]
    assert area
    for decl in area:
        tile, row = tiles[decl["title"]], rows[decl["title"]]
        assert tile["time"] == row["time"] == {"live_span": "1d"}
        # The same queries, but for the template variable the detail dashboard has and the rollup has not.
        tile_queries = json.dumps(tile["requests"][0]["queries"]).replace("{$env}", "{*}")
        assert tile_queries == json.dumps(row["requests"][0]["queries"])
        store = store_for(decl, varying(decl))  # varies within the day: its last value is not its average
        assert cell(tile, 0, store) == pytest.approx(cell(row, 0, store)), decl["title"]
        averaged = copy.deepcopy(tile)
        for query in averaged["requests"][0]["queries"]:
            query["aggregator"] = "avg"
        if decl["rule"]["kind"] != "binary":  # a 0/1 step of values above 0 cannot tell avg from last
            assert cell(averaged, 0, store) != pytest.approx(cell(row, 0, store)), decl["title"]


def test_opposite_hearts_deltas_do_not_average_to_a_perfect_fom(boards, foms):
    """Before: one query averaged the signed deltas of the runs (+15 % and -15 % -> 0 % -> FoM 1.0)."""
    rows = rollup_rows(boards)
    for title, raw in (("Local Hearts Accuracy", "eval.local.hearts_delta_pct"),
                       ("Remote Hearts Accuracy", "eval.remote.hearts_delta_pct")):
        row = rows[title]
        together = {raw: [point(NOW - 3600, 15, run_id="a"), point(NOW - 3590, -15, run_id="b")]}
        assert cell(row, 0, together) == pytest.approx(0.25)
        apart = {raw: [point(NOW - 7200, 15, run_id="a"), point(NOW - 3600, -15, run_id="b")]}
        assert cell(row, 0, apart) == pytest.approx(0.25)
        averaged = scalar(f"avg:{raw}{{*}}", "avg", together, window=DAY)[()]
        assert evaluate("clamp_min(1 - abs(x) / 20, 0)", {"x": averaged}) == 1.0


def test_one_failed_local_run_reds_its_own_day_only(boards):
    """Before: the tile averaged exit codes over the week, so one failure made the FoM 0 for a week."""
    row = rollup_rows(boards)["Local Run Success"]
    (tile,) = [d for d in definitions(boards["eval"]) if d.get("title") == "Local Run Success"]
    codes = {"eval.local.exit_code": [
        point(NOW - d * DAY - 3600, 1 if d == 3 else 0) for d in range(7)
    ]}
    assert [cell(row, i, codes) for i in range(7)] == [1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0]
    assert cell(tile, 0, codes) == 1.0
    week_average = scalar("avg:eval.local.exit_code{*}", "avg", codes, window=7 * DAY)[()]
    assert evaluate("1 - clamp_max(abs(x) * 1000000, 1)", {"x": week_average}) == 0.0


# -- raw tiles agree with their FoM's colour -------------------------------------------------------------------

FOM_PALETTE = {"green": "white_on_green", "yellow": "white_on_yellow", "red": "white_on_red"}


def fom_colour(value: float) -> str:
    return FOM_PALETTE["green" if value >= 0.7 else "yellow" if value >= 0.3 else "red"]


@pytest.mark.parametrize(("dashboard", "title", "metric", "top"), [
    ("eval", "Latest Remote Duration", "health.eval.remote_duration.fom", 14),
    ("training", "Completed Runs (7d)", "health.training.run_success.fom", 10),
    ("training", "Failed Runs (7d)", "health.training.run_failures.fom", 5),
    ("training", "Best Model Accuracy", "health.training.best_accuracy.fom", 1),
])
def test_a_raw_tile_turns_colour_where_its_fom_does(boards, foms, dashboard, title, metric, top):
    """Before: Latest Remote Duration was yellow up to 10 min while its FoM was red above 7.9 min."""
    (decl,) = [d for d in foms if d["metric"] == metric]
    (tile,) = [d for d in definitions(boards[dashboard]) if d.get("title") == title]
    formats = tile["requests"][0]["conditional_formats"]
    fom_formula = json.loads(_jsonnet.evaluate_snippet(
        "f.jsonnet", f"(import 'fom.libsonnet').formula((import 'foms.libsonnet').byMetric['{metric}'], 'x')",
        jpathdir=[str(REPO / "components")]))
    for step in range(0, top * 100 + 1):
        raw = step / 100
        fom = evaluate(fom_formula, {"x": raw})
        if min(abs(fom - 0.7), abs(fom - 0.3)) < 1e-9:
            continue  # exactly on a boundary, where float rounding of the formula picks either side
        assert colour(formats, raw) == fom_colour(fom), f"{title} at {raw}: tile {colour(formats, raw)}, FoM {fom:.3f}"


# -- Collector Health: errors and freshness --------------------------------------------------------------------

def collector_widgets(boards) -> dict[str, dict]:
    return {d.get("title", d["type"]): d for d in definitions(boards["collector_health"])}


def test_the_error_total_does_not_depend_on_the_rollup_interval(boards):
    """Before: `sum` over buckets of a gauge rolled up with `avg` counted one run per bucket."""
    tile = collector_widgets(boards)["Collector Errors"]
    (query,) = tile["requests"][0]["queries"]
    runs = {"collector.error_count": [point(NOW - i * 900 - 30, 2, collector="github") for i in range(96)]}
    for bucket in (300, 1800, 3600, 4 * 3600):
        window = 7 * DAY
        assert scalar(query["query"], query["aggregator"], runs, window=window, bucket=bucket)[()] == 192
    plain = query["query"].removesuffix(".rollup(sum)")
    assert plain != query["query"]
    totals = {scalar(plain, "sum", runs, window=7 * DAY, bucket=b)[()] for b in (300, 3600)}
    assert len(totals) == 2, "the replaced query should depend on the interval"


def test_a_collector_silent_for_two_days_shows_blank_days_and_stays_listed(boards):
    """Before: `last` over 7 days kept a stopped collector green, with no last-seen measure."""
    table = collector_widgets(boards)["Collector Status and Last Seen"]
    (request,) = table["requests"]
    window = {"1d": DAY}[table["time"]["live_span"]]
    store: dict[str, list] = {}
    for name, silent in (("github", 0), ("wandb", 2)):
        for metric, value in (("collector.success", 1), ("collector.duration_seconds", 30),
                              ("collector.error_count", 0), ("collector.metrics_published", 12)):
            store.setdefault(metric, []).extend(hourly(metric, value, silent_days=silent, collector=name)[metric])
    columns = {f["alias"]: formula_values(f["formula"], request["queries"], store, window=window)
               for f in request["formulas"]}
    assert columns["runs today"][("github",)] == 24
    for day in ("runs today", "runs -1d"):
        assert columns[day].get(("wandb",)) is None, f"{day} shows runs of a silent collector"
    for day in ("runs -2d", "runs -3d", "runs -6d"):
        assert columns[day][("wandb",)] > 0
    assert columns["last run ok (1/0)"].get(("wandb",)) is None, "a stale status still shows"
    assert colour(request["formulas"][DAYS.index("today") + 4]["conditional_formats"], 24) == "white_on_green"


@pytest.mark.parametrize(("title", "metric"), [
    ("Slowest Last Run", "collector.duration_seconds"),
    ("Metrics Published (last runs)", "collector.metrics_published"),
])
def test_last_run_tiles_go_blank_when_every_collector_stopped(boards, title, metric):
    """Before: `last` over the dashboard's week kept showing (green) the last runs of a fleet stopped days ago."""
    tile = collector_widgets(boards)[title]
    stopped = hourly(metric, 30, silent_days=2, collector="github")
    assert cell(tile, 0, stopped) is None, f"{title} shows runs two days old"
    assert cell(tile, 0, hourly(metric, 30, collector="github")) == 30
    assert cell(with_time(tile, "1w"), 0, stopped) == 30  # the replaced reading: the old value, as current


def test_the_error_feed_is_a_logs_list_stream_honouring_the_collector_variable(boards):
    types = {d["type"] for d in definitions(boards["collector_health"])}
    assert "log_stream" not in types
    (feed,) = [d for d in definitions(boards["collector_health"]) if d["type"] == "list_stream"]
    query = feed["requests"][0]["query"]
    assert query["data_source"] == "logs_stream"
    assert "$collector" in query["query_string"] and "$env" in query["query_string"]
    assert query["sort"] == {"column": "timestamp", "order": "desc"}


# -- recency, consistency, links, layout ----------------------------------------------------------------------

def test_recent_tables_list_the_newest_runs_first(boards):
    """Before: sorted by the first column (duration), so the slowest runs, not the latest, were listed."""
    recent = [d for board in boards.values() for d in definitions(board)
              if d["type"] == "query_table" and d["title"].startswith("Recent")]
    assert len(recent) == 3
    for table in recent:
        (request,) = table["requests"]
        assert request["sort"] == {"count": 25, "order_by": [{"type": "group", "name": "run_id", "order": "desc"}]}
        assert not any("limit" in f for f in request["formulas"]), table["title"]
        assert all(q["query"].endswith(" by {run_id}") for q in request["queries"]), table["title"]


def test_queued_jobs_is_one_number_everywhere(boards):
    """Before: `sum` on Training & WandB, `avg` on Skypilot Jobs."""
    tiles = [d for board in boards.values() for d in definitions(board) if d.get("title") == "Queued Jobs"]
    assert len(tiles) == 2
    assert tiles[0]["requests"][0]["queries"] == tiles[1]["requests"][0]["queries"]


def test_every_fom_row_and_tile_links_to_its_detail_dashboard_and_runbook(boards, foms):
    labels = {"github_cicd": "Open GitHub CI/CD", "training": "Open Training & WandB", "eval": "Open Eval & Testing"}
    rows = rollup_rows(boards)
    for decl in foms:
        links = [link["label"] for link in rows[decl["title"]]["custom_links"]]
        assert links == [labels[decl["dashboard"]], "How FoMs are computed"], decl["title"]
    for dashboard in ("training", "eval"):
        fom_titles = {d["title"] for d in foms if d["dashboard"] == dashboard}
        for tile in definitions(boards[dashboard]):
            if tile.get("title") in fom_titles or tile.get("title", "").endswith(" Health"):
                assert [link["label"] for link in tile["custom_links"]] == [
                    "Open System Health Rollup", "How FoMs are computed"], tile["title"]


@pytest.mark.parametrize("name", ["system_health_rollup", "system_health_rollup_wildcard"])
def test_quick_links_reach_every_dashboard(boards, name):
    notes = "\n".join(d["content"] for d in definitions(boards[name]) if d["type"] == "note")
    for text in ("GitHub CI/CD", "Training & WandB", "Eval & Testing", "Skypilot Jobs", "Collector Health",
                 "Asana", "EC2 Infrastructure"):
        assert f"[{text}](/dashboard/" in notes, f"{name}: no quick link to {text}"
    assert "[how FoMs are computed](https://github.com/Metta-AI/metta/blob/main/devops/datadog/docs/" in notes


def test_the_table_rollup_is_compact(boards):
    """Before: 19 full-width tables two rows high, about five screens."""
    widgets = boards["system_health_rollup"]["widgets"]
    height = max(w["layout"]["y"] + w["layout"]["height"] for w in widgets)
    tables = [w for group in widgets for w in group["definition"].get("widgets", [])
              if w["definition"]["type"] == "query_table"]
    assert len(tables) == 19 and all(t["layout"]["width"] == 4 for t in tables)
    assert height <= 30, height


def test_the_heatmap_fills_its_widget_and_groups_rows_by_area(boards, foms):
    """Before: no width/height (Vega-Lite drew 20 px cells) and nothing between CI, Training and Eval."""
    (widget,) = [d for d in definitions(boards["system_health_rollup_wildcard"]) if d["type"] == "wildcard"]
    spec = widget["specification"]["contents"]
    assert (spec["width"], spec["height"]) == ("container", "container")
    assert spec["autosize"]["type"] == "fit"
    areas = {"github_cicd": "CI/CD", "training": "Training", "eval": "Eval"}
    assert spec["encoding"]["y"]["sort"] == [f"{areas[d['dashboard']]} · {d['title']}" for d in foms]
    separators = spec["layer"][2]
    assert separators["mark"]["type"] == "rule"
    assert separators["transform"][0]["filter"]["oneOf"] == ["Training · Run Success", "Eval · Local Run Success"]
    assert math.isclose(len(widget["requests"][0]["formulas"]), 19 * 7)
