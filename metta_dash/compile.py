"""Jsonnet -> dashboard JSON through the configured engine (see `engines`), with errors as findings.

A source file yields one dashboard (named after the file) or an object of name -> dashboard.
Dashboards link to each other with `std.native('dashboardUrl')(name)`, which resolves the name
through the ID registry; a dashboard without an ID yet gets a readable placeholder and a warning.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from metta_dash import engines, json_parse, names, registry
from metta_dash.findings import Finding, Severity, display_path
from metta_dash.imports import Importer

DASHBOARD_KEYS = ("title", "layout_type", "widgets")
UNRESOLVED_LINK = "/dashboard/lists?q="

@dataclasses.dataclass
class Compiled:
    """What compiling one source file produced."""

    source: Path
    dashboards: dict[str, dict[str, Any]]
    findings: list[Finding]
    # What a successful compile read (files and their hashes, import candidates found missing); None when
    # its result must not be reused (a failed compile, one that printed traces).
    inputs: Importer | None = None


@dataclasses.dataclass(frozen=True)
class Options:
    """How to compile: import path, external variables, top-level arguments, known dashboards."""

    import_paths: tuple[Path, ...] = ()
    ext_vars: Mapping[str, str] = dataclasses.field(default_factory=dict)
    ext_codes: Mapping[str, str] = dataclasses.field(default_factory=dict)
    tla_vars: Mapping[str, str] = dataclasses.field(default_factory=dict)
    tla_codes: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # name -> Datadog dashboard id (None when the dashboard has not been pushed yet)
    dashboard_ids: Mapping[str, str | None] = dataclasses.field(default_factory=dict)
    # Jsonnet engine name (see `engines`); None: the fastest installed.
    engine: str | None = None


# The Jsonnet library shipped in the package: `import 'metta-dash/widgets.libsonnet'` from any project.
LIBRARY_PATH = Path(__file__).resolve().parent / "jsonnet"


def options_for(settings, **overrides: Any) -> Options:
    """Options for a project: its component folders, then the shipped library, on the import path; and its
    registry's IDs."""
    names = {path.stem: None for path in sorted(settings.dashboards.glob("*.jsonnet"))}
    names.update(registry.load(settings.registry).ids())
    overrides.setdefault("engine", settings.engine)
    return Options(import_paths=(*settings.component_folders, LIBRARY_PATH), dashboard_ids=names, **overrides)


def _finding(slug: str, rule: str, message: str, file: Path, hint: str = "", **where: Any) -> Finding:
    return Finding(rule=rule, slug=slug, severity=Severity.ERROR, message=message, file=display_path(file),
                   hint=hint, **where)


def looks_like_dashboard(value: Any) -> bool:
    return isinstance(value, dict) and "widgets" in value and ("title" in value or "layout_type" in value)


def _split_output(source: Path, value: Any) -> tuple[dict[str, dict], list[Finding]]:
    if looks_like_dashboard(value):
        return _plain_names(source, {source.stem: value})
    if isinstance(value, dict) and value and all(looks_like_dashboard(v) for v in value.values()):
        return _plain_names(source, dict(value))
    shape = type(value).__name__ if not isinstance(value, dict) else f"object with keys {sorted(value)[:6]}"
    return {}, [
        _finding(
            "not-a-dashboard",
            "C002",
            f"output is not a dashboard: got {shape}",
            source,
            hint=f"a dashboard file must evaluate to an object with {', '.join(DASHBOARD_KEYS)}, "
            "or to an object of name -> dashboard",
        )
    ]


def _plain_names(source: Path, dashboards: dict[str, dict]) -> tuple[dict[str, dict], list[Finding]]:
    """Names become file names (build/, pulled/): one that could leave its folder is a finding, not a path."""
    kept, findings = {}, []
    for name, dashboard in dashboards.items():
        problem = names.name_problem(name)
        if problem:
            findings.append(_finding("unsafe-dashboard-name", "C005", problem, source,
                                     hint="name the file, or the key of a multi-dashboard file, plainly"))
        else:
            kept[name] = dashboard
    return kept, findings


class _Links:
    """The `dashboardUrl` native callback: names resolved through the registry, and what went wrong.

    A failure's message is kept here because not every engine passes it on (gojsonnet reports only that
    the callback failed).
    """

    def __init__(self, dashboard_ids: Mapping[str, str | None]):
        self.dashboard_ids = dashboard_ids
        self.unresolved: set[str] = set()
        self.failure: str | None = None

    def dashboard_url(self, name: str) -> str:
        if name not in self.dashboard_ids:
            known = ", ".join(sorted(self.dashboard_ids)) or "none"
            self.failure = f"no dashboard named {name!r} (known: {known})"
            raise ValueError(self.failure)
        dashboard_id = self.dashboard_ids[name]
        if dashboard_id:
            return f"/dashboard/{dashboard_id}"
        self.unresolved.add(name)
        return f"{UNRESOLVED_LINK}{name}"

    def callbacks(self) -> dict[str, tuple[tuple[str, ...], Any]]:
        return {"dashboardUrl": (("name",), self.dashboard_url)}


