"""Sync many dashboards with Datadog: push (or plan) concurrently, pull, export, list, delete, prune.

The library API behind `metta-dash push/diff/pull/export/list/delete`. Dashboards are pushed by a
bounded pool of threads; one failure never stops the others; every result comes back as an Outcome.
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from metta_dash import compile as jsonnet
from metta_dash.build import project_sources
from metta_dash.datadog import Client, DashboardNotFound, DatadogError
from metta_dash.errors import ConfigError, MettaDashError
from metta_dash.files import check_overwrite, contained, write_atomic
from metta_dash.findings import has_errors
from metta_dash.normalize import normalize, pretty_json
from metta_dash.plan import RemoteTitles, plan_dashboard
from metta_dash.push import CREATED, FAILED, STATES, UNCHANGED, UPDATED, Outcome, apply, outcome_of_plan
from metta_dash.registry import ADOPTED, Registry
from metta_dash.secrets import redact
from metta_dash.settings import Settings
from metta_dash.validate import Checked, check_sources

DEFAULT_JOBS = 8
Progress = Callable[[int, int, str], None]
LINK_PLACEHOLDER = "C004"  # compile warning: a link to a dashboard that had no ID yet


@dataclasses.dataclass
class Project:
    """Every dashboard of a project, compiled and validated, by name; sources that yielded none apart."""

    dashboards: dict[str, Checked]
    broken: list[Checked]
    settings: Settings

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


def load_project(settings: Settings, options: jsonnet.Options) -> Project:
    """Compile and validate every dashboard source of the project."""
    dashboards: dict[str, Checked] = {}
    broken: list[Checked] = []
    for checked in check_sources(project_sources(settings), settings, options):
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
    return Project(dashboards, broken, settings)


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
) -> list[Outcome]:
    """Push (or, with dry_run, only plan) each dashboard; outcomes in the order given.

    A dashboard with validation errors is never sent. `all_titles` are (name, title) pairs of every
    dashboard of the project: two dashboards sharing a title are refused, since a dashboard whose ID is
    lost is found again by its title.
    """
    selected = list(selected)
    titles = RemoteTitles(client)
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
        try:
            plan = plan_dashboard(checked.name, checked.dashboard, client, registry, titles, force)
            if dry_run:
                return outcome_of_plan(plan, dry_run=True)
            return apply(plan, client, registry, str(checked.source))
        except MettaDashError as error:
            return Outcome(checked.name, FAILED, message=str(error), dry_run=dry_run)
        except Exception as error:  # noqa: BLE001 - one dashboard's surprise must not stop the others
            return Outcome(checked.name, FAILED, message=redact(f"unexpected {type(error).__name__}: {error}"),
                           dry_run=dry_run)

    done = len(selected) - len(work)
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="push") as pool:
        futures = {pool.submit(one, selected[index]): index for index in work}
        for future in as_completed(futures):
            index = futures[future]
            outcomes[index] = future.result()
            done += 1
            if progress is not None:
                progress(done, len(selected), selected[index].name)
    return [outcome for outcome in outcomes if outcome is not None]


def resolve_new_links(
    project: Project, outcomes: list[Outcome], client: Client, registry: Registry, options: jsonnet.Options,
    jobs: int = DEFAULT_JOBS,
) -> list[Outcome]:
    """Dashboards linking to a dashboard created just now had a placeholder link: push them once more."""
    if not any(o.state == CREATED for o in outcomes):
        return outcomes
    pushed = {o.name for o in outcomes if o.ok}
    placeholders = {
        name for name, c in project.dashboards.items() if any(f.rule == LINK_PLACEHOLDER for f in c.findings)
    }
    if not pushed & placeholders:
        return outcomes
    # The registry now holds the new IDs: compiling again resolves the links.
    options = dataclasses.replace(options, dashboard_ids={**options.dashboard_ids, **registry.ids()})
    recompiled = load_project(project.settings, options)
    relinked = [c for name, c in recompiled.dashboards.items() if name in pushed & placeholders]
    titles = [(name, c.dashboard.get("title")) for name, c in recompiled.dashboards.items()]
    again = {o.name: o for o in push(relinked, client, registry, jobs=jobs, all_titles=titles)}
    merged = []
    for outcome in outcomes:
        second = again.get(outcome.name)
        if second is None or second.state == UNCHANGED:
            merged.append(outcome)
        elif second.state == UPDATED:
            outcome.state = CREATED if outcome.state == CREATED else UPDATED
            outcome.message = "; ".join(filter(None, [outcome.message, "links to new dashboards resolved"]))
            merged.append(outcome)
        else:
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
