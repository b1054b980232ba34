"""Planning a push: find each dashboard's remote, compare normalised forms, decide what to do.

Only reads Datadog (GET, list). The decision per dashboard is one of:

- create: no remote yet (no registered ID, or the registered ID answers 404, and no remote dashboard has
  exactly this title that is not managed under another name);
- unchanged: the normalised remote equals the normalised local dashboard;
- update: they differ and the remote is as last pushed;
- conflict: they differ and the remote was edited since the last push (its `modified_at` differs from the
  registry's AND its normalised hash differs from the hash last pushed), or nothing was ever pushed from
  here (an entry registered by hand, or a dashboard adopted by title): overwriting needs `--force`;
- replace: `layout_type` differs, which an update cannot change: needs `--force` (create, record, delete).

A GET that answers 403, 429 or 5xx raises: it is never read as "not found", which would create duplicates.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import re
import threading
from typing import Any

from metta_dash.datadog import Client
from metta_dash.diff import Change, diff
from metta_dash.errors import MettaDashError
from metta_dash.normalize import content_hash, normalize
from metta_dash.registry import Entry, Registry


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    REPLACE = "replace"


@dataclasses.dataclass
class Plan:
    """What pushing one dashboard would do, with everything needed to do it."""

    name: str
    action: Action
    dashboard: dict[str, Any]
    remote: dict[str, Any] | None = None
    remote_id: str | None = None
    changes: list[Change] = dataclasses.field(default_factory=list)
    reason: str = ""
    # The remote was found by its title rather than by a registered ID.
    adopted: bool = False
    # For a replace: a remote with the new layout left by an interrupted replace, reused instead of a create.
    replacement_id: str | None = None
    force: bool = False

    @property
    def blocked(self) -> bool:
        """A conflict, or a replace without --force: nothing is written."""
        return self.action is Action.CONFLICT or (self.action is Action.REPLACE and not self.force)


class RemoteTitles:
    """The remote dashboard list, fetched at most once (and only when a title lookup is needed).

    A failed fetch is remembered too: every dashboard of the push that needs the list fails alike, rather
    than some succeeding on a second try against a server that just answered garbage.
    """

    def __init__(self, client: Client):
        self._client = client
        self._lock = threading.Lock()
        self._summaries: list[dict[str, Any]] | None = None
        self._error: MettaDashError | None = None

    def summaries(self) -> list[dict[str, Any]]:
        with self._lock:
            if self._error is not None:
                raise self._error
            if self._summaries is None:
                try:
                    self._summaries = self._client.list()
                except MettaDashError as error:
                    self._error = error
                    raise
            return self._summaries

    def matching(self, title: str, excluded_ids: set[str]) -> list[dict[str, Any]]:
        return [s for s in self.summaries() if s.get("title") == title and s.get("id") not in excluded_ids]


class AmbiguousTitle(MettaDashError):
    """Several remote dashboards carry the title of one to create: adopting one at random would be wrong."""


def state_of(remote: dict[str, Any], title: str | None, origin: str | None = None) -> Entry:
    """The registry entry recording `remote` as the state last pushed (`origin`: see registry.Entry)."""
    return Entry(
        id=str(remote["id"]),
        title=title,
        modified_at=_text(remote.get("modified_at")),
        content_hash=content_hash(normalize(remote)),
        origin=origin,
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def find_remote(
    name: str, title: str | None, client: Client, registry: Registry, titles: RemoteTitles
) -> tuple[dict[str, Any] | None, bool]:
    """The remote of dashboard `name` and whether it was adopted by title (GET errors raise)."""
    entry = registry.get(name)
    if entry is not None:
        remote = client.get(entry.id)
        if remote is not None:
            return remote, False
    if not title:
        return None, False
    others = registry.ids_of_others(name)
    candidates = titles.matching(title, others)
    if len(candidates) > 1:
        ids = ", ".join(str(c.get("id")) for c in candidates)
        raise AmbiguousTitle(
            f"{len(candidates)} remote dashboards are titled {title!r} ({ids}); refusing to guess which is {name!r}",
            hint=f"record the right ID for {name!r} in the registry, or delete the extra dashboards "
            "(metta-dash delete ID)",
        )
    if candidates:
        candidate_id = str(candidates[0]["id"])
        remote = client.get(candidate_id)
        if remote is None:
            # Listed a moment ago, 404 now: deleted meanwhile, or a flaky answer. Creating would risk a duplicate.
            raise MettaDashError(
                f"dashboard {candidate_id}, titled {title!r}, was listed but its GET answered 404; refusing to create "
                f"{name!r} again beside it",
                hint="run the push again: if the dashboard was deleted, it is then created",
            )
        return remote, True
    return None, False


@dataclasses.dataclass(frozen=True)
class Target:
    """Where a dashboard goes: its remote, found by the registered ID or adopted by its title, or none yet
    (it is to be created)."""

    remote: dict[str, Any] | None
    adopted: bool = False

    @property
    def dashboard_id(self) -> str | None:
        return None if self.remote is None else str(self.remote["id"])


def resolve_target(name: str, title: str | None, client: Client, registry: Registry, titles: RemoteTitles) -> Target:
    """The target of dashboard `name`: registered ID, else (404 or none) a remote with its title, else none."""
    remote, adopted = find_remote(name, title, client, registry, titles)
    return Target(remote, adopted)


def plan_dashboard(
    name: str,
    dashboard: dict[str, Any],
    client: Client,
    registry: Registry,
    titles: RemoteTitles,
    force: bool = False,
    target: Target | None = None,
) -> Plan:
    """Decide what pushing `dashboard` (compiled, valid) as `name` would do; `target` when already resolved."""
    title = dashboard.get("title")
    target = target or resolve_target(name, title, client, registry, titles)
    remote, adopted = target.remote, target.adopted
    if remote is None:
        entry = registry.get(name)
        gone = f"registered ID {entry.id} is not in Datadog (HTTP 404)" if entry else ""
        return Plan(name, Action.CREATE, dashboard, force=force, reason=gone)
    remote_id = str(remote["id"])
    local_form, remote_form = normalize(dashboard), normalize(remote)
    changes = diff(remote_form, local_form)
    plan = Plan(name, Action.UNCHANGED, dashboard, remote, remote_id, changes, adopted=adopted, force=force)
    if adopted:
        plan.reason = f"adopted by title {title!r}"
    if not changes:
        return plan
    if remote_form.get("layout_type") != local_form.get("layout_type"):
        plan.action = Action.REPLACE
        plan.reason = (
            f"layout_type changes from {remote_form.get('layout_type')!r} to {local_form.get('layout_type')!r}: "
            "Datadog cannot update it, the dashboard is re-created under a new ID"
        )
        others = registry.ids_of_others(name) | {remote_id}
        leftover = [s for s in titles.matching(title, others) if s.get("layout_type") == local_form.get("layout_type")]
        if len(leftover) == 1:
            plan.replacement_id = str(leftover[0]["id"])
        return plan
    entry = registry.get(name)
    edited = _edited_since_push(entry, remote, remote_form, adopted, local_form)
    if edited and not force:
        plan.action = Action.CONFLICT
        plan.reason = edited
        return plan
    plan.action = Action.UPDATE
    if edited:
        plan.reason = f"{edited}; overwritten (--force)"
    return plan


# A link to another dashboard as compile writes it: `/dashboard/<id>`, or the placeholder for a name with no ID.
_DASHBOARD_LINK = re.compile(
    r"/dashboard/(?:lists\?q=[A-Za-z0-9_.-]+|[A-Za-z0-9][A-Za-z0-9_-]*)(?![A-Za-z0-9_.-])"
)


def _differs_only_in_links(remote_form: dict[str, Any], local_form: dict[str, Any]) -> bool:
    """Whether the two differ only in where their links to other dashboards point.

    Those links are this tool's to set: a dashboard it created in a push killed before the links were sent
    again (or recorded) holds placeholders or stale IDs, and overwriting them loses nothing of anyone's.
    """
    def masked(form: dict[str, Any]) -> str:
        return _DASHBOARD_LINK.sub("/dashboard/*", json.dumps(form, sort_keys=True))

    return masked(remote_form) == masked(local_form)


def _edited_since_push(
    entry: Entry | None, remote: dict[str, Any], remote_form: dict[str, Any], adopted: bool,
    local_form: dict[str, Any],
) -> str:
    """Why the remote may hold edits made outside this tool ('' when it is as last pushed)."""
    unknown_baseline = adopted or entry is None or not entry.has_pushed_state
    if unknown_baseline and _differs_only_in_links(remote_form, local_form):
        return ""
    if adopted or entry is None:
        return "found by title, never pushed from here: its content differs"
    if not entry.has_pushed_state:
        return "registered by hand, never pushed from here: its content differs"
    if _text(remote.get("modified_at")) != entry.modified_at and content_hash(remote_form) != entry.content_hash:
        return f"edited outside this tool since the last push (modified {remote.get('modified_at')})"
    return ""
