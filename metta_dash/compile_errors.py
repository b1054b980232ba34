"""A failed Jsonnet compile -> one finding that points at the dashboard line the author should fix.

The engine's trace is parsed by `jsonnet_trace` (every engine's format). From it:

- an error raised inside a component is reported at the innermost frame in the dashboard file (the call that
  led there), with the component's own location in the hint; when the trace has no dashboard frame (errors
  raised lazily, while the output is written), the builder named at the head of the message
  (`timeseries.withDisplayType: ...`) is looked up in the dashboard text, preferring the call that holds the
  rejected value;
- `field does not exist: timeSeries` gets the nearest existing field: the object expression is evaluated again
  with its fields listed (dashboard file), or the names the components define are searched (elsewhere);
- a stack overflow is explained as the import cycle it is, when the import graph has one;
- errors in `--ext-code`/`--tla-code` values name the option, not a pseudo-file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from metta_dash import affected
from metta_dash.findings import Finding, Severity, display_path
from metta_dash.jsonnet_trace import Frame, Trace, parse
from metta_dash.suggest import closest

# Re-evaluates the dashboard with another text; returns the engine's error text, or None when it succeeded.
Reevaluate = Callable[[str], "str | None"]

_UNKNOWN_FIELD = re.compile(r"(?:field does not exist|no such field)\s*:\s*(?P<field>\S+)", re.IGNORECASE)
_STACK_EXHAUSTED = re.compile(
    r"max stack frames exceeded|stack overflow|maximum recursion|too much recursion|infinite recursion", re.IGNORECASE
)
_BUILDER = re.compile(r"^(?P<builder>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+):")
_GOT_VALUE = re.compile(r"got (?P<value>\"(?:[^\"\\]|\\.)*\"|-?[\d.]+)")
_FIELD_NAMES = re.compile(r"^\s*(?P<name>[A-Za-z_]\w*)\s*(?:\([^)]*\))?\s*:{1,3}", re.MULTILINE)
_SELECTED = re.compile(r"^(?P<object>.+)\.\s*(?P<field>[A-Za-z_]\w*)\s*$", re.DOTALL)
_FIELDS_MARK = "metta-dash-fields:"
_OFFERED = re.compile(r"similar name present:\s*(?P<name>[^\s,]+)")
_IMPORT_NAME = re.compile(r"import\s+[\"'](?P<name>[^\"']+)[\"']")
# An imported file found but not readable, as the import callback words it (each engine wraps that in its own
# words: `import_callback error: RuntimeError: `, `importer error: `, `couldn't open import "x": `).
# gojsonnet may append stray bytes to the message: what follows the reason is ignored.
_UNREADABLE_IMPORT = re.compile(
    r"cannot read (?P<file>.+?): (?P<why>not UTF-8 text \(byte \d+\)|[A-Z][a-z]+(?: [a-z]+)*)"
)


def _finding(message: str, file: str, hint: str, line: int | None = None, column: int | None = None) -> Finding:
    return Finding(rule="C001", slug="jsonnet-error", severity=Severity.ERROR, message=message, file=file,
                   hint=hint, line=line, column=column)


def _same_file(frame: Frame, source: Path) -> bool:
    if not frame.is_real_file:
        return False
    try:
        return Path(frame.file).resolve() == source.resolve()
    except OSError:
        return False


def _where(frame: Frame) -> str:
    return f"{display_path(frame.file)}:{frame.line}"


def _span_text(text: str, frame: Frame) -> tuple[int, int] | None:
    """Character offsets of the frame's span in `text` (end exclusive), when the engine gave an end."""
    if frame.end_column is None:
        return None
    lines = text.splitlines(keepends=True)
    if frame.end_line > len(lines):
        return None
    start = sum(len(line) for line in lines[: frame.line - 1]) + frame.column - 1
    end = sum(len(line) for line in lines[: frame.end_line - 1]) + frame.end_column - 1
    return (start, end) if 0 <= start < end <= len(text) else None


def _fields_of_object(text: str, frame: Frame, reevaluate: Reevaluate) -> list[str] | None:
    """The fields (hidden ones too) of the object whose missing field the frame selects, by evaluating
    the source again with the selection replaced by an error that lists them."""
    span = _span_text(text, frame)
    if span is None:
        return None
    selected = _SELECTED.match(text[span[0]:span[1]])
    if not selected:
        return None
    probe = f"(error '{_FIELDS_MARK}' + std.manifestJsonMinified(std.objectFieldsAll({selected.group('object')})))"
    error_text = reevaluate(text[: span[0]] + probe + text[span[1]:])
    if not error_text or _FIELDS_MARK not in error_text:
        return None
    listed = error_text.split(_FIELDS_MARK, 1)[1].splitlines()[0]
    try:
        fields = json.loads(listed)
    except json.JSONDecodeError:
        return None
    return fields if isinstance(fields, list) else None


