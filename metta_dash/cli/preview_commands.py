"""preview, watch: see the dashboards before pushing them."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import click

from metta_dash import report
from metta_dash.cli.options import jsonnet_options, load_project, use_colour
from metta_dash.findings import has_errors
from metta_dash.validate import all_findings

NAMES = click.argument("names", nargs=-1)
OUTPUT = click.option(
    "-o", "--output", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("build/preview"),
    show_default=True, help="Folder the preview site is written to.",
)
FORCE = click.option(
    "--force", is_flag=True, help="Write the site into a folder that holds other files (outside build/).",
)


def _print_findings(results) -> bool:
    findings = all_findings(results)
    files = len({checked.source for checked in results})
    click.echo(report.render(findings, "text", files, colour=use_colour()))
    return has_errors(findings)


@click.command()
@NAMES
@OUTPUT
@FORCE
@click.option("--open", "open_browser", is_flag=True, help="Open the index in the default web browser.")
@click.option("--png", is_flag=True,
              help="Also write a screenshot of each page (DASHBOARD.png) with headless Chromium.")
@jsonnet_options
def preview(names, folder, force, open_browser, png, **jsonnet_args) -> int:
    """Write an offline HTML preview of dashboards (NAMES: dashboard names, default all).

    Each page draws the dashboard on Datadog's 12-column grid: sections, widget boxes with their type,
    title, size, queries, formulas, markers and threshold colours, notes as Markdown, wildcard widgets
    rendered from their Vega-Lite spec on sample data, and every finding pinned on its widget. Works
    offline: nothing is fetched when a page is viewed. Exits 1 when a dashboard has errors.
    """
    from metta_dash import preview as previews

    settings, options = load_project(**jsonnet_args)
    made = previews.build(settings, options, names, folder, png=png, force=force)
    failed = _print_findings(made.results)
    click.echo(f"preview: {made.index}")
    for shot in made.screenshots:
        click.echo(f"screenshot: {shot}")
    if open_browser:
        webbrowser.open(made.index.resolve().as_uri())
    return 1 if failed else 0


@click.command()
@NAMES
@OUTPUT
@FORCE
@click.option("--port", type=click.IntRange(0, 65535), default=8050, show_default=True,
              help="Loopback port the preview is served on (0: any free port).")
@jsonnet_options
def watch(names, folder, force, port, **jsonnet_args) -> int:
    """Rebuild and re-validate dashboards on every save, and serve their preview with live reload.

    A saved .libsonnet rebuilds only the dashboards importing it (directly or not); a saved dashboard
    rebuilds itself. Findings are printed after each rebuild; the preview at http://127.0.0.1:PORT/
    reloads itself. Stop with Ctrl-C.
    """
    from metta_dash import watch as watching

    settings, options = load_project(**jsonnet_args)
    watcher = watching.Watcher(settings, options, names, folder, force=force)
    state = {"server": None}

    def report_round(round_: watching.Rebuild) -> None:
        if round_.changed:
            shown = ", ".join(sorted(p.name for p in round_.changed))
            rebuilt = ", ".join(sorted({c.name or c.source.stem for c in round_.results})) or "nothing"
            click.echo(f"\nchanged {shown}: rebuilt {rebuilt}")
        _print_findings(round_.results)
        if state["server"] is None:
            state["server"] = watching.serve(folder, port)
            click.echo(f"serving the preview at http://127.0.0.1:{state['server'].server_address[1]}/ (Ctrl-C stops)")

    try:
        watcher.run(report_round)
    finally:
        if state["server"] is not None:
            state["server"].shutdown()
    return 0


COMMANDS = (preview, watch)
