"""Writing files safely: atomically, inside the folder meant, keeping modes, never overwriting by surprise.

- `write_atomic`: temporary file, fsync, rename; an existing file keeps its permission bits (a new one gets
  the umask's), so a push does not turn a shared registry into a private file.
- `contained`: `folder/<name><suffix>` only when that stays inside `folder`; a name like `../../x` or
  `/abs/x` (from a multi-dashboard file or a hand-edited registry) is refused.
- `check_overwrite`: an existing file outside the project's `build/` folder is overwritten only when forced;
  the registry never is.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from metta_dash.errors import MettaDashError
from metta_dash.names import name_problem


class UnsafePath(MettaDashError):
    """A write would leave its folder or overwrite a file the user did not ask to overwrite.

    A usage error (exit 2), not a finding: the command runs once another path or `--force` is given."""

    exit_code = 2


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = _new_file_mode()
    import tempfile  # a write is rare in a run; its import is not

    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def contained(folder: Path, name: str, suffix: str = ".json") -> Path:
    """`folder/name+suffix`, refused (UnsafePath) unless it is a direct child of `folder`."""
    problem = name_problem(name)
    target = (folder / f"{name}{suffix}").resolve()
    if problem or target.parent != folder.resolve():
        raise UnsafePath(
            f"refusing to write {name!r} into {folder}: {problem or 'the path leaves the folder'}",
            hint="dashboard names become file names: rename the dashboard (or its registry entry)",
        )
    return target


def check_overwrite(path: Path, root: Path, force: bool, registry: Path | None = None) -> None:
    """Refuse to replace an existing file outside `root`/build unless `force`; never the registry."""
    resolved = path.resolve()
    if registry is not None and resolved == registry.resolve():
        raise UnsafePath(f"refusing to overwrite the registry {path}", hint="write to another file")
    if not resolved.exists():
        return
    if resolved.is_dir():
        raise UnsafePath(f"{path} is a folder", hint="name a file to write")
    build = (root / "build").resolve()
    if build in resolved.parents or force:
        return
    raise UnsafePath(f"{path} exists; refusing to overwrite it", hint="pass --force to overwrite it")