def _defined_names(import_paths: tuple[Path, ...]) -> list[str]:
    names: set[str] = set()
    for folder in import_paths:
        for file in sorted(folder.glob("*.libsonnet")):
            try:
                names.update(m.group("name") for m in _FIELD_NAMES.finditer(file.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError):
                continue
    return sorted(names)


def _unknown_field_hint(field: str, frame: Frame | None, source: Path, text: str,
                        import_paths: tuple[Path, ...], reevaluate: Reevaluate, offered: str | None = None) -> str:
    fields = None
    if frame is not None and _same_file(frame, source):
        fields = _fields_of_object(text, frame, reevaluate)
    if fields is None and offered:
        return f"did you mean {offered!r}?"
    meant = closest(field, fields if fields is not None else _defined_names(import_paths))
    if meant:
        return f"did you mean {meant!r}?"
    if fields:
        shown = ", ".join(sorted(f for f in fields if not f.endswith("_"))[:12])
        return f"no field of that name; the object has: {shown}"
    return "no field of that name; check the spelling against components/README.md"


def _import_cycle(source: Path, text: str, import_paths: tuple[Path, ...]) -> Finding | None:
    chain = affected.import_cycle(source, import_paths)
    if not chain:
        return None
    cycle = chain[chain.index(chain[-1]):]
    shown = " -> ".join(display_path(p) for p in cycle)
    if cycle[0] != chain[0]:
        shown += f" (imported from {display_path(source)})"
    # The dashboard's own import that leads into the cycle.
    return _finding(f"import cycle: {shown}", display_path(source),
                    "a file cannot import itself, directly or through others: move what both need into a "
                    "third file that imports neither", _import_line(text, chain[1].name))


def _import_line(text: str, name: str) -> int | None:
    """The line of the dashboard `text` that imports a file named `name`, if it imports one itself."""
    return next((n for n, line in enumerate(text.splitlines(), 1)
                 if any(Path(m.group("name")).name == name for m in _IMPORT_NAME.finditer(line))), None)


def _external(trace: Trace, frame: Frame, source: Path) -> Finding:
    option, name = frame.external
    kind = "syntax error" if trace.static else "error"
    hint = (f"the value of {option} is Jsonnet code (e.g. {option} {name}='{{a: 1}}'); pass plain text with "
            f"{option.replace('-code', '-str')} {name}=TEXT")
    return _finding(f"{option} {name}: {kind} at column {frame.column} of its code: {trace.message}",
                    display_path(source), hint)


def _builder_call_line(message: str, text: str) -> tuple[int, bool] | None:
    """The dashboard line calling the builder a message names (`timeseries.withDisplayType: ...`), and
    whether that line holds the rejected value the message quotes."""
    builder = _BUILDER.match(message)
    if not builder:
        return None
    parts = builder.group("builder").split(".")
    lines = text.splitlines()
    calls: list[int] = []
    # The whole builder path first (`queryValue.new(`), then its last part alone (`.withPalette(`).
    for pattern in (r"\s*\.\s*".join(map(re.escape, parts)), re.escape(parts[-1])):
        calls = [n for n, line in enumerate(lines, 1) if re.search(rf"(?:^|[^\w]){pattern}\s*\(", line)]
        if calls:
            break
    if not calls:
        return None
    got = _GOT_VALUE.search(message)
    if got:
        value = got.group("value").strip('"')
        holding = [n for n in calls if value in lines[n - 1]]
        if holding:
            return holding[0], True
    return calls[0], False


def _access_frame(field: str, source: Path, text: str) -> Frame | None:
    """Where the dashboard reads `.field`, as a frame spanning `object.field` (engines that evaluate lazily
    may report the error elsewhere, or lose the frame)."""
    access = re.compile(rf"(?P<object>[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*\.\s*{re.escape(field)}\b")
    for number, line in enumerate(text.splitlines(), 1):
        found = access.search(line)
        if found:
            return Frame(str(source), number, found.start() + 1, number, found.end() + 1)
    return None


def _reads_field(text: str, frame: Frame, field: str) -> bool:
    """Whether the frame's lines read `.field` (a lazy engine may blame the use of a variable instead, e.g.
    `layout.full(about, 2)` for a misspelt setter where `about` is defined)."""
    lines = text.splitlines()[frame.line - 1: frame.end_line]
    return re.search(rf"\.\s*{re.escape(field)}\b", "\n".join(lines)) is not None


def _missing_import_hint(message: str, source: Path, import_paths: tuple[Path, ...]) -> str:
    hint = "imports resolve against the file's folder and the components folder; check the name"
    wanted = _IMPORT_NAME.search(message)
    if not wanted:
        return hint
    name = wanted.group("name")
    folder = (source.parent / Path(name).parent) if Path(name).parent != Path(".") else source.parent
    candidates = sorted({
        (Path(name).parent / file.name).as_posix() if Path(name).parent != Path(".") else file.name
        for base in (folder, *import_paths) if base.is_dir()
        for file in base.iterdir() if file.suffix in (".libsonnet", ".jsonnet", ".json")
    })
    meant = closest(name, candidates)
    return f"did you mean {meant!r}? {hint}" if meant else hint


def _unreadable_hint(why: str) -> str:
    if why.startswith("not UTF-8"):
        return "an imported file is not UTF-8 text: save it as UTF-8"
    return "an imported file cannot be read: check its permissions"


def diagnose(source: Path, text: str, error_text: str, import_paths: tuple[Path, ...],
             reevaluate: Reevaluate) -> Finding:
    """The finding for a compile of `source` (whose text is `text`) that failed with `error_text`."""
    trace = parse(error_text)
    message = trace.message
    unreadable = _UNREADABLE_IMPORT.search(message)
    if unreadable:
        message = f"cannot read {display_path(unreadable.group('file'))}: {unreadable.group('why')}"
        # Engines that import lazily report where the import is first used: the dashboard's own import line
        # is the place on every engine, when the dashboard imports the file itself.
        line = _import_line(text, Path(unreadable.group("file")).name)
        if line is not None:
            return _finding(message, display_path(source), _unreadable_hint(unreadable.group("why")), line)
    innermost = trace.frames[0] if trace.frames else None
    if innermost is not None and innermost.external:
        return _external(trace, innermost, source)
    if _STACK_EXHAUSTED.search(message):
        cycle = _import_cycle(source, text, import_paths)
        if cycle:
            return cycle
    if "couldn't open import" in message or "couldn't find import" in message.lower():
        where = innermost or Frame(str(source), 1, 1, 1, None)
        return _finding(message, display_path(where.file), _missing_import_hint(message, source, import_paths),
                        where.line, where.column)
    unknown = _UNKNOWN_FIELD.search(message)
    offered = _OFFERED.search(error_text)  # jrsonnet names the similar field itself
    offered = offered.group("name") if offered else None
    if trace.static:
        hint = "this is a syntax error: check brackets, commas and quotes near that position"
    elif unknown:
        hint = _unknown_field_hint(unknown.group("field"), innermost, source, text, import_paths, reevaluate,
                                   offered)
    elif _STACK_EXHAUSTED.search(message):
        hint = "endless recursion: a function calls itself without end, or a field refers to itself"
    elif unreadable:
        hint = _unreadable_hint(unreadable.group("why"))
    else:
        hint = "fix the Jsonnet at that line"
    if innermost is None:
        return _finding(message, display_path(source), hint)
    access = _access_frame(unknown.group("field"), source, text) if unknown else None
    if _same_file(innermost, source) and (access is None or _reads_field(text, innermost, unknown.group("field"))):
        return _finding(message, display_path(source), hint, innermost.line, innermost.column)
    if unknown:
        if access is not None:
            hint = _unknown_field_hint(unknown.group("field"), access, source, text, import_paths, reevaluate,
                                       offered)
            return _finding(message, display_path(source), hint, access.line, access.column)
    # Raised in a component: point at the dashboard line that led there.
    caller = next((frame for frame in trace.frames if _same_file(frame, source)), None)
    raised = f"raised at {_where(innermost)}"
    if caller is not None:
        return _finding(message, display_path(source), f"{raised}; {hint}" if unknown else
                        f"{raised}, called from this line; check the arguments passed here",
                        caller.line, caller.column)
    call = _builder_call_line(message, text)
    if call is not None:
        line, holds_value = call
        said = "the call with that value is on this line" if holds_value else "the call is on this line"
        return _finding(message, display_path(source), f"{raised}; {said}", line)
    return _finding(message, display_path(innermost.file), hint if unknown else f"{hint} ({raised})",
                    innermost.line, innermost.column)
