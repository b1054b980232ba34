"""Reporters: findings as text (coloured on a terminal), JSON, or GitHub workflow annotations."""

from __future__ import annotations

from collections.abc import Sequence

from metta_dash import output
from metta_dash.findings import Finding, Severity

FORMATS = ("text", "json", "github")

_RED, _YELLOW, _DIM, _BOLD, _RESET = "\033[31m", "\033[33m", "\033[2m", "\033[1m", "\033[0m"


def _location(finding: Finding) -> str:
    where = finding.file or "<input>"
    if finding.line is not None:
        where += f":{finding.line}"
        if finding.column is not None:
            where += f":{finding.column}"
    return where


def _where(finding: Finding) -> str:
    """FILE[:LINE[:COL]]::$.path, or the location alone for findings about source text rather than JSON."""
    if not finding.path:
        return _location(finding)
    return f"{_location(finding)}::{finding.jsonpath}"


def format_text(finding: Finding, colour: bool = False) -> str:
    widget = ""
    if finding.widget_type:
        label = f"{finding.widget_type} widget"
        widget = f" {label} {finding.widget_title!r}:" if finding.widget_title else f" {label}:"
    hint = f" (hint: {finding.hint})" if finding.hint else ""
    tag = f"[{finding.rule} {finding.slug}]"
    if colour:
        shade = _RED if finding.severity is Severity.ERROR else _YELLOW
        tag = f"{shade}{tag}{_RESET}"
        hint = f"{_DIM}{hint}{_RESET}" if hint else ""
        return f"{_BOLD}{_where(finding)}{_RESET}:{widget} {tag} {finding.message}{hint}"
    return f"{_where(finding)}:{widget} {tag} {finding.message}{hint}"


def _escape_property(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_github(finding: Finding) -> str:
    level = "error" if finding.severity is Severity.ERROR else "warning"
    props = [f"file={_escape_property(finding.file)}"] if finding.file else []
    if finding.line is not None:
        props.append(f"line={finding.line}")
        if finding.column is not None:
            props.append(f"col={finding.column}")
    props.append(f"title={_escape_property(f'{finding.rule} {finding.slug}')}")
    widget = f" ({finding.widget_type} widget {finding.widget_title!r})" if finding.widget_type else ""
    hint = f" Hint: {finding.hint}" if finding.hint else ""
    return f"::{level} {','.join(props)}::{_escape_data(f'{finding.jsonpath}{widget}: {finding.message}{hint}')}"


def summary(findings: Sequence[Finding], files: int) -> str:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    noun = "file" if files == 1 else "files"
    return f"{files} {noun} checked: {errors} error(s), {warnings} warning(s)"


def render(findings: Sequence[Finding], fmt: str, files: int, colour: bool = False) -> str:
    """The whole report for `findings` in format `fmt` (one of FORMATS)."""
    if fmt == "json":
        return output.dumps(output.document("validate", [], findings, {"files": files}))
    if fmt == "github":
        lines = [format_github(f) for f in findings]
        return "\n".join([*lines, summary(findings, files)])
    lines = [format_text(f, colour) for f in findings]
    return "\n".join([*lines, summary(findings, files)])
