"""Build: compile and validate a project's dashboards and write the compiled JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from metta_dash import affected
from metta_dash import compile as jsonnet
from metta_dash.build_cache import FOLDER as CACHE_FOLDER
from metta_dash.build_cache import BuildCache
from metta_dash.errors import ConfigError
from metta_dash.files import check_overwrite, contained, write_atomic
from metta_dash.settings import Settings
from metta_dash.validate import Checked, check_sources, collect_sources


def project_sources(settings: Settings) -> list[Path]:
    """Every dashboard source of the project: dashboards/*.jsonnet (the registry is not a source).

    A dashboards folder that does not exist is a settings error, never "no dashboards": a typo there must
    not read as "every dashboard was removed" (which a prune would act on).
    """
    if not settings.dashboards.is_dir():
        raise ConfigError(
            f"the dashboards folder {settings.dashboards} does not exist",
            hint="check `dashboards` under [tool.metta-dash] in pyproject.toml",
        )
    return sorted(settings.dashboards.glob("*.jsonnet"))


def build(
    settings: Settings, options: jsonnet.Options, paths: Iterable[Path] = (), force: bool = False,
    cache: BuildCache | None = None,
) -> list[Checked]:
    """Compile and validate `paths` (default: every project dashboard); write each compiled dashboard.

    Into the output folder only (a name that would leave it never compiles); an existing file there is
    replaced without asking only when the folder is under the project's build/, else with `force`.
    """
    paths = list(paths)
    sources = collect_sources(paths) if paths else project_sources(settings)
    results = check_sources([s for s in sources if s.suffix == ".jsonnet"], settings, options, cache)
    targets = [(contained(settings.output, c.name), c.dashboard) for c in results if c.dashboard is not None]
    for target, _ in targets:  # every refusal before the first write
        check_overwrite(target, settings.root, force, settings.registry)
    for target, dashboard in targets:
        if not _holds(target, dashboard):  # an unchanged output is not rewritten (nor its mtime touched)
            write_atomic(target, json.dumps(dashboard, indent=2) + "\n")
    return results


def _holds(path: Path, dashboard: dict) -> bool:
    """Whether `path` already holds `dashboard` (parsing is several times cheaper than rendering it)."""
    try:
        return json.loads(path.read_bytes()) == dashboard
    except (OSError, ValueError):
        return False


def project_cache(settings: Settings, options: jsonnet.Options) -> BuildCache:
    """The project's build cache (`.cache/metta-dash` beside pyproject.toml) for these compile options."""
    return BuildCache(settings.root / CACHE_FOLDER, options)


def _under(path: Path, folder: Path) -> bool:
    return folder == path or folder in path.parents


def sources_affected_by(changed: Iterable[Path], settings: Settings) -> list[Path]:
    """Dashboards to re-check when `changed` files change (used by the pre-commit hook).

    Only files in the configured dashboards and components folders count: any other `.json` or `.jsonnet`
    in the repository (a `package.json`, a test fixture) is not a dashboard. `.json` files in the dashboards
    folder (exported dashboards) are validated as they are; the registry is not a dashboard.
    """
    changed = [Path(p) for p in changed]
    ours = [
        p for p in changed
        if _under(p.resolve(), settings.dashboards) or any(_under(p.resolve(), f) for f in settings.component_folders)
    ]
    loose_json = [
        p for p in ours
        if p.suffix == ".json" and p.resolve() != settings.registry and p.is_file()
        and _under(p.resolve(), settings.dashboards)
    ]
    dashboards = affected.affected_dashboards(ours, project_sources(settings), settings.component_folders)
    return dashboards + loose_json
