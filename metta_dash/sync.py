"""Sync many dashboards with Datadog: push (or plan) concurrently, pull, export, list, delete, prune.

The library API behind `metta-dash push/diff/pull/export/list/delete`. Dashboards are pushed by a
bounded pool of threads; one failure never stops the others; every result comes back as an Outcome.
"""

from __future__ import annotations

import collections
import dataclasses
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from metta_dash import compile as jsonnet
from metta_dash import relink
from metta_dash.build import project_sources
from metta_dash.datadog import Client, DashboardNotFound, DatadogError
from metta_dash.errors import ConfigError, MettaDashError
from metta_dash.files import check_overwrite, contained, write_atomic
from metta_dash.findings import has_errors
from metta_dash.normalize import normalize, pretty_json
from metta_dash.plan import Action, RemoteTitles, Target, plan_dashboard, resolve_target
from metta_dash.push import (
    CREATED,
    FAILED,
    NOT_SENT,
    REPLACED,
    STATES,
    UNCHANGED,
    UPDATED,
    Outcome,
    apply,
    outcome_of_plan,
)
from metta_dash.registry import ADOPTED, Registry
from metta_dash.secrets import redact
from metta_dash.settings import Settings
from metta_dash.validate import Checked, check_sources

DEFAULT_JOBS = 8
Progress = Callable[[int, int, str], None]


@dataclasses.dataclass
class Project:
    """The dashboards of a project, compiled and validated, by name; sources that yielded none apart.

    `complete` is False when only the sources of some named dashboards were compiled.
    """

    dashboards: dict[str, Checked]
    broken: list[Checked]
    settings: Settings
    complete: bool = True

    def select(self, names: Sequence[str]) -> list[Checked]:
        """The dashboards called `names` (all when empty); an unknown name is a usage error.

        A named source that does not compile is selected too, so that its findings are reported.
        """
        if not names:
            return list(self.dashboards.values())
        broken = {c.source.stem: c for c in self.broken}
        unknown = [n for n in names if n not in self.dashboards and n not in broken]
        if unknown:
            known = ", ".join(sorted([*self.dashboards, *broken])) or "none"
            raise ConfigError(f"no dashboard named {', '.join(map(repr, unknown))} (known: {known})")
        return [self.dashboards.get(n) or broken[n] for n in dict.fromkeys(names)]

    def titles(self, registry: Registry) -> list[tuple[str, str | None]]:
        """(name, title) of every dashboard: compiled ones, and the registry's record of the others."""
        pairs = [(name, c.dashboard.get("title")) for name, c in self.dashboards.items()]
        if not self.complete:
            pairs += [(name, e.title) for name, e in registry.entries.items() if name not in self.dashboards]
        return pairs


def load_project(
    settings: Settings, options: jsonnet.Options, names: Sequence[str] = (), progress: Progress | None = None
) -> Project:
    """Compile and validate the project's dashboard sources: every one, or with `names` only theirs.

    A name is found as `<name>.jsonnet`; when one is not (a key of a multi-dashboard file), every source
    is compiled.
    """
    sources = project_sources(settings)
    wanted = [settings.dashboards / f"{name}.jsonnet" for name in dict.fromkeys(names)]
    complete = not wanted or not all(path in sources for path in wanted)
    if not complete:
        sources = wanted
    dashboards: dict[str, Checked] = {}
    broken: list[Checked] = []
    for done, source in enumerate(sources, start=1):
        if progress is not None:
            progress(done, len(sources), f"compile {source.stem}")
        for checked in check_sources([source], settings, options):
            if checked.name is None or checked.dashboard is None:
                broken.append(checked)
            elif checked.name in dashboards:
                raise ConfigError(
                    f"dashboard name {checked.name!r} comes from both {dashboards[checked.name].source} and "
                    f"{checked.source}",
                    hint="names are file stems or keys of multi-dashboard files and must be unique",
                )
            else:
                dashboards[checked.name] = checked
    return Project(dashboards, broken, settings, complete)


