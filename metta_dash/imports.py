"""Resolving Jsonnet imports for the engines, and recording what one compile read.

Imports resolve as Jsonnet resolves them: against the importing file's folder, then each folder of the
import path in order. Every file read is recorded with the hash of its content, and every candidate
found missing on the way, so a cached result can be checked against the files without compiling again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

# The one content hash of the cache and of the no-op build's records, which compare what this records.
from metta_dash.noop_build import digest

NOT_FOUND = "no match locally or in the Jsonnet library paths"
# Jsonnet code is UTF-8; files of other kinds may be imported as bytes (importbin).
JSONNET_SUFFIXES = (".jsonnet", ".libsonnet")


class Importer:
    """The import callback of one compile; `read`, `absent` and `missing` tell what it met."""

    def __init__(self, import_paths: Iterable[Path]):
        self.folders = tuple(str(path) for path in import_paths)
        self.read: dict[str, str] = {}  # path as found -> sha256 of its content
        self.absent: set[str] = set()  # candidates looked for before the file was found
        self.missing: str | None = None  # an import that resolved nowhere (it fails the compile)

    def __call__(self, folder: str, path: str) -> tuple[str, bytes]:
        for base in (folder, *self.folders):
            # Normalised: one file is one path however it was reached (gen/../util.libsonnet), so the engines
            # that cache imports by path parse it once.
            candidate = os.path.normpath(os.path.join(base, path))
            try:
                with open(candidate, "rb") as stream:
                    content = stream.read()
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                self.absent.add(candidate)
                continue
            except OSError as error:
                raise RuntimeError(f"cannot read {candidate}: {error.strerror}") from None
            if candidate.endswith(JSONNET_SUFFIXES):
                # Refused here, as every engine would read it differently: jrsonnet refuses it, the others
                # turn each bad byte into U+FFFD in the dashboard's text.
                decoded(candidate, content)
            self.read[candidate] = digest(content)
            return candidate, content
        self.missing = path
        raise RuntimeError(NOT_FOUND)


def decoded(path: str, content: bytes) -> str:
    """The imported file at `path` as text; not UTF-8: the error the compile diagnosis names alike on every
    engine (see compile_errors)."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RuntimeError(f"cannot read {path}: not UTF-8 text (byte {error.start})") from None
