"""Datadog's v1 OpenAPI spec, taken from the sdist of the pinned datadog-api-client and cached locally.

The installed wheel carries generated Python models only; the YAML spec (with item constraints, enums,
patterns and defaults) ships in the sdist alone, under `.generator/schemas/v1/openapi.yaml`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from metta_dash.errors import MettaDashError

# The one place the spec version is named; pyproject.toml pins datadog-api-client to the same version.
SPEC_VERSION = "2.62.0"
SPEC_PACKAGE = "datadog-api-client"
SPEC_MEMBER = ".generator/schemas/v1/openapi.yaml"
DOWNLOAD_TIMEOUT_SECONDS = 300

REPO_ROOT = Path(__file__).resolve().parents[2]


def cache_root() -> Path:
    """`$METTA_DASH_CACHE/spec`, else `<repo>/.cache/spec`."""
    configured = os.environ.get("METTA_DASH_CACHE")
    return (Path(configured) if configured else REPO_ROOT / ".cache") / "spec"


def spec_path(version: str = SPEC_VERSION, cache_dir: Path | None = None) -> Path:
    """Where the spec of `version` lives in the cache (whether or not it is there yet)."""
    folder = Path(cache_dir) if cache_dir is not None else cache_root()
    return folder / f"datadog_api_client-{version}" / SPEC_MEMBER


def ensure_spec(version: str = SPEC_VERSION, cache_dir: Path | None = None) -> Path:
    """The path of the v1 openapi.yaml of datadog-api-client `version`, downloading the sdist once if needed."""
    target = spec_path(version, cache_dir)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # this module's constants are read on every check; a download is rare

    with tempfile.TemporaryDirectory(prefix="sdist-", dir=target.parents[4]) as scratch:
        sdist = _download_sdist(version, Path(scratch), target)
        _extract_member(sdist, f"datadog_api_client-{version}/{SPEC_MEMBER}", target)
    return target


def _download_sdist(version: str, folder: Path, target: Path) -> Path:
    import subprocess

    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:", "--no-deps",
        "-d", str(folder), f"{SPEC_PACKAGE}=={version}",
    ]
    unavailable = (
        f"the OpenAPI spec of {SPEC_PACKAGE} {version} is not cached and could not be downloaded"
    )
    hint = (
        f"run once with access to PyPI to cache it, or place the spec at {target} "
        f"(the cache folder is set by METTA_DASH_CACHE)"
    )
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise MettaDashError(f"{unavailable}: {error}", hint) from None
    sdists = sorted(folder.glob("*.tar.gz"))
    if done.returncode != 0 or not sdists:
        last_line = (done.stderr.strip().splitlines() or ["pip download failed"])[-1]
        raise MettaDashError(f"{unavailable}: {last_line}", hint)
    return sdists[0]


def _extract_member(sdist: Path, member: str, target: Path) -> None:
    import shutil
    import tarfile

    try:
        with tarfile.open(sdist, "r:gz") as archive:
            source = archive.extractfile(member)
            if source is None:
                raise KeyError(member)
            partial = target.with_suffix(".partial")
            with source, partial.open("wb") as out:
                shutil.copyfileobj(source, out)
            partial.replace(target)
    except (KeyError, tarfile.TarError, OSError) as error:
        raise MettaDashError(
            f"{sdist.name} does not hold {member}: {error}",
            hint="the package layout may have changed; check SPEC_MEMBER in metta_dash/schema/spec.py",
        ) from None