def push(
    selected: Iterable[Checked],
    client: Client,
    registry: Registry,
    *,
    force: bool = False,
    dry_run: bool = False,
    jobs: int = DEFAULT_JOBS,
    progress: Progress | None = None,
    all_titles: Iterable[tuple[str, str | None]] = (),
    targets: Mapping[str, Target | MettaDashError] | None = None,
    titles: RemoteTitles | None = None,
    stop: threading.Event | None = None,
) -> list[Outcome]:
    """Push (or, with dry_run, only plan) each dashboard; outcomes in the order given.

    A dashboard with validation errors is never sent. `all_titles` are (name, title) pairs of every
    dashboard of the project: two dashboards sharing a title are refused, since a dashboard whose ID is
    lost is found again by its title. `targets` are those already resolved (an error: resolving failed).
    Once `stop` is set, no write starts: the dashboards not yet written come back NOT_SENT; writes already
    under way finish and are recorded.
    """
    selected = list(selected)
    titles = titles or RemoteTitles(client)
    targets = targets or {}
    shared = _shared_titles(all_titles or [(c.name, (c.dashboard or {}).get("title")) for c in selected])
    outcomes: list[Outcome | None] = [None] * len(selected)
    work = []
    for index, checked in enumerate(selected):
        refused = _refusal(checked, shared, dry_run)
        if refused is not None:
            outcomes[index] = refused
        else:
            work.append(index)

    def one(checked: Checked) -> Outcome:
        if stop is not None and stop.is_set() and not dry_run:  # not even planned: no request at all
            return Outcome(checked.name, NOT_SENT, message="interrupted before it was sent")
        try:
            target = targets.get(checked.name)
            if isinstance(target, MettaDashError):
                raise target
            plan = plan_dashboard(checked.name, checked.dashboard, client, registry, titles, force, target)
            if dry_run:
                return outcome_of_plan(plan, dry_run=True)
            if stop is not None and stop.is_set() and plan.action is not Action.UNCHANGED and not plan.blocked:
                return Outcome(checked.name, NOT_SENT, str(plan.action), plan.remote_id,
                               message="interrupted before it was sent")
            return apply(plan, client, registry, str(checked.source))
        except MettaDashError as error:
            return Outcome(checked.name, FAILED, message=str(error), dry_run=dry_run)
        except Exception as error:  # noqa: BLE001 - one dashboard's surprise must not stop the others
            return Outcome(checked.name, FAILED, message=redact(f"unexpected {type(error).__name__}: {error}"),
                           dry_run=dry_run)

    for index, outcome in _each(one, [selected[i] for i in work], jobs, progress, "plan" if dry_run else "push"):
        outcomes[work[index]] = outcome
    return [outcome for outcome in outcomes if outcome is not None]


def _each(
    task: Callable[[Checked], Any], items: Sequence[Checked], jobs: int, progress: Progress | None, phase: str
) -> Iterator[tuple[int, Any]]:
    """Run `task` over `items` on a pool of `jobs` threads; (index, result) as each finishes."""
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix=phase) as pool:
        futures = {pool.submit(task, item): index for index, item in enumerate(items)}
        for done, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            if progress is not None:
                progress(done, len(items), f"{phase} {items[index].name}")
            yield index, future.result()


