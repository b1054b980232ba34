"""A no-op `metta-dash build` answered from a record of the last build, before click, the compiler or the rules
are imported.

A successful cached build of the whole project writes a record under `.cache/metta-dash/builds/` (one per
command line and working folder, the KEEP most recent kept): what it printed (plain and coloured), its exit
code, and everything that result depended on. The next run of the same command line in the same folder
replays it only when every one of these is as recorded:

- the settings files (each pyproject.toml from the working folder up to the project's) and the registry, by
  content, and where each configured folder's path leads (a retargeted symlink is another folder);
- the dashboards folder's `*.jsonnet` names, each source and every file its compile read, by content, and
  every import candidate that was missing (a new file there would win the import);
- every compiled output in the output folder, by content (a deleted or edited output is written again);
- the interpreter, metta-dash itself (its location, version, and the size and mtime of each of its files:
  what Python's own bytecode cache trusts), the listing of every folder on the import path (an installed,
  upgraded or removed package changes it) and the engine's module file.

Files are compared by content hash, never by size and mtime: an edit that keeps both is still seen. Anything
unexpected (no record, a damaged one, an unreadable file) means "not a no-op": the full build runs and
decides. This module imports only the standard library: hashlib to find a record, json only when one exists.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
import sys

FORMAT = 1
# One record per command line and working folder, under the project root; the most recent KEEP are kept.
RECORDS = os.path.join(".cache", "metta-dash", "builds")
KEEP = 8
PYPROJECT = "pyproject.toml"
SETTINGS_TABLE = "[tool.metta-dash"
# File states besides a content hash: what the build's readers tell apart.
ABSENT, FOLDER, UNREADABLE = "absent", "folder", "unreadable"


def project_files(start: str) -> tuple[str, dict[str, bytes | None]]:
    """The project root for `start` and the pyproject.toml files read to find it (None: none there).

    The root is the nearest folder at or above `start` whose pyproject.toml has [tool.metta-dash], else
    `start` itself (resolved).
    """
    start = os.path.realpath(start)
    seen: dict[str, bytes | None] = {}
    folder = start
    while True:
        candidate = os.path.join(folder, PYPROJECT)
        content = None
        if os.path.isfile(candidate):
            with open(candidate, "rb") as stream:
                content = stream.read()
        seen[candidate] = content
        if content is not None and SETTINGS_TABLE in content.decode("utf-8", errors="replace"):
            return folder, seen
        parent = os.path.dirname(folder)
        if parent == folder:
            return start, seen
        folder = parent


def record_path(root: str, argv: list[str], cwd: str) -> str:
    """Where the record of `argv` run in `cwd` is kept (no argument holds a NUL: it joins them unambiguously)."""
    return os.path.join(root, RECORDS, digest("\0".join([cwd, *argv]).encode())[:32] + ".json")


def digest(content: bytes) -> str:
    import hashlib  # only for a build: the other commands pass through without loading it

    return hashlib.sha256(content).hexdigest()


def read_regular(path: str) -> bytes:
    """The content of the regular file at `path`. A FIFO or a device raises OSError rather than block or read for
    ever: a damaged record or cache entry, or one planted (a link to /dev/zero), may name or be one."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", path)
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        with open(descriptor, "rb", closefd=False) as stream:
            return stream.read()
    finally:
        os.close(descriptor)


def file_state(path: str) -> str:
    """The content hash of the regular file at `path`, or ABSENT, FOLDER or UNREADABLE (anything else too)."""
    try:
        return digest(read_regular(path))
    except (FileNotFoundError, NotADirectoryError):
        return ABSENT
    except IsADirectoryError:
        return FOLDER
    except OSError:
        return UNREADABLE


def code_fingerprint() -> list:
    """metta-dash's own files (.py and .json) with their size and mtime: an edited rule changes it."""
    package = os.path.dirname(os.path.abspath(__file__))
    inside = len(package) + 1  # a path's part below the package (cheaper than os.path.relpath, ~100 times)
    found = []
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                path = os.path.join(folder, name)
                status = os.stat(path)
                found.append([path[inside:], status.st_size, status.st_mtime_ns])
    return found


