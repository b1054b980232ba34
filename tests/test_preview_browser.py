"""The preview as a person sees it: every project dashboard rendered by headless Chromium, checked in the DOM
and in a screenshot.

One browser process loads every page (as iframes of one collector page served on loopback) and writes what it
measured into its own DOM; `--dump-dom` hands that back.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import struct
from pathlib import Path

import pytest

from metta_dash import compile as jsonnet
from metta_dash import settings as project_settings
from metta_dash.preview import chromium, site
from metta_dash.validate import check_sources
from metta_dash.watch import serve

REPO = Path(__file__).resolve().parent.parent

COLLECTOR = """<!doctype html><html><body><pre id="out">pending</pre>
<script>
const pages = %(pages)s;
const results = {};
function rect(node) { const r = node.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }
function measure(name, doc) {
  const widgets = [...doc.querySelectorAll('.widget')].map(node => ({
    path: node.dataset.path, type: node.dataset.type, title: node.dataset.title,
    shown: (node.querySelector(':scope > .widget-head .widget-title, :scope > .group-title') || {}).textContent || '',
    rect: rect(node),
  }));
  const pins = [...doc.querySelectorAll('.finding[data-rule]')].map(node => ({
    rule: node.dataset.rule, widget: (node.closest('.widget') || {dataset: {}}).dataset.title || null,
  }));
  const charts = [...doc.querySelectorAll('.widget.wildcard .vega svg')].map(svg => ({
    labels: [...svg.querySelectorAll('.role-axis-label text')].map(t => t.textContent),
    cells: svg.querySelectorAll('.mark-rect path').length,
  }));
  results[name] = {widgets, pins, charts, text: doc.body.innerText};
}
let left = pages.length;
for (const name of pages) {
  const frame = document.createElement('iframe');
  frame.style.width = '1264px'; frame.style.height = '800px';
  frame.onload = () => {
    measure(name, frame.contentDocument);
    if (--left === 0) document.getElementById('out').textContent = JSON.stringify(results);
  };
  frame.src = name + '.html';
  document.body.appendChild(frame);
}
</script></body></html>
"""

BROKEN = """local dashboard = import 'dashboard.libsonnet';
local layout = import 'layout.libsonnet';
local w = import 'widgets.libsonnet';
dashboard.new('Pinned')
+ dashboard.withWidgets(layout.stack([
  layout.row([
    w.timeseries.new('Requests', [w.query.metric('a', 'avg:app.requests{*}')]),
    w.timeseries.new('Errors', [w.query.metric('a', 'avg:app.errors{*}')]) + w.timeseries.withFormulas(['b']),
  ], 6, 2),
]))
"""


def _need_chromium():
    try:
        chromium.find()
    except chromium.BrowserMissing:
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium (.ci/run does)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def rendered(project_dashboards, tmp_path_factory):
    """The preview of every project dashboard plus one with a finding, measured by one Chromium run."""
    _need_chromium()
    folder = tmp_path_factory.mktemp("preview")
    (folder / "src").mkdir()
    (folder / "src" / "pinned.jsonnet").write_text(BROKEN)
    settings = project_settings.load(REPO)
    broken = check_sources([folder / "src" / "pinned.jsonnet"], settings, jsonnet.options_for(settings))
    written = site.write([*project_dashboards.values(), *broken], folder / "site")
    names = [path.stem for path in written.pages.values()]
    (folder / "site" / "collect.html").write_text(COLLECTOR % {"pages": json.dumps(names)})
    server = serve(folder / "site")
    try:
        dom = chromium.dump_dom(f"http://127.0.0.1:{server.server_address[1]}/collect.html")
    finally:
        server.shutdown()
    found = re.search(r'<pre id="out">(.*?)</pre>', dom, re.DOTALL)
    assert found and found.group(1) != "pending", dom[:500]
    return written, json.loads(html.unescape(found.group(1)))


def _titles(node: dict) -> list[str]:
    out = []
    for widget in node.get("widgets") or []:
        definition = widget["definition"]
        if definition.get("title"):
            out.append(definition["title"])
        if definition["type"] == "group":
            out += _titles(definition)
    return out


def test_every_widget_title_is_on_its_page(rendered, project_dashboards):
    _, measured = rendered
    for name, checked in project_dashboards.items():
        widgets = measured[name]["widgets"]
        assert sorted(w["title"] for w in widgets if w["title"]) == sorted(_titles(checked.dashboard)), name
        for widget in widgets:
            if widget["title"]:
                shown = widget["shown"].split(" ")[0] if widget["type"] == "group" else widget["shown"]
                assert widget["title"].startswith(shown.rstrip("…").strip()) and shown, (name, widget)


def _inside(inner: str, outer: str) -> bool:
    return inner.startswith(outer + ".")


def test_no_two_widget_boxes_overlap(rendered):
    _, measured = rendered
    for name, page in measured.items():
        widgets = page["widgets"]
        assert widgets, name
        for i, a in enumerate(widgets):
            for b in widgets[i + 1:]:
                if _inside(a["path"], b["path"]) or _inside(b["path"], a["path"]):
                    continue
                (al, at, ar, ab), (bl, bt, br, bb) = a["rect"], b["rect"]
                overlap = min(ar, br) - max(al, bl), min(ab, bb) - max(at, bt)
                assert overlap[0] <= 0 or overlap[1] <= 0, (name, a["path"], b["path"])
        for widget in widgets:  # widgets of a group are drawn inside it
            for group in widgets:
                if _inside(widget["path"], group["path"]):
                    (wl, wt, wr, wb), (gl, gt, gr, gb) = widget["rect"], group["rect"]
                    assert gl <= wl and gt <= wt and wr <= gr and wb <= gb, (name, widget["path"])


def test_the_wildcard_heatmap_is_an_svg_with_every_fom_row(rendered):
    import _jsonnet

    foms = json.loads(_jsonnet.evaluate_snippet(
        "foms.jsonnet", "[f.title for f in (import 'foms.libsonnet').all]", jpathdir=[str(REPO / "components")]))
    assert len(foms) == 19
    _, measured = rendered
    charts = measured["system_health_rollup_wildcard"]["charts"]
    assert len(charts) == 1
    labels = charts[0]["labels"]  # a row label is the FoM's title, or 'Area · title'

    def row_of(label: str) -> str | None:
        return next((fom for fom in foms if label == fom or label.endswith("· " + fom)), None)

    assert [row_of(label) for label in labels if row_of(label)] == foms  # one row per FoM, in rollup order
    assert charts[0]["cells"] == 19 * 7


def test_a_finding_is_pinned_on_the_widget_it_concerns(rendered):
    _, measured = rendered
    pins = measured["pinned"]["pins"]
    assert {"rule": "R201", "widget": "Errors"} in pins
    assert all(pin["widget"] != "Requests" for pin in pins)


def test_a_screenshot_shows_the_whole_page(rendered, tmp_path):
    written, _ = rendered
    page = written.pages["github_cicd"]
    png = chromium.screenshot(page, tmp_path / "github_cicd.png", written.heights["github_cicd"])
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (chromium.WIDTH, written.heights["github_cicd"])
    assert len(data) > 50_000  # a drawn page, not a blank one


def test_pages_fetch_nothing_from_the_network(rendered):
    written, _ = rendered
    for page in [written.index, *written.pages.values()]:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<(?:script|link|img)[^>]+(?:src|href)=\"https?:", text), page.name
    assert shutil.which("true")  # sanity: the environment runs external programs at all
