"""Headless Chromium (Debian's `chromium`): screenshots of preview pages and their DOM after scripts ran.

Each call starts one browser with a fresh profile folder, no network services of its own (no sync, updates,
QUIC or background fetches), and ends it; a page that hangs is cut off by a timeout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from metta_dash.errors import MettaDashError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--disable-dev-shm-usage",
)
WIDTH = 1264  # the 12-column grid (1200 px) and the page margins


class BrowserMissing(MettaDashError):
    """No Chromium on PATH."""


def find() -> str:
    """The browser's executable: $METTA_DASH_CHROMIUM, else the first Chromium on PATH."""
    configured = os.environ.get("METTA_DASH_CHROMIUM")
    if configured:
        return configured
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserMissing("no Chromium found for screenshots",
                         hint="install Debian's chromium (apt-get install chromium) or set METTA_DASH_CHROMIUM")


def _run(arguments: list[str], timeout: float) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="metta-dash-chromium-") as profile:
        command = [find(), *FLAGS, f"--user-data-dir={profile}", *arguments]
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise MettaDashError(f"Chromium did not finish within {timeout:.0f} s") from None


def screenshot(page: Path, png: Path, height: int, timeout: float = 60) -> Path:
    """Write a PNG of `page` (a local HTML file) `height` CSS pixels tall."""
    png.parent.mkdir(parents=True, exist_ok=True)
    result = _run([f"--screenshot={png}", f"--window-size={WIDTH},{height}", page.resolve().as_uri()], timeout)
    if not png.is_file():
        raise MettaDashError(f"Chromium wrote no screenshot of {page.name}: {result.stderr.strip()[-300:]}")
    return png


def dump_dom(url: str, timeout: float = 60, budget_ms: int = 5000) -> str:
    """The DOM of `url` once its scripts ran (virtual time lets loads and timers finish quickly)."""
    result = _run(["--dump-dom", f"--virtual-time-budget={budget_ms}", f"--window-size={WIDTH},900", url], timeout)
    if result.returncode != 0 or not result.stdout.strip():
        raise MettaDashError(f"Chromium could not load {url}: {result.stderr.strip()[-300:]}")
    return result.stdout
