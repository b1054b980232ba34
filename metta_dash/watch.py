"""`metta-dash watch`: rebuild and re-validate the dashboards a saved file affects, and keep the preview fresh.

File events come from watchfiles (native notifications, not polling). A save of a `.libsonnet` rebuilds only
the dashboards that import it, directly or not (the import graph of `affected`); a save of a dashboard
rebuilds that one; a new dashboard file is picked up, a deleted one dropped. The preview is served on a
loopback port; its pages reload themselves when a rebuild lands (they poll the site's version.json).
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import watchfiles

from metta_dash import affected
from metta_dash import compile as jsonnet
from metta_dash.errors import ConfigError
from metta_dash.preview import select_sources, site
from metta_dash.settings import Settings
from metta_dash.validate import Checked, check_sources

SUFFIXES = (".jsonnet", ".libsonnet")


@dataclasses.dataclass
class Rebuild:
    """One round: the files that changed and the dashboards compiled again because of them."""

    changed: list[Path]
    results: list[Checked]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):
        # A page on another site whose name is re-pointed at 127.0.0.1 (DNS rebinding) would send its own
        # host name: only loopback names may read the preview.
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        if host not in ("127.0.0.1", "localhost"):
            self.send_error(403, "the preview answers only to 127.0.0.1 and localhost")
            return None
        return super().send_head()


def serve(folder: Path, port: int = 0) -> http.server.ThreadingHTTPServer:
    """Serve `folder` on 127.0.0.1:`port` (0: any free port) from a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        raise ConfigError(f"cannot serve the preview on 127.0.0.1:{port}: {error.strerror}",
                          hint="choose another port with --port, or --port 0 for any free one") from None
    threading.Thread(target=server.serve_forever, name="metta-dash-preview", daemon=True).start()
    return server


def _is_source(change: tuple[watchfiles.Change, str]) -> bool:
    return change[1].endswith(SUFFIXES)


class Watcher:
    """Keeps the compiled, validated dashboards called `names` (all when empty) and their preview current."""

    def __init__(self, settings: Settings, options: jsonnet.Options, names: Sequence[str], folder: Path,
                 force: bool = False):
        self.settings, self.options, self.names, self.folder = settings, options, tuple(names), folder
        self.results: dict[Path, list[Checked]] = {}
        select_sources(settings, names)  # an unknown name is a usage error before anything is written
        site.claim(folder, settings.root, force)

    def _sources(self) -> list[Path]:
        return [s.resolve() for s in select_sources(self.settings, self.names)]

    def _check(self, sources: Sequence[Path]) -> list[Checked]:
        fresh = []
        for source in sources:
            self.results[source] = check_sources([source], self.settings, self.options)
            fresh += self.results[source]
        return fresh

    def _write(self, only: set[str] | None) -> None:
        everything = [checked for source in sorted(self.results) for checked in self.results[source]]
        site.write(everything, self.folder, live=True, only=only)

    def start(self) -> Rebuild:
        """The first build of every watched dashboard."""
        results = self._check(self._sources())
        self._write(None)
        return Rebuild([], results)

    def rebuild(self, changed: Sequence[Path]) -> Rebuild:
        """Compile again the dashboards `changed` files affect; drop those whose file is gone."""
        sources = self._sources() if not self.names else list(self.results)
        for gone in [s for s in self.results if s not in sources or not s.is_file()]:
            del self.results[gone]
        sources = [s for s in sources if s.is_file()]
        if any(not path.exists() and path.suffix == ".libsonnet" for path in changed):
            # A removed component no longer shows in the import graph: every dashboard may have used it.
            hit = list(sources)
        else:
            hit = affected.affected_dashboards(changed, sources, self.settings.component_folders)
        hit += [s for s in sources if s not in self.results and s not in hit]  # new dashboard files
        results = self._check(hit)
        self._write({c.name for c in results if c.name})
        return Rebuild(list(changed), results)

    def run(self, report: Callable[[Rebuild], None], stop: threading.Event | None = None,
            debounce_ms: int = 50) -> None:
        """Build once, then rebuild on every save until `stop` is set (or Ctrl-C)."""
        report(self.start())
        folders = [f for f in (self.settings.dashboards, *self.settings.component_folders) if f.is_dir()]
        for changes in watchfiles.watch(*folders, watch_filter=lambda c, p: _is_source((c, p)),
                                        debounce=debounce_ms, step=20, stop_event=stop, raise_interrupt=False):
            changed = sorted({Path(path).resolve() for _, path in changes})
            report(self.rebuild(changed))
