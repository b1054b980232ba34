"""Carrying out one dashboard's plan: the writes to Datadog and the registry, in a crash-safe order.

- create: POST, then record the new ID at once (atomic write). Should the process die in between, the
  next push finds the dashboard by its title and adopts it instead of creating a second one.
- update: PUT, then record the remote `modified_at` and content hash as the state last pushed.
- replace (forced): create the new dashboard, record its ID, only then delete the old one, so the name
  always maps to a live dashboard.
Each outcome records what happened; a Datadog 400 comes back as findings pointing at the widget.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from metta_dash.datadog import Client, DashboardNotFound, DatadogError, widget_for_error
from metta_dash.diff import Change
from metta_dash.errors import MettaDashError
from metta_dash.findings import Finding, Severity
from metta_dash.plan import Action, Plan, state_of
from metta_dash.registry import ADOPTED, Registry
from metta_dash.registry import CREATED as CREATED_HERE

# Final states, in summary order. NOT_SENT: an interrupted push stopped before this dashboard's write.
CREATED, UPDATED, REPLACED, UNCHANGED, CONFLICT, FAILED, NOT_SENT = (
    "created", "updated", "replaced", "unchanged", "conflict", "failed", "not sent",
)
STATES = (CREATED, UPDATED, REPLACED, UNCHANGED, CONFLICT, FAILED, NOT_SENT)
_DONE = {Action.CREATE: CREATED, Action.UPDATE: UPDATED, Action.REPLACE: REPLACED, Action.UNCHANGED: UNCHANGED}


@dataclasses.dataclass
class Outcome:
    """What happened to one dashboard (or, in a dry run, what would)."""

    name: str
    state: str
    action: str | None = None
    dashboard_id: str | None = None
    changes: list[Change] = dataclasses.field(default_factory=list)
    message: str = ""
    findings: list[Finding] = dataclasses.field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return self.state not in (CONFLICT, FAILED, NOT_SENT)

    @property
    def label(self) -> str:
        if self.state == CONFLICT and self.action == "replace":
            return "replace"  # blocked until --force
        if self.dry_run and self.state not in (CONFLICT, FAILED, UNCHANGED, NOT_SENT):
            return f"would {self.action}"
        return self.state

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "state": self.state,
            "action": self.action,
            "dry_run": self.dry_run,
            "id": self.dashboard_id,
            "message": self.message,
            "changes": [change.as_dict() for change in self.changes],
            "findings": [finding.as_dict() for finding in self.findings],
        }


def outcome_of_plan(plan: Plan, dry_run: bool) -> Outcome:
    """The outcome of a plan that is not (or cannot be) carried out."""
    state = CONFLICT if plan.blocked else _DONE[plan.action]
    message = plan.reason
    if plan.action is Action.REPLACE and not plan.force:
        message = f"{plan.reason}; run with --force to replace it"
    elif plan.action is Action.CONFLICT:
        message = f"{plan.reason}; run with --force to overwrite (the changes below would be lost)"
    return Outcome(plan.name, state, str(plan.action), plan.remote_id, plan.changes, message, dry_run=dry_run)


def apply(plan: Plan, client: Client, registry: Registry, source: str = "") -> Outcome:
    """Carry out `plan`; Datadog errors become a failed outcome, never an exception."""
    outcome = outcome_of_plan(plan, dry_run=False)
    if plan.blocked:
        return outcome
    title = plan.dashboard.get("title")
    try:
        if plan.action is Action.UNCHANGED:
            _record_if_stale(plan, registry, title)
        elif plan.action is Action.CREATE:
            created = client.create(plan.dashboard)
            outcome.dashboard_id = str(created["id"])
            _record(registry, plan.name, created, title, "created", CREATED_HERE)
        elif plan.action is Action.UPDATE:
            updated = client.update(plan.remote_id, plan.dashboard)
            _record(registry, plan.name, updated, title, "updated", _origin(plan, registry))
        elif plan.action is Action.REPLACE:
            outcome.dashboard_id = _replace(plan, client, registry, title)
            outcome.message = f"{plan.reason}; old ID {plan.remote_id} deleted"
    except DatadogError as error:
        return _failed(outcome, error, plan.dashboard, source)
    except MettaDashError as error:
        outcome.state, outcome.message = FAILED, str(error)
    return outcome


def _origin(plan: Plan, registry: Registry) -> str | None:
    """How the dashboard came to be managed: kept from the registry; ADOPTED when found by its title now."""
    if plan.adopted:
        return ADOPTED
    entry = registry.get(plan.name)
    return entry.origin if entry is not None and entry.id == plan.remote_id else None


def _record_if_stale(plan: Plan, registry: Registry, title: str | None) -> None:
    """An unchanged dashboard's remote is the state last pushed: note it when the registry lags behind."""
    entry = state_of(plan.remote, title, _origin(plan, registry))
    if registry.get(plan.name) != entry:
        _record(registry, plan.name, plan.remote, title, "found", entry.origin)


def _record(
    registry: Registry, name: str, remote: dict[str, Any], title: str | None, what: str, origin: str | None
) -> None:
    try:
        registry.set(name, state_of(remote, title, origin))
    except OSError as error:
        raise MettaDashError(
            f"{what} dashboard {remote['id']} but could not record it in {registry.path}: {error.strerror or error}",
            hint="fix the registry file's folder; the next push finds the dashboard by its title (no duplicate)",
        ) from None


def _replace(plan: Plan, client: Client, registry: Registry, title: str | None) -> str:
    if plan.replacement_id:
        new = client.update(plan.replacement_id, plan.dashboard)
    else:
        new = client.create(plan.dashboard)
    _record(registry, plan.name, new, title, "created replacement", CREATED_HERE)
    try:
        client.delete(plan.remote_id)
    except DashboardNotFound:
        pass
    except DatadogError as error:
        raise MettaDashError(
            f"replaced by {new['id']} (recorded), but deleting the old dashboard {plan.remote_id} failed: {error}",
            hint=f"delete it with `metta-dash delete {plan.remote_id}`",
        ) from None
    return str(new["id"])


def _failed(outcome: Outcome, error: DatadogError, dashboard: dict[str, Any], source: str) -> Outcome:
    outcome.state = FAILED
    outcome.message = str(error)
    if error.status == 400:
        outcome.message = "Datadog rejected the dashboard (HTTP 400)"
        outcome.findings = rejection_findings(dashboard, error.errors, source)
    return outcome


def rejection_findings(dashboard: dict[str, Any], messages: list[str], source: str = "") -> list[Finding]:
    """Datadog's 400 messages as findings on the widget each one is about (title and JSON path)."""
    findings = []
    for message in messages or ["no error message"]:
        located = widget_for_error(dashboard, message)
        path, title, kind = located if located else ((), None, None)
        findings.append(Finding(
            rule="D400", slug="rejected-by-datadog", severity=Severity.ERROR, message=message, path=tuple(path),
            file=source, widget_title=title, widget_type=kind,
            hint="run `metta-dash validate`; if it passes, the offline rules miss this case",
        ))
    return findings
