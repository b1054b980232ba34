"""metrics: is every metric the dashboards read still reporting to Datadog?"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict

import click

from metta_dash import metric_check, sync
from metta_dash.cli.options import jsonnet_options, load_project
from metta_dash.cli.sync_commands import NAMES, _client, _Progress, api_url_option, output_format
from metta_dash.metric_check import FAILED, LIVE, SILENT, UNKNOWN, MetricStatus, MetricUse

PROBLEMS = (SILENT, UNKNOWN, FAILED)
EXPLAINED = {
    SILENT: "no point in the last {days} days (Datadog knows the metric: its collector stopped or lost it)",
    UNKNOWN: "Datadog has never seen this metric (a typo, or a collector that never sent it)",
}


@click.command(name="metrics")
@NAMES
@click.option("--days", type=click.IntRange(min=1, max=365), default=metric_check.DEFAULT_DAYS, show_default=True,
              help="A metric is alive when it has a point in this many days.")
@click.option("--jobs", "-j", type=click.IntRange(min=1, max=32), default=metric_check.DEFAULT_JOBS,
              show_default=True, help="Metrics checked at the same time.")
@click.option("--list", "list_only", is_flag=True,
              help="Only list the metrics each dashboard reads; ask Datadog nothing.")
@api_url_option
@jsonnet_options
@output_format
def metrics_command(names, days, jobs, list_only, api_url, timeout, fmt, **jsonnet_args) -> int:
    """Check that every metric the dashboards read has reported lately (NAMES: dashboard names, default all).

    Lists the metrics each dashboard queries, asks Datadog's metrics API about each one (its points over the
    last --days days; for a metric without any, its metadata), and reports every widget that reads a silent
    metric (known to Datadog, no recent point) or an unknown one (never seen). Exits 0 when every metric is
    live, 1 when one is silent or unknown, could not be checked, or a dashboard does not compile.
    """
    settings, options = load_project(**jsonnet_args)
    selected = sync.load_project(settings, options).select(names)
    broken = [checked for checked in selected if checked.dashboard is None]
    uses = [use for checked in selected if checked.dashboard is not None
            for use in metric_check.metric_uses(checked.name or checked.source.stem, checked.dashboard)]
    statuses: dict[str, MetricStatus] = {}
    if not list_only and uses:
        progress = _Progress()
        try:
            with _client(api_url, timeout, settings) as client:
                statuses = metric_check.check_metrics(client, {u.metric for u in uses}, days=days, jobs=jobs,
                                                      progress=progress)
        finally:
            progress.clear()
    if fmt == "json":
        click.echo(json.dumps(_document(uses, statuses, broken, days), indent=2))
    else:
        _echo_text(uses, statuses, broken, days)
    failing = broken or any(status.state in PROBLEMS for status in statuses.values())
    return 1 if failing else 0


def _by_dashboard(uses: list[MetricUse]) -> dict[str, dict[str, list[MetricUse]]]:
    grouped: dict[str, dict[str, list[MetricUse]]] = defaultdict(lambda: defaultdict(list))
    for use in uses:
        grouped[use.dashboard][use.metric].append(use)
    return grouped


def _widget(use: MetricUse) -> str:
    title = f" {use.title!r}" if use.title else ""
    return f"{use.widget_type or 'widget'}{title} {use.path}"


def _day(epoch: float | None) -> str:
    if epoch is None:
        return ""
    return datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC).strftime("%Y-%m-%d")


def _echo_text(uses, statuses, broken, days) -> None:
    for checked in broken:
        click.secho(f"{checked.name or checked.source}: does not compile; run `metta-dash validate` "
                    f"({len(checked.findings)} finding(s))", fg="red")
    for dashboard, metrics in _by_dashboard(uses).items():
        states = [statuses[m].state for m in metrics if m in statuses]
        problems = sum(state in PROBLEMS for state in states)
        click.echo(f"{dashboard}: {len(metrics)} metric(s)" + (f", {problems} not live" if problems else ""))
        for metric, readers in sorted(metrics.items()):
            status = statuses.get(metric)
            if status is None:
                click.echo(f"  {metric}  ({len(readers)} widget(s))")
            elif status.state == LIVE:
                click.echo(f"  live     {metric}  (last point {_day(status.last_seen)})")
            else:
                reason = status.error if status.state == FAILED else EXPLAINED[status.state].format(days=days)
                click.secho(f"  {status.state:<8} {metric}: {reason}", fg="yellow" if status.state == SILENT else "red")
                for use in readers:
                    click.echo(f"           read by {_widget(use)}")
    if statuses:
        counts = {state: sum(s.state == state for s in statuses.values()) for state in (LIVE, *PROBLEMS)}
        click.echo(f"{len(statuses)} metric(s) in {len(_by_dashboard(uses))} dashboard(s) over {days} days: "
                   f"{counts[LIVE]} live, {counts[SILENT]} silent, {counts[UNKNOWN]} unknown, "
                   f"{counts[FAILED]} could not be checked")


def _document(uses, statuses, broken, days) -> dict:
    dashboards = {}
    for dashboard, metrics in _by_dashboard(uses).items():
        dashboards[dashboard] = [
            {
                "metric": metric,
                "state": statuses[metric].state if metric in statuses else None,
                "last_seen": _day(statuses[metric].last_seen) or None if metric in statuses else None,
                "error": statuses[metric].error if metric in statuses and statuses[metric].error else None,
                "widgets": [{"path": u.path, "title": u.title, "type": u.widget_type} for u in readers],
            }
            for metric, readers in sorted(metrics.items())
        ]
    return {
        "version": 1,
        "days": days,
        "dashboards": dashboards,
        "not_compiled": [str(checked.name or checked.source) for checked in broken],
    }


COMMANDS = (metrics_command,)
