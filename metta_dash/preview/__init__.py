"""`metta-dash preview`: an offline HTML picture of each dashboard, findings pinned on their widgets."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from metta_dash import compile as jsonnet
from metta_dash.build import project_sources
from metta_dash.errors import ConfigError
from metta_dash.settings import Settings
from metta_dash.validate import Checked, check_sources

DEFAULT_FOLDER = Path("build/preview")


@dataclasses.dataclass
class Preview:
    """The site written, with the checked dashboards it shows and any screenshots taken."""

    results: list[Checked]
    index: Path
    pages: dict[str, Path]
    screenshots: list[Path]


def select_sources(settings: Settings, names: Sequence[str]) -> list[Path]:
    """The project's dashboard sources called `names` (file stems; all when empty)."""
    sources = project_sources(settings)
    if not names:
        return sources
    by_name = {source.stem: source for source in sources}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ConfigError(f"no dashboard named {', '.join(map(repr, unknown))} "
                          f"(known: {', '.join(sorted(by_name)) or 'none'})")
    return [by_name[name] for name in dict.fromkeys(names)]


def build(settings: Settings, options: jsonnet.Options, names: Sequence[str] = (), folder: Path = DEFAULT_FOLDER,
          png: bool = False, live: bool = False, force: bool = False) -> Preview:
    """Compile and validate the dashboards called `names`, then write their preview site into `folder`
    (a folder of other files only when `force`)."""
    from metta_dash.preview import chromium, site  # HTML and browser code only for this command

    sources = select_sources(settings, names)
    site.claim(folder, settings.root, force)
    results = check_sources(sources, settings, options)
    written = site.write(results, folder, live=live)
    shots = [
        chromium.screenshot(page, page.with_suffix(".png"), written.heights[name])
        for name, page in written.pages.items()
    ] if png else []
    return Preview(results, written.index, written.pages, shots)
