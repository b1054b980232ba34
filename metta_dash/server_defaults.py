"""The table of fields the Datadog API adds to stored dashboards (data/server_defaults.json).

Shared by normalisation (to compare a pushed dashboard with its GET) and by the emulator (to answer
like the server does). Stdlib only.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any


@functools.cache
def _load_text() -> str:
    return resources.files("metta_dash").joinpath("data/server_defaults.json").read_text(encoding="utf-8")


def load() -> dict[str, Any]:
    """The defaults table as a fresh dict (callers may change it freely)."""
    return json.loads(_load_text())


def fill(dashboard: dict[str, Any], table: dict[str, Any] | None = None) -> dict[str, Any]:
    """A copy of `dashboard` with every server default it lacks filled in, inner widgets included."""
    table = table or load()
    filled = copy.deepcopy(dashboard)
    for target, defaults in default_sites(filled, table):
        _merge_missing(target, defaults)
    return filled


def default_sites(dashboard: dict[str, Any], table: dict[str, Any]):
    """Each object of `dashboard` the server fills with defaults, paired with the defaults it gets.

    The dashboard itself (once for all dashboards, once for its layout type), every widget definition
    (group members included) and every request.
    """
    yield dashboard, table["dashboard"]
    yield dashboard, table["dashboard_by_layout_type"].get(dashboard.get("layout_type"), {})
    for widget in iter_widgets(dashboard.get("widgets")):
        definition = widget.get("definition")
        if not isinstance(definition, dict):
            continue
        yield definition, table["widgets"].get(definition.get("type"), {})
        requests = definition.get("requests")
        if isinstance(requests, list):
            for request in requests:
                if isinstance(request, dict):
                    yield request, table["request"]


def iter_widgets(widgets: Any):
    """Every widget dict of a widget list, group members right after their group."""
    if not isinstance(widgets, list):
        return
    for widget in widgets:
        if not isinstance(widget, dict):
            continue
        yield widget
        definition = widget.get("definition")
        if isinstance(definition, dict):
            yield from iter_widgets(definition.get("widgets"))


def _merge_missing(target: dict[str, Any], defaults: dict[str, Any]) -> None:
    for key, default in defaults.items():
        if key not in target:
            target[key] = copy.deepcopy(default)
        elif isinstance(target[key], dict) and isinstance(default, dict):
            _merge_missing(target[key], default)
