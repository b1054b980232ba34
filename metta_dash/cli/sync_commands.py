"""push, diff, pull, export, list, delete: keep Datadog in step with the project, without duplicates."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import click

from metta_dash import output, sync
from metta_dash import registry as id_registry
from metta_dash import settings as project_settings
from metta_dash.cli.options import jsonnet_options, load_project, use_colour
from metta_dash.datadog import Client, checked_id
from metta_dash.files import check_overwrite, write_atomic
from metta_dash.push import Outcome
from metta_dash.report import format_text

NAMES = click.argument("names", nargs=-1)
MAX_CHANGES_SHOWN = 40
EXIT_INTERRUPTED = 130  # the shell's code for a process stopped by SIGINT


def api_url_option(func):
    func = click.option(
        "--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
        help="Seconds one request to Datadog may take (default: `timeout` under [tool.metta-dash], else 30). "
        "A rate-limit wait longer than `max_rate_limit_wait` (default 60) stops instead of waiting.",
    )(func)
    return click.option(
        "--api-url", envvar="DD_API_URL", default=None, metavar="URL",
        help="Datadog API URL (env DD_API_URL; default https://api.<DD_SITE>, DD_SITE defaulting to "
        "datadoghq.com); https, or http to a loopback address only. Keys come only from the environment: "
        "DD_API_KEY and DD_APP_KEY.",
    )(func)


def jobs_option(func):
    return click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=sync.DEFAULT_JOBS, show_default=True,
        help="Dashboards handled at the same time.",
    )(func)


def output_format(func):
    return click.option(
        "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
        help="Results as text, or as one JSON document.",
    )(func)


def _client(api_url: str | None, timeout: float | None, settings=None) -> Client:
    settings = settings or project_settings.load()
    return Client(api_url=api_url, timeout=timeout or settings.timeout,
                  max_rate_limit_wait=settings.max_rate_limit_wait, on_wait=_say)


class _Progress:
    """`[12/200] name` on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.shown = False

    def __call__(self, done: int, total: int, name: str) -> None:
        if self.enabled:
            click.echo(f"\r\033[K[{done}/{total}] {name}", nl=False, err=True)
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            click.echo("\r\033[K", nl=False, err=True)


def _outcome_lines(outcome: Outcome, show_changes: bool, colour: bool = False) -> list[str]:
    head = f"{outcome.label:<16} {outcome.name}"
    if outcome.dashboard_id:
        head += f" ({outcome.dashboard_id})"
    if outcome.message:
        head += f": {outcome.message}"
    lines = [head]
    if show_changes:
        shown = outcome.changes[:MAX_CHANGES_SHOWN]
        lines += [f"    {line}" for change in shown for line in change.describe_lines(colour)]
        if len(outcome.changes) > len(shown):
            lines.append(f"    ... and {len(outcome.changes) - len(shown)} more change(s)")
    lines += [f"    {format_text(finding)}" for finding in outcome.findings]
    return lines


def _summary_line(outcomes: list[Outcome], planned: bool = False) -> str:
    counts = sync.summary(outcomes)
    parts = ", ".join(f"{count} {state}" for state, count in counts.items() if count)
    note = " (dry run: nothing written)" if planned else ""
    return f"{len(outcomes)} dashboard(s): {parts or 'nothing to do'}{note}"


def _echo_results(outcomes: list[Outcome], fmt: str, extra: dict | None = None, planned: bool = False) -> None:
    if fmt == "json":
        command = click.get_current_context().info_name
        findings = [finding for outcome in outcomes for finding in outcome.findings]
        summary = {"dashboards": len(outcomes), **sync.summary(outcomes)}
        click.echo(output.dumps(output.document(command, [o.as_dict() for o in outcomes], findings, summary,
                                                **(extra or {}))))
        return
    for outcome in outcomes:
        for line in _outcome_lines(outcome, show_changes=outcome.state != "unchanged", colour=use_colour()):
            click.echo(line)
    click.echo(_summary_line(outcomes, planned))


def _say(message: str) -> None:
    click.echo(message, err=True)


