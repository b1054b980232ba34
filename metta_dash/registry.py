"""The registry: dashboard name -> Datadog ID and the state last pushed, in one committed JSON file.

    {
      "version": 1,
      "dashboards": {
        "github_cicd": {"id": "7gy-9ub-2sq", "title": "GitHub CI/CD",
                        "modified_at": "2025-10-23T10:00:00+00:00", "content_hash": "sha256:..."}
      }
    }

Writes are atomic (temporary file, fsync, rename) so a crash mid-run loses no ID and corrupts nothing,
and serialised by a lock so that concurrent pushes may record their results from several threads.
An entry without `modified_at`/`content_hash` was registered by hand (a dashboard made in the UI before
this tool managed it): nothing is known of what was last pushed to it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import threading
from pathlib import Path

from metta_dash.errors import MettaDashError

VERSION = 1


@dataclasses.dataclass
class Entry:
    id: str
    title: str | None = None
    modified_at: str | None = None
    content_hash: str | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}

    @property
    def has_pushed_state(self) -> bool:
        """Whether the registry knows what was last pushed (both the remote modified_at and the hash)."""
        return bool(self.modified_at and self.content_hash)


@dataclasses.dataclass
class Registry:
    path: Path
    entries: dict[str, Entry] = dataclasses.field(default_factory=dict)
    _lock: threading.RLock = dataclasses.field(default_factory=threading.RLock, repr=False, compare=False)

    def ids(self) -> dict[str, str]:
        with self._lock:
            return {name: entry.id for name, entry in self.entries.items()}

    def get(self, name: str) -> Entry | None:
        with self._lock:
            return self.entries.get(name)

    def name_for_id(self, dashboard_id: str) -> str | None:
        with self._lock:
            return next((name for name, e in self.entries.items() if e.id == dashboard_id), None)

    def ids_of_others(self, name: str) -> set[str]:
        """IDs registered under every name but `name` (dashboards that `name` must never adopt)."""
        with self._lock:
            return {entry.id for other, entry in self.entries.items() if other != name}

    def set(self, name: str, entry: Entry) -> None:
        """Record `entry` under `name` and write the file at once."""
        with self._lock:
            self.entries[name] = entry
            self.save()

    def remove(self, name: str) -> None:
        with self._lock:
            if self.entries.pop(name, None) is not None:
                self.save()

    def save(self) -> None:
        with self._lock:
            document = {
                "version": VERSION,
                "dashboards": {name: self.entries[name].as_dict() for name in sorted(self.entries)},
            }
            write_atomic(self.path, json.dumps(document, indent=2) + "\n")


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load(path: Path) -> Registry:
    """Read the registry; a missing file is an empty registry, a broken one is an error."""
    if not path.exists():
        return Registry(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        entries = {
            name: Entry(**{k: v for k, v in fields.items() if k in Entry.__dataclass_fields__})
            for name, fields in document.get("dashboards", {}).items()
        }
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, TypeError) as error:
        raise MettaDashError(
            f"{path}: the registry is not valid ({error})",
            hint="restore it from version control; it maps dashboard names to Datadog IDs",
        ) from None
    return Registry(path, entries)
