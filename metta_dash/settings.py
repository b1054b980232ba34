"""Project settings from `[tool.metta-dash]` in pyproject.toml.

    [tool.metta-dash]
    dashboards = "dashboards"          # where dashboards/*.jsonnet live
    components = "components"          # Jsonnet import path: a folder or a list of folders, searched in order,
                                       # before the library shipped with metta-dash ('metta-dash/<file>')
    output = "build/dashboards"        # where `build` writes compiled JSON
    registry = "dashboards/registry.json"
    timeout = 30                       # seconds: one request to Datadog (--timeout overrides)
    max_rate_limit_wait = 60           # seconds: the longest single wait for a rate limit to reset
    lock_timeout = 600                 # seconds: how long a push waits for another to finish
    strict = false                     # true: what the published spec lacks (S002, S003) is an error
    engine = "rjsonnet"                # Jsonnet engine: rjsonnet, gojsonnet or jsonnet (default: fastest installed)

    [tool.metta-dash.severity]         # per rule id or slug: "error", "warning" or "off"
    R110 = "warning"

    [[tool.metta-dash.exclude]]        # silence one rule for some files; a reason is required
    rule = "R110"
    files = "dashboards/legacy_*.jsonnet"
    reason = "kept as imported from the UI until rewritten"
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import tomllib
from collections.abc import Iterable
from pathlib import Path

from metta_dash import engines
from metta_dash.errors import ConfigError
from metta_dash.findings import SPEC_GAP_RULES, Finding, Severity
from metta_dash.noop_build import PYPROJECT, project_files

_SEVERITIES = {"error", "warning", "off"}


@dataclasses.dataclass(frozen=True)
class Exclusion:
    rule: str
    files: str
    reason: str

    def matches(self, finding: Finding, root: Path) -> bool:
        if finding.rule != self.rule and finding.slug != self.rule:
            return False
        try:
            relative = Path(finding.file).resolve().relative_to(root).as_posix()
        except ValueError:
            relative = finding.file
        return fnmatch.fnmatch(relative, self.files)


@dataclasses.dataclass(frozen=True)
class Settings:
    root: Path
    dashboards: Path
    components: Path  # the first component folder (where new components go)
    output: Path
    registry: Path
    engine: str | None = None
    severity: dict[str, str] = dataclasses.field(default_factory=dict)
    exclude: tuple[Exclusion, ...] = ()
    timeout: float = 30.0
    max_rate_limit_wait: float = 60.0
    lock_timeout: float = 600.0
    strict: bool = False
    # Every component folder, in search order (`components` is the first).
    component_folders: tuple[Path, ...] = ()
    # Each configured path as written (joined to the root) and where it led when resolved.
    declared: tuple[tuple[str, str], ...] = dataclasses.field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not self.component_folders:
            object.__setattr__(self, "component_folders", (self.components,))

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """Apply severity overrides (strict mode first, a rule's own setting over it) and exclusions."""
        kept = []
        for finding in findings:
            level = self.severity.get(finding.rule) or self.severity.get(finding.slug)
            if level == "off" or any(x.matches(finding, self.root) for x in self.exclude):
                continue
            if not level and self.strict and finding.rule in SPEC_GAP_RULES:
                level = "error"
            if level:
                finding = finding.replace(severity=Severity(level))
            kept.append(finding)
        return kept


def load(start: Path | None = None) -> Settings:
    return load_with_files(start)[0]


def load_with_files(start: Path | None = None) -> tuple[Settings, dict[str, bytes | None]]:
    """The settings of the project at or above `start` (default: the working folder), and the pyproject.toml
    files read to find them (None: none there)."""
    root, seen = project_files(str(start or Path.cwd()))
    return from_pyproject(Path(root), seen[os.path.join(root, PYPROJECT)]), seen


def from_pyproject(root: Path, content: bytes | None) -> Settings:
    """The settings of the project at `root` whose pyproject.toml holds `content` (None: it has none)."""
    table: dict = {}
    if content is not None:
        pyproject = root / PYPROJECT
        try:
            table = tomllib.loads(content.decode("utf-8")).get("tool", {}).get("metta-dash", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{pyproject}: cannot read [tool.metta-dash]: {exc}") from None
    return from_table(table, root)


def from_table(table: dict, root: Path) -> Settings:
    declared: list[tuple[str, str]] = []

    def resolve(value: str) -> Path:
        resolved = (root / value).resolve()
        declared.append((str(root / value), str(resolved)))
        return resolved

    def folder(key: str, default: str) -> Path:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise ConfigError(f"[tool.metta-dash] {key} must be a string path, got {value!r}")
        return resolve(value)

    def folders(key: str, default: str) -> tuple[Path, ...]:
        value = table.get(key, default)
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
            raise ConfigError(
                f"[tool.metta-dash] {key} must be a folder or a non-empty list of folders, got {value!r}",
                hint=f'e.g. {key} = "components" or {key} = ["components", "vendor/jsonnet"]',
            )
        return tuple(resolve(v) for v in values)

    def seconds(key: str, default: float) -> float:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 86400:
            raise ConfigError(f"[tool.metta-dash] {key} must be a number of seconds above 0 (at most 86400), "
                              f"got {value!r}")
        return float(value)

    engine = table.get("engine")
    if engine is not None and engine not in engines.ENGINES:
        raise ConfigError(
            f"[tool.metta-dash] engine = {engine!r} is not a Jsonnet engine",
            hint=f"choose one of {', '.join(engines.ENGINES)}",
        )
    severity = table.get("severity", {})
    for rule, level in severity.items():
        if level not in _SEVERITIES:
            raise ConfigError(
                f"[tool.metta-dash.severity] {rule} = {level!r} is not one of error, warning, off"
            )
    exclusions = []
    for index, entry in enumerate(table.get("exclude", [])):
        missing = [key for key in ("rule", "files", "reason") if not str(entry.get(key, "")).strip()]
        if missing:
            raise ConfigError(
                f"[[tool.metta-dash.exclude]] entry {index + 1} lacks {', '.join(missing)}",
                hint="every exclusion names a rule, a files glob and the reason it is excluded",
            )
        exclusions.append(Exclusion(entry["rule"], entry["files"], entry["reason"]))
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"[tool.metta-dash] strict must be true or false, got {strict!r}")
    component_folders = folders("components", "components")
    return Settings(
        root=root,
        dashboards=folder("dashboards", "dashboards"),
        components=component_folders[0],
        component_folders=component_folders,
        output=folder("output", "build/dashboards"),
        registry=folder("registry", "dashboards/registry.json"),
        engine=engine,
        severity=dict(severity),
        exclude=tuple(exclusions),
        timeout=seconds("timeout", 30.0),
        max_rate_limit_wait=seconds("max_rate_limit_wait", 60.0),
        lock_timeout=seconds("lock_timeout", 600.0),
        strict=strict,
        declared=tuple(declared),
    )