@contextlib.contextmanager
def _graceful_interrupt(stop: threading.Event) -> Iterator[None]:
    """The first Ctrl-C sets `stop` (no new write starts; those under way finish and are recorded); a
    second one aborts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def first(signum, frame) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        _say("interrupted: no new write starts; waiting for those under way to finish and be recorded "
             "(Ctrl-C again to abort at once)")

    previous = signal.signal(signal.SIGINT, first)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _run_push(names, api_url, timeout, jobs, force, dry_run, jsonnet_args, settings, stop=None, everything=False):
    """Compile (only what `names` need, unless `everything`), then push or plan; progress covers both."""
    settings, options = load_project(**jsonnet_args, settings=settings)
    registry = id_registry.load(settings.registry)
    client = _client(api_url, timeout, settings)
    progress = _Progress()
    try:
        project = sync.load_project(settings, options, () if everything else names, progress)
        project.select(names)  # an unknown name is a usage error before any request
        with _graceful_interrupt(stop or threading.Event()):
            outcomes = sync.push_project(project, names, client, registry, options, force=force, dry_run=dry_run,
                                         jobs=jobs, progress=progress, stop=stop)
    finally:
        progress.clear()
    return project, registry, client, outcomes


@click.command()
@NAMES
@api_url_option
@click.option("--force", is_flag=True,
              help="Overwrite remote edits (conflicts) and re-create dashboards whose layout_type changed.")
@click.option("--dry-run", is_flag=True, help="Show the plan and the changes; write nothing.")
@click.option("--prune", is_flag=True,
              help="Also offer to delete dashboards created from here whose source is gone (asks for each unless "
              "--yes). Entries registered by hand or adopted by title are kept; nothing is pruned when no source "
              "was found or one does not compile.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before deleting (with --prune).")
@click.option("--allow-mass-prune", is_flag=True,
              help=f"Let --prune delete more than {sync.PRUNE_LIMIT} dashboards, or more than "
              f"{sync.PRUNE_SHARE:.0%} of the managed ones, at once.")
@jobs_option
@jsonnet_options
@output_format
def push(names, api_url, timeout, force, dry_run, prune, yes, allow_mass_prune, jobs, fmt, **jsonnet_args) -> int:
    """Compile, validate and push dashboards to Datadog (NAMES: dashboard names, default all).

    \b
    For each dashboard: its ID comes from the registry; the remote is fetched and both sides normalised.
      unchanged  equal: nothing is sent
      update     different, and the remote is as last pushed: PUT
      create     no remote: POST, the new ID recorded in the registry at once
      conflict   different, and the remote was edited since the last push (remote modified_at and
                 content hash both differ from the registry's): the diff is shown, nothing sent
      replace    layout_type changed: needs --force (create, record the new ID, delete the old one)
    Without a registered ID (or when it answers 404), a remote dashboard with exactly the same title is
    adopted instead of creating a duplicate; several such dashboards are refused, naming their IDs.

    \b
    A registered entry with no last-pushed state (an ID recorded by hand for a dashboard made in the UI),
    and a dashboard adopted by title, have no known baseline: if the remote differs from the source the
    first push is a conflict and needs --force (unless only its links to other dashboards differ: then it
    is updated); if they are equal, the state is recorded and later pushes follow the normal rule.

    Links between dashboards settle in one run: targets are resolved first, links compiled against them,
    and dashboards whose links named a dashboard created in this push are sent again.

    One push at a time per registry (a second waits for the lock). Ctrl-C: no new write starts, writes
    under way finish and are recorded, the rest is listed as "not sent" (exit 130).

    Dashboards with validation errors are never sent. Exits 0 only when every dashboard is created,
    updated, replaced or unchanged; conflicts and failures exit 1.
    """
    settings = project_settings.load()
    stop = threading.Event()
    with id_registry.locked(settings.registry, settings.lock_timeout, on_wait=_say):
        project, registry, client, outcomes = _run_push(
            names, api_url, timeout, jobs, force, dry_run, jsonnet_args, settings, stop, everything=prune
        )
        pruned = []
        if prune and not stop.is_set():
            pruned = _prune(project, registry, client, dry_run, yes, allow_mass_prune)
    extra = {"pruned": pruned} if prune else {}
    _echo_results(outcomes, fmt, {**extra, "interrupted": stop.is_set()}, planned=dry_run)
    if fmt == "text":
        _echo_pruned(pruned)
    if stop.is_set():
        written = sum(1 for o in outcomes if o.state in (sync.CREATED, sync.UPDATED, sync.REPLACED))
        not_sent = [o.name for o in outcomes if o.state == sync.NOT_SENT]
        _say(f"interrupted: {written} dashboard(s) written and recorded; not sent: {', '.join(not_sent) or 'none'}"
             + ("; --prune skipped" if prune else ""))
        return EXIT_INTERRUPTED
    ok = all(o.ok for o in outcomes) and all(p["state"] in ("deleted", "already gone", "would delete", "kept")
                                             for p in pruned)
    return 0 if ok else 1


def _prune(project, registry, client, dry_run: bool, yes: bool, allow_many: bool) -> list[dict]:
    plan = sync.plan_prune(project, registry, allow_many)
    results = [{"name": name, "id": dashboard_id, "state": "kept", "message": why}
               for name, dashboard_id, why in plan.kept]
    if plan.refusal:
        return results + [{"name": name, "id": dashboard_id, "state": "not pruned", "message": plan.refusal}
                          for name, dashboard_id in plan.candidates or [("-", "-")]]
    for name, dashboard_id in plan.candidates:
        if dry_run:
            results.append({"name": name, "id": dashboard_id, "state": "would delete"})
            continue
        if not yes and not click.confirm(
            f"{name} ({dashboard_id}) has no source any more. Delete it from Datadog?", err=True
        ):
            results.append({"name": name, "id": dashboard_id, "state": "kept"})
            continue
        for deleted in sync.delete([dashboard_id], client, registry):
            results.append({"name": name, "id": dashboard_id, "state": deleted.state, "message": deleted.message})
    return results


def _echo_pruned(results: list[dict]) -> None:
    for result in results:
        message = f": {result['message']}" if result.get("message") else ""
        label = "pruned" if result["state"] == "deleted" else result["state"]
        click.echo(f"{label:<16} {result['name']} ({result['id']}){message}")


@click.command(name="diff")
@NAMES
@api_url_option
@jobs_option
@jsonnet_options
@output_format
def diff_command(names, api_url, timeout, jobs, fmt, **jsonnet_args) -> int:
    """Show what a push would change, widget by widget (NAMES: dashboard names, default all).

    Lines read `~ TYPE 'TITLE' $.path: remote -> local`, `+ widget 'T' (TYPE) added at $.path, queries: ...`,
    `- widget 'T' (TYPE) removed from $.path`. A change inside a long string shows the changed words marked
    [-old-]{+new+} (in colour on a terminal); a multi-line string shows its changed lines.
    Exits 0 when nothing differs, 1 when something does (or a dashboard cannot be compared).
    """
    _, _, _, outcomes = _run_push(names, api_url, timeout, jobs, False, True, jsonnet_args, project_settings.load())
    if fmt == "json":
        _echo_results(outcomes, fmt)
    else:
        for outcome in outcomes:
            if outcome.state == "unchanged" and not outcome.changes:
                continue
            for line in _outcome_lines(outcome, show_changes=True, colour=use_colour()):
                click.echo(line)
        click.echo(_summary_line(outcomes))
    return 1 if sync.has_changes(outcomes) else 0


@click.command()
@NAMES
@api_url_option
@click.option("--output-dir", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write <name>.json into (default: build/pulled under the project root).")
@click.option("--force", is_flag=True, help="Overwrite existing files in a folder that is not under build/.")
@jobs_option
def pull(names, api_url, timeout, output_dir, force, jobs) -> int:
    """Write the remote JSON of managed dashboards (normalised, keys sorted) for review of UI edits.

    NAMES are registry names (default: every managed dashboard). Nothing in the project is changed.
    """
    settings, _ = load_project()
    registry = id_registry.load(settings.registry)
    folder = output_dir or settings.root / "build" / "pulled"
    client = _client(api_url, timeout, settings)
    results = sync.pull(names, client, registry, folder, jobs, root=settings.root, force=force)
    for result in results:
        if result.error:
            click.echo(f"failed  {result.name} ({result.dashboard_id}): {result.error}")
        else:
            click.echo(f"wrote   {result.path}")
    return 1 if any(result.error for result in results) else 0


@click.command()
@click.argument("dashboard_id", metavar="ID")
@api_url_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@click.option("--raw", is_flag=True, help="As Datadog returns it, without normalisation.")
@click.option("--force", is_flag=True, help="Overwrite an existing file (never the registry).")
def export(dashboard_id, api_url, timeout, output, raw, force) -> int:
    """Write any dashboard's JSON, normalised (read-only fields and server defaults removed) unless --raw.

    An existing file outside the project's build/ folder is overwritten only with --force.
    """
    settings = project_settings.load()
    if output is not None:
        check_overwrite(output, settings.root, force, settings.registry)
    text = sync.export(_client(api_url, timeout, settings), dashboard_id, raw)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    return 0


@click.command(name="list")
@api_url_option
@output_format
def list_command(api_url, timeout, fmt) -> int:
    """List remote dashboards, with the name of those managed here (and registered IDs missing remotely)."""
    settings, _ = load_project()
    rows = sync.remote_list(_client(api_url, timeout, settings), id_registry.load(settings.registry))
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, default=str))
        return 0
    for row in rows:
        name = row["name"] or "-"
        note = "  (registered, not found in Datadog)" if row["missing"] else ""
        click.echo(f"{row['id']:<14} {name:<28} {row['title']}{note}")
    managed = sum(1 for row in rows if row["name"] and not row["missing"])
    click.echo(f"{sum(1 for row in rows if not row['missing'])} remote dashboard(s), {managed} managed here")
    return 0


@click.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@api_url_option
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def delete(ids, api_url, timeout, yes) -> int:
    """Delete dashboards from Datadog and drop them from the registry.

    ID may also be the name of a managed dashboard. A dashboard whose source remains is created again
    by the next push: remove the source too.
    """
    settings = project_settings.load()
    with id_registry.locked(settings.registry, settings.lock_timeout, on_wait=_say):
        registry = id_registry.load(settings.registry)
        managed = registry.ids()
        resolved = [checked_id(managed.get(value, value)) for value in ids]
        listing = ", ".join(
            f"{i} ({registry.name_for_id(i)})" if registry.name_for_id(i) else i for i in dict.fromkeys(resolved)
        )
        if not yes and not click.confirm(f"Delete from Datadog: {listing}?", err=True):
            click.echo("nothing deleted")
            return 1
        results = sync.delete(resolved, _client(api_url, timeout, settings), registry)
    for result in results:
        name = f" ({result.name})" if result.name else ""
        message = f": {result.message}" if result.message else ""
        click.echo(f"{result.state:<13} {result.dashboard_id}{name}{message}")
    return 1 if any(result.state == "failed" for result in results) else 0


COMMANDS = (push, diff_command, pull, export, list_command, delete)
