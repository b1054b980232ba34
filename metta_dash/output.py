"""The one JSON document `validate`, `build`, `diff` and `push` print with `--format json` (version 1).

    {
      "version": 1,
      "command": "validate" | "build" | "diff" | "push",
      "summary": {"errors": 1, "warnings": 0, ...},      # validate/build: + "files"; diff/push: + per state
      "dashboards": [ {...}, ... ],                       # one object per dashboard (see below)
      "findings": [ {...}, ... ]                          # every finding, each as Finding.as_dict()
    }

A dashboard of validate/build: {"name", "file", "errors", "warnings"}; of diff/push: {"name", "state",
"action", "dry_run", "id", "message", "changes", "findings"} (push.Outcome.as_dict). push adds "pruned"
(with --prune) and "interrupted". Fields are only ever added within a version; a removal or a change of
meaning raises the version.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from metta_dash.findings import Finding, Severity

VERSION = 1


def findings_summary(findings: Sequence[Finding]) -> dict[str, int]:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return {"errors": errors, "warnings": len(findings) - errors}


def document(
    command: str, dashboards: Iterable[dict[str, Any]], findings: Sequence[Finding], summary: dict[str, Any],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "version": VERSION,
        "command": command,
        "summary": {**summary, **findings_summary(findings)},
        "dashboards": list(dashboards),
        "findings": [finding.as_dict() for finding in findings],
        **extra,
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, default=str)