def push_project(
    project: Project,
    names: Sequence[str],
    client: Client,
    registry: Registry,
    options: jsonnet.Options,
    *,
    force: bool = False,
    dry_run: bool = False,
    jobs: int = DEFAULT_JOBS,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> list[Outcome]:
    """Push dashboards `names` (all when empty) of `project` so that their links settle in one run.

    1. Resolve each dashboard's target: the registered ID; if none, or it answers 404, a remote dashboard
       with its title (adopted); else none (to be created).
    2. Compile again the dashboards whose links named an ID that resolving changed.
    3. Plan and apply (see `push`).
    4. Dashboards whose links named a dashboard created (or replaced) in step 3 are compiled against the new
       IDs and sent once more, so the next push has nothing to send.
    Sources that do not compile come first, as failed outcomes, when everything is pushed.
    """
    selected = project.select(names)
    all_titles = project.titles(registry)
    titles = RemoteTitles(client)
    targets = _resolve_targets(selected, client, registry, titles, jobs, progress, stop)
    compiled_with = dict(options.dashboard_ids)
    resolved = {name: t.dashboard_id for name, t in targets.items() if isinstance(t, Target)}
    selected = _relinked(selected, project, options, compiled_with, {**compiled_with, **resolved})
    compiled_with.update(resolved)
    outcomes = push(selected, client, registry, force=force, dry_run=dry_run, jobs=jobs, progress=progress,
                    all_titles=all_titles, targets=targets, titles=titles, stop=stop)
    if not dry_run:
        outcomes = _resend_links(selected, outcomes, project, client, registry, options, compiled_with,
                                 jobs=jobs, progress=progress, all_titles=all_titles, stop=stop)
    if not names:
        outcomes = broken_outcomes(project, dry_run) + outcomes
    return outcomes


def _resolve_targets(
    selected: Sequence[Checked], client: Client, registry: Registry, titles: RemoteTitles, jobs: int,
    progress: Progress | None, stop: threading.Event | None = None,
) -> dict[str, Target | MettaDashError]:
    sendable = [c for c in selected if c.dashboard is not None and not has_errors(c.findings)]

    def one(checked: Checked) -> Target | MettaDashError:
        if stop is not None and stop.is_set():
            return MettaDashError("interrupted before its target was resolved")
        try:
            return resolve_target(checked.name, checked.dashboard.get("title"), client, registry, titles)
        except MettaDashError as error:
            return error

    return {sendable[index].name: target for index, target in _each(one, sendable, jobs, progress, "resolve")}


def _relinked(
    selected: list[Checked], project: Project, options: jsonnet.Options, compiled_with: relink.Ids, now: relink.Ids
) -> list[Checked]:
    stale = relink.linking(selected, relink.changed_names(compiled_with, now))
    if not stale:
        return selected
    fresh = relink.recompile(stale, project.settings, options, now)
    return [fresh.get(c.name, c) if c.name else c for c in selected]


def _resend_links(
    selected: list[Checked], outcomes: list[Outcome], project: Project, client: Client, registry: Registry,
    options: jsonnet.Options, compiled_with: dict[str, str | None], **push_options: Any,
) -> list[Outcome]:
    """Send again the dashboards just pushed whose links named a dashboard whose ID this push gave or changed."""
    new_ids = {o.name: o.dashboard_id for o in outcomes if o.state in (CREATED, REPLACED) and o.dashboard_id}
    changed = relink.changed_names(compiled_with, {**compiled_with, **new_ids})
    pushed = {o.name for o in outcomes if o.state in (CREATED, UPDATED, REPLACED, UNCHANGED)}
    stale = [c for c in relink.linking(selected, changed) if c.name in pushed]
    if not stale:
        return outcomes
    stop = push_options.get("stop")
    if stop is not None and stop.is_set():
        for outcome in outcomes:
            if outcome.name in {c.name for c in stale}:
                outcome.message = "; ".join(filter(None, [outcome.message, "links to new dashboards not yet sent "
                                                          "(interrupted): push again"]))
        return outcomes
    fresh = relink.recompile(stale, project.settings, options, {**compiled_with, **new_ids})
    again = {o.name: o for o in push(list(fresh.values()), client, registry, **push_options)}
    merged = []
    for outcome in outcomes:
        second = again.get(outcome.name)
        if second is None or second.state == UNCHANGED:
            merged.append(outcome)
        elif second.state == UPDATED:
            if outcome.state == UNCHANGED:
                outcome.state = UPDATED
            outcome.message = "; ".join(filter(None, [outcome.message, "links to new dashboards resolved"]))
            outcome.changes = outcome.changes or second.changes
            merged.append(outcome)
        else:
            if outcome.state in (CREATED, UPDATED, REPLACED):  # what the first send did must not be lost from view
                done = f"{outcome.state} as {outcome.dashboard_id} and recorded"
                again_failed = "sending it again with the links to the new dashboards failed"
                second.message = f"{done}; {again_failed}: {second.message}"
            merged.append(second)
    return merged


def _shared_titles(pairs: Iterable[tuple[str, str | None]]) -> dict[str, list[str]]:
    by_title: dict[str, list[str]] = collections.defaultdict(list)
    for name, title in pairs:
        if title:
            by_title[title].append(name)
    return {title: names for title, names in by_title.items() if len(names) > 1}


def _refusal(checked: Checked, shared: dict[str, list[str]], dry_run: bool) -> Outcome | None:
    errors = [f for f in checked.findings if f.is_error]
    if checked.dashboard is None or has_errors(checked.findings):
        return Outcome(
            checked.name or checked.source.stem, FAILED, message=f"{len(errors)} validation error(s); not sent",
            findings=errors, dry_run=dry_run,
        )
    title = checked.dashboard.get("title")
    if title in shared:
        others = ", ".join(n for n in shared[title] if n != checked.name)
        return Outcome(
            checked.name, FAILED, dry_run=dry_run,
            message=f"title {title!r} is also the title of {others}: titles must be unique, since a dashboard "
            "whose ID is lost is found again by its title",
        )
    return None


def broken_outcomes(project: Project, dry_run: bool = False) -> list[Outcome]:
    """Sources that did not compile, as failed outcomes (they were selected by pushing everything)."""
    return [
        Outcome(c.source.stem, FAILED, message=f"{c.source} does not compile", findings=c.findings, dry_run=dry_run)
        for c in project.broken
    ]


def summary(outcomes: Sequence[Outcome]) -> dict[str, int]:
    counts = collections.Counter(outcome.state for outcome in outcomes)
    return {state: counts.get(state, 0) for state in STATES}


def has_changes(outcomes: Sequence[Outcome]) -> bool:
    return any(outcome.state != UNCHANGED for outcome in outcomes)


# -- pull, export, list, delete, prune -------------------------------------------------------------


@dataclasses.dataclass
class Pulled:
    name: str
    dashboard_id: str
    path: Path
    error: str = ""


def pull(
    names: Sequence[str], client: Client, registry: Registry, folder: Path, jobs: int = DEFAULT_JOBS, *,
    root: Path, force: bool = False,
) -> list[Pulled]:
    """Write the normalised remote JSON of managed dashboards `names` (all when empty) to `folder`/<name>.json.

    Existing files outside `root`/build are replaced only with `force`; the registry never is.
    """
    managed = registry.ids()
    unknown = [n for n in names if n not in managed]
    if unknown:
        raise ConfigError(
            f"not managed (no ID in {registry.path}): {', '.join(unknown)}",
            hint="push it first, or `metta-dash export ID` for any dashboard",
        )
    chosen = list(dict.fromkeys(names)) or sorted(managed)
    targets = {name: contained(folder, name) for name in chosen}
    for target in targets.values():  # every refusal before the first request
        check_overwrite(target, root, force, registry.path)

    def one(name: str) -> Pulled:
        pulled = Pulled(name, managed[name], targets[name])
        try:
            remote = client.get(pulled.dashboard_id)
        except DatadogError as error:
            pulled.error = str(error)
            return pulled
        if remote is None:
            pulled.error = f"dashboard {pulled.dashboard_id} not found in Datadog (HTTP 404)"
            return pulled
        write_atomic(pulled.path, pretty_json(normalize(remote)))
        return pulled

    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="pull") as pool:
        return list(pool.map(one, chosen))


