"""The preview's model and site without a browser: titles cut, sample data shaped like table1, findings pinned,
the command, and the packaging of templates and assets."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from metta_dash.cli import main
from metta_dash.findings import Finding, Severity
from metta_dash.preview import model, vega
from metta_dash.validate import check_dashboard

REPO = Path(__file__).resolve().parent.parent


def test_titles_are_cut_where_the_box_runs_out_of_room():
    assert model.cut_title("Open PRs", 3) == "Open PRs"
    long = "Average time from first commit to merge across every repository (hours)"
    cut = model.cut_title(long, 2)
    assert cut.endswith("…") and long.startswith(cut[:-1]) and len(cut) < len(long)
    assert model.cut_title(long, 12) == long



def test_the_preview_cuts_a_title_where_the_title_width_rule_says_datadog_does():
    title = "Median GPU utilisation across all training nodes"
    dashboard = {"title": "T", "layout_type": "ordered", "widgets": [
        {"definition": {"type": "timeseries", "title": title, "requests": []},
         "layout": {"x": 0, "y": 0, "width": 3, "height": 2}},
    ]}
    (finding,) = [f for f in check_dashboard(dashboard) if f.rule == "R111"]
    shown = model.page("t", dashboard, []).boxes[0].shown_title
    assert shown != title and f"appears as {shown!r}" in finding.message


def test_a_free_layout_is_fitted_to_the_page_on_square_units():
    def widget(x, width, title):
        return {"definition": {"type": "timeseries", "title": title, "requests": []},
                "layout": {"x": x, "y": 0, "width": width, "height": 15}}

    free = {"title": "T", "layout_type": "free", "widgets": [widget(0, 47, "Reads"), widget(47, 73, "Writes")]}
    page = model.page("t", free, [])
    assert page.columns == 120 and page.column_px * page.columns == model.GRID_PX
    assert page.row_px == page.column_px == 10  # a 47 x 15 timeseries is 470 x 150 px, not 47 columns wide
    assert page.boxes[1].shown_title == "Writes"
    ordered = model.page("t", {**free, "layout_type": "ordered", "widgets": [widget(0, 12, "Reads")]}, [])
    assert (ordered.columns, ordered.column_px, ordered.row_px) == (12, model.COLUMN_PX, model.ROW_PX)

def test_sample_table_has_the_columns_datadog_gives_the_spec():
    request = {
        "response_format": "scalar",
        "queries": [{"name": "q", "data_source": "metrics", "query": "avg:jobs.count{*} by {region,team}"}],
        "formulas": [{"formula": "q", "alias": "jobs"}, {"formula": "q * 2"}],
    }
    rows = vega.sample_table(request)
    assert len(rows) == 3
    assert set(rows[0]) == {"region", "team", "jobs", "q * 2"}
    assert all(0 <= row["jobs"] < 1 for row in rows)
    assert rows == vega.sample_table(request)  # stable from run to run
    series = vega.sample_table({**request, "response_format": "timeseries"})
    assert len(series) == 3 * 12 and "timestamp" in series[0]


def test_a_broken_spec_is_reported_on_the_widget_not_raised():
    definition = {"type": "wildcard", "requests": [], "specification": {"type": "vega-lite", "contents": "{"}}
    svg, error = vega.render(definition, 600, 400)
    assert svg is None and "not JSON" in error


def test_findings_are_pinned_on_the_innermost_widget_and_the_rest_on_the_page():
    dashboard = {
        "title": "T", "layout_type": "ordered",
        "widgets": [{
            "definition": {"type": "group", "title": "G", "layout_type": "ordered", "widgets": [
                {"definition": {"type": "note", "content": "# Hi"},
                 "layout": {"x": 0, "y": 0, "width": 6, "height": 2}},
            ]},
            "layout": {"x": 0, "y": 0, "width": 12, "height": 3},
        }],
    }
    inner = Finding("R1", "x", Severity.ERROR, "inner", path=("widgets", 0, "definition", "widgets", 0, "definition"))
    outer = Finding("R2", "y", Severity.WARNING, "outer", path=("template_variables",))
    page = model.page("t", dashboard, [inner, outer])
    group = page.boxes[0]
    assert group.pinned == [] and group.children[0].pinned == [inner]
    assert page.loose == [outer]
    assert "<h1>Hi</h1>" in group.children[0].note_html
    assert page.grid_rows == 3


def test_note_markdown_cannot_inject_html():
    dashboard = {"title": "T", "widgets": [{"definition": {"type": "note", "content": "<script>x()</script>"}}]}
    assert "<script>" not in model.page("t", dashboard, []).boxes[0].note_html



def test_note_images_from_other_hosts_are_named_not_fetched():
    content = "![CI *status*](https://example.com/badge.png) ![dot](data:image/png;base64,iVBORw0KGgo=)"
    dashboard = {"title": "T", "widgets": [{"definition": {"type": "note", "content": content}}]}
    html = str(model.page("t", dashboard, []).boxes[0].note_html)
    assert '<img src="https://' not in html
    assert "image: CI status" in html and 'href="https://example.com/badge.png"' in html
    assert '<img src="data:image/png;base64,iVBORw0KGgo="' in html  # inline: nothing to fetch

def test_preview_command_writes_the_site(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    assert main(["preview", "github_cicd", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "index.html").is_file() and (tmp_path / "github_cicd.html").is_file()
    assert (tmp_path / "assets" / "preview.css").is_file()
    page = (tmp_path / "github_cicd.html").read_text(encoding="utf-8")
    assert 'data-title="Open PRs"' in page and "assets/live.js" not in page
    assert main(["preview", "nope"]) == 2
    assert "no dashboard named 'nope'" in capsys.readouterr().err


def test_templates_and_assets_ship_in_the_wheel():
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["metta_dash"]
    package = resources.files("metta_dash")
    shipped = [
        path.relative_to(REPO / "metta_dash").as_posix()
        for folder in ("preview/templates", "preview/assets")
        for path in (Path(str(package)) / folder).iterdir()
    ]
    assert shipped
    for name in shipped:
        assert any(Path(name).match(pattern) for pattern in patterns), name


def test_a_dashboard_that_does_not_compile_is_listed_with_its_error(tmp_path, monkeypatch, capsys):
    (tmp_path / "pyproject.toml").write_text(f'[tool.metta-dash]\ncomponents = "{REPO / "components"}"\n')
    (tmp_path / "dashboards").mkdir()
    (tmp_path / "dashboards" / "good.jsonnet").write_text(
        "{ title: 'Good', layout_type: 'ordered', widgets: [] }")
    (tmp_path / "dashboards" / "broken.jsonnet").write_text("local w = import 'widgets.libsonnet';\nw.timeSeries")
    monkeypatch.chdir(tmp_path)
    assert main(["preview"]) == 1
    out = capsys.readouterr().out
    assert "dashboards/broken.jsonnet:2:1: [C001 jsonnet-error]" in out
    index = (tmp_path / "build" / "preview" / "index.html").read_text(encoding="utf-8")
    assert "did not compile" in index and "did you mean &#39;timeseries&#39;?" in index
    assert (tmp_path / "build" / "preview" / "good.html").is_file()
    assert not (tmp_path / "build" / "preview" / "broken.html").exists()


def test_the_site_is_not_written_over_a_folder_of_other_files(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "index.html").write_text("my own page")
    assert main(["preview", "github_cicd", "-o", str(mine)]) == 2
    assert "holds files that are not a preview" in capsys.readouterr().err
    assert (mine / "index.html").read_text() == "my own page"
    assert main(["preview", "github_cicd", "-o", str(mine), "--force"]) == 0
    assert "github_cicd.html" in (mine / "index.html").read_text()
    assert main(["preview", "github_cicd", "-o", str(mine)]) == 0  # a preview site now: rewritten freely
    (tmp_path / "file").write_text("x")
    assert main(["preview", "github_cicd", "-o", str(tmp_path / "file")]) == 2  # a file, not a folder
