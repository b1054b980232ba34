"""Build: compile and validate a project's dashboards and write the compiled JSON."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from metta_dash import affected, engines, json_parse, json_text, noop_build, registry
from metta_dash import compile as jsonnet
from metta_dash.build_cache import FOLDER as CACHE_FOLDER
from metta_dash.build_cache import BuildCache
from metta_dash.errors import ConfigError, MettaDashError
from metta_dash.files import check_overwrite, contained, write_atomic
from metta_dash.noop_build import digest
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
        content = _held(target, dashboard)
        if content is None:  # an unchanged output is not rewritten (nor its mtime touched)
            text = json_text.indented(dashboard) + "\n"
            write_atomic(target, text)
            content = text.encode()
        if cache is not None:
            cache.outputs[str(target)] = digest(content)
    return results


def _held(path: Path, dashboard: dict) -> bytes | None:
    """What `path` holds when that is `dashboard` (parsing is cheaper than rendering it)."""
    try:
        content = path.read_bytes()
        return content if json_parse.loads(content) == dashboard else None
    except (OSError, ValueError):
        return None


def replay_record(
    settings: Settings, options: jsonnet.Options, results: list[Checked], cache: BuildCache,
    settings_files: dict[str, bytes | None], force: bool,
) -> dict[str, Any] | None:
    """What a rerun of this whole-project build must find unchanged to reprint its report without building
    (see `noop_build`); None when it cannot be replayed: a source that did not compile (its inputs are not
    known), an output a rerun would refuse to overwrite, or a registry that changed during the build."""
    names = sorted({checked.source.name for checked in results})
    states: list[tuple[str, str]] = []
    absent: set[str] = set()
    for source in {checked.source for checked in results}:
        used = cache.used.get(str(source.resolve()))
        if used is None:
            return None
        source_digest, read, missing = used
        # The source as the build read it: through a link, so that a link pointed elsewhere is seen.
        states += [(os.path.abspath(source), source_digest), *read.items()]
        absent.update(missing)
    try:
        for output in cache.outputs:
            check_overwrite(Path(output), settings.root, force, settings.registry)
        registry_state, ids = _registry_now(settings.registry)
    except MettaDashError:
        return None
    if {Path(name).stem: None for name in names} | ids != dict(options.dashboard_ids):
        return None  # the registry changed since the compile read it
    files: dict[str, str] = {}
    for path, state in [*states, *cache.outputs.items(), (str(settings.registry), registry_state)]:
        if files.setdefault(path, state) != state:
            return None  # one file seen with two contents (changed during the build, or read and written)
    module = getattr(engines.get(options.engine).module, "__file__", None)  # an upgraded engine build is seen
    return {
        "settings_files": {
            path: noop_build.ABSENT if content is None else digest(content)
            for path, content in settings_files.items()
        },
        "folders": [list(pair) for pair in settings.declared],
        "sources": {str(settings.dashboards): names},
        "files": files,
        "absent": sorted(absent),
        "stats": {module: noop_build.file_stat(module)} if module else {},
    }


def _registry_now(path: Path) -> tuple[str, dict[str, str]]:
    """The registry's state now and the IDs it holds (a missing registry holds none)."""
    try:
        content = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return noop_build.ABSENT, {}
    except OSError as error:
        raise ConfigError(f"cannot read the registry {path}: {error.strerror}") from None
    return digest(content), registry.from_bytes(path, content).ids()


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