def export(client: Client, dashboard_id: str, raw: bool = False) -> str:
    """Any dashboard as JSON text: normalised (read-only fields and server defaults out) unless `raw`."""
    remote = client.get(dashboard_id)
    if remote is None:
        raise MettaDashError(f"no dashboard {dashboard_id} in Datadog (HTTP 404)", hint="`metta-dash list` shows IDs")
    return pretty_json(remote if raw else normalize(remote))


def remote_list(client: Client, registry: Registry) -> list[dict[str, Any]]:
    """Remote dashboards with the name managing each (None when unmanaged); registered IDs missing remotely last."""
    managed = registry.ids()
    by_id = {dashboard_id: name for name, dashboard_id in managed.items()}
    rows = [
        {"id": str(s.get("id")), "title": s.get("title"), "name": by_id.get(str(s.get("id"))),
         "layout_type": s.get("layout_type"), "modified_at": s.get("modified_at"), "missing": False}
        for s in client.list()
    ]
    seen = {row["id"] for row in rows}
    rows.sort(key=lambda row: (row["name"] is None, row["name"] or "", str(row["title"])))
    rows += [
        {"id": dashboard_id, "title": registry.get(name).title, "name": name, "layout_type": None,
         "modified_at": None, "missing": True}
        for name, dashboard_id in sorted(managed.items()) if dashboard_id not in seen
    ]
    return rows