def installation() -> list:
    """The interpreter, metta-dash (where, which version, its files) and what each import folder holds (the
    listing changes when a package is installed, upgraded or removed)."""
    import metta_dash

    listings = []
    cwd = os.getcwd()
    for entry in sys.path:
        if entry in ("", cwd):  # the project itself (`python -m`, `-c`): not where packages are installed
            continue
        try:
            listings.append([entry, sorted(os.listdir(entry))])
        except OSError:
            listings.append([entry, None])
    package = os.path.realpath(os.path.dirname(os.path.abspath(metta_dash.__file__)))
    return [sys.executable, sys.version, package, metta_dash.__version__, code_fingerprint(), listings]


def file_stat(path: str) -> list | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns]


def _jsonnet_names(folder: str) -> list[str]:
    """The names `*.jsonnet` matches in `folder`, as the build lists its sources."""
    return sorted(name for name in os.listdir(folder) if name.endswith(".jsonnet"))


def _unchanged(record: dict, seen: dict[str, bytes | None]) -> bool:
    if record["format"] != FORMAT or record["settings_files"].keys() != seen.keys():
        return False
    for path, state in record["settings_files"].items():
        content = seen[path]
        if state != (ABSENT if content is None else digest(content)):
            return False
    if any(os.path.realpath(declared) != resolved for declared, resolved in record["folders"]):
        return False
    if any(_jsonnet_names(folder) != names for folder, names in record["sources"].items()):
        return False
    if any(file_state(path) != state for path, state in record["files"].items()):
        return False
    if any(file_state(path) not in (ABSENT, FOLDER) for path in record["absent"]):
        return False
    if any(file_stat(path) != status for path, status in record["stats"].items()):
        return False
    return record["installation"] == installation()


def replay(argv: list[str]) -> int | None:
    """Print what the last build printed and return its exit code when `argv` would redo it exactly, else None."""
    try:
        if "build" not in argv:
            return None
        cwd = os.getcwd()
        root, seen = project_files(cwd)
        try:
            content = read_regular(record_path(root, argv, cwd))
        except OSError:
            return None
        import json

        record = json.loads(content)
        if record["argv"] != argv or record["cwd"] != cwd or not _unchanged(record, seen):
            return None
        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        printed = record["printed"]["colour" if colour else "plain"] + "\n"
        code = record["exit_code"]
        if type(code) is not int:  # checked before printing: a damaged record must not print twice
            return None
        encoding = sys.stdout.encoding or "ascii"
        if not printed.isascii() and codecs.lookup(encoding).name == "ascii":
            return None  # click prints UTF-8 to a stdout set to ASCII (it calls it misconfigured): let it
        printed.encode(encoding, sys.stdout.errors or "strict")  # all of it or nothing
        sys.stdout.write(printed)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception:  # noqa: BLE001 - any doubt: the full build runs and decides
        return None


def write(root: str, record: dict) -> None:
    """Store `record` (see `replay`) atomically, and drop all but the KEEP most recent records; failing to
    write only costs the next build its shortcut."""
    target = record_path(root, record["argv"], record["cwd"])
    if store_json(target, {"format": FORMAT, **record}):
        _keep_recent(os.path.dirname(target))


def store_json(target: str, data: object) -> bool:
    """Write `data` as compact JSON to `target` atomically (no reader sees half a file); False when it could
    not be written. For the cache's own files: no fsync, a lost one only costs a rebuild."""
    import json
    import tempfile

    folder = os.path.dirname(target)
    try:
        os.makedirs(folder, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".store.", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            json.dump(data, stream, separators=(",", ":"))
        os.replace(temporary, target)
    except (OSError, TypeError, ValueError):
        _remove(temporary)
        return False
    return True


def _keep_recent(folder: str) -> None:
    try:
        records = [entry for entry in os.scandir(folder) if entry.name.endswith(".json")]
        records.sort(key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
    except OSError:
        return
    for entry in records[KEEP:]:
        _remove(entry.path)


def forget(root: str, argv: list[str], cwd: str) -> None:
    """Drop the record of `argv` in `cwd`: this build cannot be replayed (a source failed, PATHS, no cache)."""
    _remove(record_path(root, argv, cwd))


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