@dataclasses.dataclass
class Evaluation:
    """One engine run: the JSON text or the engine's error text, and what the run read and resolved."""

    output: str | None
    error: str | None
    importer: Importer
    links: _Links
    # What the engine wrote to stderr meanwhile (std.trace), shown only for the compile the user asked for.
    traces: bytes = b""


def evaluate(source: Path, text: str, options: Options, engine: engines.Engine) -> Evaluation:
    importer, links = Importer(options.import_paths), _Links(options.dashboard_ids)
    output = error_text = None
    with _stderr_kept() as traces:
        try:
            output = engine.evaluate(
                str(source), text,
                import_callback=importer,
                native_callbacks=links.callbacks(),
                ext_vars=options.ext_vars, ext_codes=options.ext_codes,
                tla_vars=options.tla_vars, tla_codes=options.tla_codes,
            )
        except RuntimeError as error:
            error_text = str(error)
            if links.failure is not None:
                # The callback's own message, in place of the engine's wording of it.
                error_text = "\n".join([f"RUNTIME ERROR: {links.failure}", *error_text.splitlines()[1:]])
    return Evaluation(output, error_text, importer, links, bytes(traces))


# File descriptor 2 is the whole process's: compiles on several threads redirect it one at a time, or one would
# save another's scratch file as stderr, restore that, and catch the other's traces.
_stderr_turn = threading.RLock()


@contextlib.contextmanager
def _stderr_kept() -> Iterator[bytearray]:
    """Collects what is written to file descriptor 2 meanwhile (every engine prints std.trace there itself,
    not through Python); where stderr cannot be redirected, nothing."""
    with _stderr_turn:
        yield from _redirected_stderr()


def _redirected_stderr() -> Iterator[bytearray]:
    kept = bytearray()
    import tempfile  # on the first compile: a build that takes every result from the cache does without it

    try:
        sys.stderr.flush()
        scratch = tempfile.TemporaryFile()
    except (OSError, ValueError, AttributeError):
        yield kept
        return
    with scratch:
        try:
            saved = os.dup(2)
        except OSError:  # no stderr: the traces go nowhere, as they would without this
            yield kept
            return
        os.dup2(scratch.fileno(), 2)
        try:
            yield kept
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            scratch.seek(0)
            kept += scratch.read()


def _located(run: Evaluation) -> bool:
    from metta_dash.jsonnet_trace import parse as parse_trace  # only when a compile fails

    return run.importer.missing is None and any(frame.is_real_file for frame in parse_trace(run.error).frames)


def _failure(source: Path, text: str, options: Options, run: Evaluation, engine: engines.Engine) -> Finding:
    if not _located(run) and engine.name != engines.REFERENCE:
        # Some engines lose the location of some errors (jrsonnet: a missing field or import); the reference
        # engine says where, in the wording the diagnosis knows best.
        reference = engines.get(engines.REFERENCE)
        again = evaluate(source, text, options, reference)
        if again.error is not None:
            run, engine = again, reference

    def reevaluate(changed: str) -> str | None:
        return evaluate(source, changed, options, engine).error

    from metta_dash import compile_errors  # only when a compile fails

    return compile_errors.diagnose(source, text, run.error, tuple(options.import_paths), reevaluate)


def compile_text(source: Path, text: str, options: Options) -> Compiled:
    engine = engines.get(options.engine)
    run = evaluate(source, text, options, engine)
    if run.traces:
        _show(run.traces)
    if run.error is not None:
        return Compiled(source, {}, [_failure(source, text, options, run, engine)])
    dashboards, findings = _split_output(source, json_parse.loads(run.output))
    if run.links.unresolved:
        from metta_dash import source_lines  # only for a link without an ID

        mentions = source_lines.SourceIndex(text)
    for name in sorted(run.links.unresolved):
        findings.append(
            Finding(
                rule="C004",
                slug="unresolved-dashboard-link",
                severity=Severity.WARNING,
                message=f"link to dashboard {name!r} has no Datadog ID yet; a search link stands in",
                file=display_path(source),
                hint=f"push {name!r} once (metta-dash push {name}) so the registry records its ID",
                line=mentions.literal(name),  # the dashboard's own link, when it writes the name
            )
        )
    # A compile that printed traces is not reused: a result from the cache would not print them again.
    return Compiled(source, dashboards, findings, inputs=None if run.traces else run.importer)


def _show(traces: bytes) -> None:
    try:
        sys.stderr.flush()
        while traces:
            traces = traces[os.write(2, traces):]
    except (OSError, ValueError, AttributeError):
        pass  # no stderr to show them on


def compile_file(source: Path, options: Options) -> Compiled:
    """Compile one .jsonnet file; every expected failure comes back as a finding."""
    try:
        text = source.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return Compiled(source, {}, [
            _finding("unreadable-source", "C003", f"not UTF-8 text (byte {error.start})", source,
                     hint="save the file as UTF-8")
        ])
    except OSError as error:
        return Compiled(source, {}, [
            _finding("unreadable-source", "C003", f"cannot read file: {error.strerror}", source)
        ])
    return compile_text(source, text, options)