@dataclasses.dataclass
class Deleted:
    dashboard_id: str
    name: str | None
    state: str  # "deleted", "already gone" or "failed"
    message: str = ""


def delete(ids: Sequence[str], client: Client, registry: Registry) -> list[Deleted]:
    """Delete each dashboard and drop it from the registry; a 404 counts as deleted."""
    results = []
    for dashboard_id in dict.fromkeys(ids):
        name = registry.name_for_id(dashboard_id)
        result = Deleted(dashboard_id, name, "deleted")
        try:
            client.delete(dashboard_id)
        except DashboardNotFound:
            result.state = "already gone"
        except DatadogError as error:
            result.state, result.message = "failed", str(error)
            results.append(result)
            continue
        if name is not None:
            registry.remove(name)
        results.append(result)
    return results


PRUNE_LIMIT = 3  # more deletions than this at once need `allow_many`
PRUNE_SHARE = 0.2  # ... and so does deleting more than this share of the managed dashboards (2 or more)


@dataclasses.dataclass
class PrunePlan:
    """What a prune may delete: dashboards created from here whose source is gone; what it keeps and why."""

    candidates: list[tuple[str, str]]  # (name, id)
    kept: list[tuple[str, str, str]]  # (name, id, why)
    refusal: str = ""  # why nothing at all may be deleted


def plan_prune(project: Project, registry: Registry, allow_many: bool = False) -> PrunePlan:
    """Managed dashboards whose source is gone that a prune may delete, safe by construction.

    Nothing is deleted when no source was found (a mistyped folder looks like every dashboard removed)
    or a source does not compile (its dashboards' names are unknown). Only dashboards created by a push
    from here are candidates: an entry registered by hand, or adopted by title, may belong to someone
    else or simply have no source *yet* (`metta-dash delete ID` removes it explicitly). More than
    PRUNE_LIMIT deletions, or more than PRUNE_SHARE of the managed dashboards, need `allow_many`.
    """
    gone = [(name, entry) for name, entry in sorted(registry.entries.items()) if name not in project.dashboards]
    plan = PrunePlan([], [])
    for name, entry in gone:
        if entry.created_here:
            plan.candidates.append((name, entry.id))
        else:
            how = "adopted by title" if entry.origin == ADOPTED else "registered by hand"
            plan.kept.append((name, entry.id, f"{how}, not created from here (`metta-dash delete {entry.id}` "
                                              "removes it)"))
    if not project.dashboards and not project.broken:
        plan.refusal = f"no dashboard sources found in {project.settings.dashboards}: nothing is pruned"
    elif project.broken:
        files = ", ".join(str(c.source) for c in project.broken)
        plan.refusal = f"cannot tell which dashboards were removed while {files} does not compile: nothing is pruned"
    elif _large(len(plan.candidates), len(registry.entries)) and not allow_many:
        plan.refusal = (
            f"{len(plan.candidates)} of {len(registry.entries)} managed dashboards would be deleted: a prune that "
            f"large needs --allow-mass-prune as well as --yes; nothing is pruned"
        )
    return plan


def _large(count: int, managed: int) -> bool:
    return count > PRUNE_LIMIT or (count > 1 and count > PRUNE_SHARE * managed)
