"""What compiling and checking a Jsonnet source gave, kept so that an unchanged project rebuilds in about a
process start.

An entry is used only when everything the result depends on is as it was:

- the source's text, and every file the compile read (components, `importstr` files), by content hash;
- every import candidate found missing before the file that was used (a new file there would win);
- the engine and its version, the ext/tla values, the import path, the dashboard IDs the links resolve to;
- metta-dash itself (its version and the size and mtime of each of its files, so an edited rule counts) and
  the working folder (findings name files relative to it).

One entry per source and context, replaced when its inputs change, so the folder does not grow with edits.
Entries are written atomically; an unreadable or foreign one is a miss. Deleting the folder is always safe.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import metta_dash
from metta_dash import engines
from metta_dash.findings import Finding, Severity
from metta_dash.noop_build import code_fingerprint, digest, read_regular, store_json

FORMAT = 1
FOLDER = Path(".cache") / "metta-dash"


@dataclasses.dataclass
class Result:
    """One dashboard of a source (or the source's failure, name and dashboard None) with its findings."""

    name: str | None
    dashboard: dict[str, Any] | None
    findings: list[Finding]


def _finding_to_json(finding: Finding) -> dict[str, Any]:
    data = dataclasses.asdict(finding)
    data["severity"] = str(finding.severity)
    return data


def _finding_from_json(data: dict[str, Any]) -> Finding:
    return Finding(**{**data, "severity": Severity(data["severity"]), "path": tuple(data["path"])})


class BuildCache:
    """The cache of one project for one set of compile options."""

    def __init__(self, folder: Path, options):
        self.folder = folder
        engine = engines.get(options.engine)
        context = {
            "format": FORMAT,
            "metta_dash": [metta_dash.__version__, code_fingerprint()],
            "engine": [engine.name, engine.version],
            "import_paths": [str(path) for path in options.import_paths],
            "ext_vars": dict(options.ext_vars), "ext_codes": dict(options.ext_codes),
            "tla_vars": dict(options.tla_vars), "tla_codes": dict(options.tla_codes),
            "dashboard_ids": dict(options.dashboard_ids),
            "cwd": os.getcwd(),
        }
        self._context = digest(json.dumps(context, sort_keys=True).encode())
        self._digests: dict[str, str | None] = {}  # file -> content hash (None: absent), read once per process
        # What this run's results came from, per source (resolved): (source hash, files read, candidates absent).
        self.used: dict[str, tuple[str, dict[str, str], list[str]]] = {}
        # The outputs this run wrote or found already holding its result: path -> content hash.
        self.outputs: dict[str, str] = {}

    def _entry_path(self, source: Path) -> Path:
        return self.folder / f"{digest(f'{self._context}:{source.resolve()}'.encode())}.json"

    def _digest_of(self, path: str) -> str | None:
        if path not in self._digests:
            try:
                self._digests[path] = digest(read_regular(path))
            except OSError:
                self._digests[path] = None
        return self._digests[path]

    def get(self, source: Path, text: bytes) -> list[Result] | None:
        """The results recorded for `source` when every input is unchanged, else None."""
        try:
            entry = json.loads(read_regular(str(self._entry_path(source))))
            if entry["source"] != digest(text):
                return None
            if any(self._digest_of(path) != expected for path, expected in entry["read"].items()):
                return None
            if any(self._digest_of(path) is not None for path in entry["absent"]):
                return None
            self.used[str(source.resolve())] = (entry["source"], entry["read"], entry["absent"])
            return [
                Result(r["name"], r["dashboard"], [_finding_from_json(f) for f in r["findings"]])
                for r in entry["results"]
            ]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, source: Path, text: bytes, read: dict[str, str], absent: Iterable[str],
            results: list[Result]) -> None:
        """Record `results` with the inputs they came from; a failure to write only costs the next build."""
        entry = {
            "source": digest(text),
            "read": read,
            "absent": sorted(absent),
            "results": [
                {"name": r.name, "dashboard": r.dashboard, "findings": [_finding_to_json(f) for f in r.findings]}
                for r in results
            ],
        }
        self.used[str(source.resolve())] = (entry["source"], entry["read"], entry["absent"])
        store_json(str(self._entry_path(source)), entry)
