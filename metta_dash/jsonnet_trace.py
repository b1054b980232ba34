"""Jsonnet error text -> message and stack frames, for every engine's wording.

One parser for the traces of the engines metta-dash can run, so that locations never depend on the engine:

- C++ `jsonnet` and go-jsonnet: `RUNTIME ERROR: msg` then one frame a line, `\\tFILE:LOC\\tfunction <f>`;
  `STATIC ERROR: FILE:LOC: msg` for parse errors. LOC is `12:3`, `12:3-9` or the multi-line `(11:3)-(14:16)`.
- jrsonnet (rjsonnet): `runtime error: msg` (`syntax error: msg` for parse errors) then
  `    FILE:12:3-9: field <x> access`; a span over lines reads `12:3-14:16`.
- sjsonnet-style `at [Select x].(FILE:12:3)`.

Pseudo-files name external code: `<extvar:x>` (`--ext-code x`), `tla:x` / `<top-level-arg:x>` (`--tla-code x`).
File names may hold spaces, colons excepted, and any Unicode.
"""

from __future__ import annotations

import dataclasses
import re

_HEADER = re.compile(r"^(?:RUNTIME ERROR|STATIC ERROR|runtime error|static error|syntax error|[\w.]*Error)\s*:\s*",
                     re.IGNORECASE)
# FILE:LOC, where LOC is L:C, L:C-C, L:C-L:C or (L:C)-(L:C). The file is the shortest prefix before a LOC
# (no colon in it, but for the pseudo-files of external code).
_LOCATION = re.compile(
    r"(?P<file><[^>\t]*>|tla:[^\t:]+|[^\t:]+?):"
    r"(?:\((?P<pl>\d+):(?P<pc>\d+)\)-\((?P<pel>\d+):(?P<pec>\d+)\)"
    r"|(?P<l>\d+):(?P<c>\d+)(?:-(?P<e1>\d+)(?::(?P<e2>\d+))?)?)"
    r"(?=$|[\s:)])"
)
_FRAME_PREFIX = re.compile(r"^\s*(?:at \[[^\]]*\]\.\()?")
_EXTERNAL = re.compile(r"^(?:<extvar:(?P<ext>[^>]+)>|tla:(?P<tla>.+)|<top-level-arg:(?P<tla2>[^>]+)>)$")


@dataclasses.dataclass(frozen=True)
class Frame:
    """One location of a trace: `end_column` is exclusive, as the engines print it."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int | None
    name: str = ""

    @property
    def external(self) -> tuple[str, str] | None:
        """('--ext-code', name) or ('--tla-code', name) when the frame is in code given on the command line."""
        match = _EXTERNAL.match(self.file)
        if not match:
            return None
        if match.group("ext"):
            return "--ext-code", match.group("ext")
        return "--tla-code", match.group("tla") or match.group("tla2")

    @property
    def is_real_file(self) -> bool:
        return not (self.file.startswith("<") or self.external)


@dataclasses.dataclass(frozen=True)
class Trace:
    """An engine's error: its message, whether it is a syntax error, and its frames innermost first."""

    message: str
    static: bool
    frames: tuple[Frame, ...]


def _frame(match: re.Match) -> Frame:
    if match.group("pl"):
        line, column = int(match.group("pl")), int(match.group("pc"))
        end_line, end_column = int(match.group("pel")), int(match.group("pec"))
    else:
        line, column = int(match.group("l")), int(match.group("c"))
        e1, e2 = match.group("e1"), match.group("e2")
        if e2 is not None:
            end_line, end_column = int(e1), int(e2)
        else:
            end_line, end_column = line, int(e1) if e1 is not None else None
    return Frame(match.group("file").strip(), line, column, end_line, end_column)


def _location_at_start(text: str) -> tuple[Frame, str] | None:
    """The location opening `text` (a frame line or a message) and what follows it."""
    text = _FRAME_PREFIX.sub("", text, count=1)
    match = _LOCATION.match(text)
    return (_frame(match), text[match.end():]) if match else None


def parse(text: str) -> Trace:
    """Split an engine's error text into message and frames (no frame when the text has no location)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return Trace("Jsonnet error", False, ())
    header = lines[0]
    static = header.upper().startswith(("STATIC ERROR", "SYNTAX ERROR"))  # jrsonnet: `syntax error: msg`
    message = _HEADER.sub("", header, count=1)
    frames: list[Frame] = []
    # A location ahead of the message: `STATIC ERROR: FILE:1:2-3: msg` or go-jsonnet's `FILE:1:2-3 msg`.
    leading = _location_at_start(message)
    if leading:
        frame, rest = leading
        frames.append(frame)
        message = rest.lstrip(": ").strip()
        static = True
    for line in lines[1:]:
        located = _location_at_start(line.strip())
        if located:
            frame, rest = located
            frames.append(dataclasses.replace(frame, name=rest.strip(" \t:)")))
    return Trace(message.strip() or "Jsonnet error", static, tuple(frames))
