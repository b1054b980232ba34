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
Between processes, `locked` holds a file lock beside the registry for a whole push: a second push waits
for the first, then reads the IDs it recorded, instead of creating the same dashboards again.
An entry without `modified_at`/`content_hash` was registered by hand (a dashboard made in the UI before
this tool managed it): nothing is known of what was last pushed to it. `origin` says how a dashboard came
to be managed: "created" by a push from here, "adopted" (found by its title), or absent (registered by
hand, or by a version that did not record it). Only dashboards created from here may be pruned.

Names are plain (letters, digits, `_`, `-`, `.`, not starting with `.`) because they become file names
(build/, pulled/); IDs are plain too because they become URL paths. Two names never share one ID: a push
of the second would overwrite the first's dashboard.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from metta_dash.errors import MettaDashError
from metta_dash.files import write_atomic
from metta_dash.names import is_plain_id, name_problem

VERSION = 1
DEFAULT_LOCK_TIMEOUT = 600.0
CREATED, ADOPTED = "created", "adopted"


class RegistryError(MettaDashError):
    """The registry holds, or was asked to hold, something that would lose or overwrite a dashboard."""


@dataclasses.dataclass
class Entry:
    id: str
    title: str | None = None
    modified_at: str | None = None
    content_hash: str | None = None
    origin: str | None = None  # CREATED, ADOPTED, or None (registered by hand)

    def as_dict(self) -> dict:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}

    @property
    def has_pushed_state(self) -> bool:
        """Whether the registry knows what was last pushed (both the remote modified_at and the hash)."""
        return bool(self.modified_at and self.content_hash)

    @property
    def created_here(self) -> bool:
        """Whether a push from here created this dashboard (so that deleting its source may delete it)."""
        return self.origin == CREATED


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
        """Record `entry` under `name` and write the file at once.

        Refused (RegistryError) for a name that is not plain, an ID that is not, and an ID already
        recorded under another name.
        """
        _check_entry(self.path, name, entry)
        with self._lock:
            holder = next((other for other, e in self.entries.items() if e.id == entry.id and other != name), None)
            if holder is not None:
                raise RegistryError(
                    f"{self.path}: dashboard {entry.id} is already registered as {holder!r}; refusing to register it "
                    f"as {name!r} too",
                    hint="two names for one dashboard would overwrite each other; remove one of the entries",
                )
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


def _check_entry(path: Path, name: str, entry: Entry) -> None:
    problem = name_problem(name)
    if problem:
        raise RegistryError(f"{path}: {problem}", hint="rename the entry (and its source) to a plain name")
    if not is_plain_id(entry.id):
        raise RegistryError(
            f"{path}: {name!r} has the ID {entry.id!r}, which is not a Datadog dashboard ID (like 'abc-def-ghi')",
            hint="copy the ID from the dashboard's URL, or remove the entry so the next push finds it by its title",
        )


def _check_document(path: Path, document: object) -> None:
    """Refuse what this version cannot read as it was meant: any other JSON file (a `registry` setting naming
    the wrong file would otherwise read as empty, and the push would overwrite that file), or a newer version."""
    if not isinstance(document, dict) or (document and not isinstance(document.get("dashboards"), dict)):
        raise RegistryError(
            f'{path}: not a metta-dash registry (no "dashboards" object); refusing to use it, since a push '
            "would overwrite it",
            hint="check `registry` under [tool.metta-dash] in pyproject.toml; a new registry is a file that does "
            "not exist yet",
        )
    version = document.get("version", VERSION)
    if version != VERSION:
        raise RegistryError(
            f"{path}: registry version {version!r}, but this metta-dash reads version {VERSION}; refusing to "
            "rewrite it",
            hint="use the metta-dash version that wrote it (or a newer one)",
        )


def load(path: Path) -> Registry:
    """Read the registry; a missing file is an empty registry, a broken or unsafe one is an error.

    Unsafe: a name that is not plain, an ID that is not, or one ID under two names; not a registry at all,
    or a newer version of one.
    """
    if not path.exists():
        return Registry(path)
    return from_bytes(path, path.read_bytes())


def from_bytes(path: Path, content: bytes) -> Registry:
    """The registry `path` holding `content`; RegistryError as `load` says."""
    try:
        document = json.loads(content.decode("utf-8"))
        _check_document(path, document)
        entries = {
            name: Entry(**{k: v for k, v in fields.items() if k in Entry.__dataclass_fields__})
            for name, fields in document.get("dashboards", {}).items()
        }
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, TypeError, RecursionError) as error:
        raise RegistryError(
            f"{path}: the registry is not valid ({type(error).__name__}: {str(error)[:200]})",
            hint="restore it from version control; it maps dashboard names to Datadog IDs",
        ) from None
    names_by_id: dict[str, list[str]] = {}
    for name, entry in entries.items():
        _check_entry(path, name, entry)
        names_by_id.setdefault(entry.id, []).append(name)
    shared = {dashboard_id: names for dashboard_id, names in names_by_id.items() if len(names) > 1}
    if shared:
        listing = "; ".join(f"{i} under {', '.join(map(repr, names))}" for i, names in sorted(shared.items()))
        raise RegistryError(
            f"{path}: one dashboard is registered under several names ({listing}); a push would let one overwrite "
            "the other",
            hint="keep one name per dashboard ID; remove the other entries",
        )
    return Registry(path, entries)


def lock_path(registry_path: Path) -> Path:
    return registry_path.with_name(f".{registry_path.name}.lock")


@contextlib.contextmanager
def locked(
    registry_path: Path, timeout: float = DEFAULT_LOCK_TIMEOUT, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the registry's lock (a file beside it) for the block: one push or delete at a time.

    A second process waits (calling `on_wait` with a message first), at most `timeout` seconds, then
    gives up with an error: it never goes ahead without the lock.
    """
    path = lock_path(registry_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RegistryError(f"cannot create the folder of {path}: {error.strerror or error}") from None
    import filelock  # only a push or delete locks; compiles read the registry without it

    lock = filelock.FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        if on_wait is not None:
            on_wait(f"another push or delete holds {path}; waiting for it to finish (at most {timeout:g} s)")
        try:
            lock.acquire(timeout=timeout)
        except filelock.Timeout:
            raise RegistryError(
                f"gave up after {timeout:g} s waiting for {path}: another push or delete is still running",
                hint="wait for it to finish; if none is running, the lock is released when its process ends",
            ) from None
    try:
        yield
    finally:
        lock.release()
