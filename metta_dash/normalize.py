"""Normalisation: a compiled dashboard and a GET response brought to one comparable form.

What Datadog returns differs from what was sent in ways that carry no meaning; each is removed here, in
one place, so that `push` after `push` sends nothing (no perpetual diff):

- read-only fields (`id`, `url`, authors, timestamps, `experience_type`, `is_read_only`,
  `restricted_roles`), widget ids (inside groups too) and tab ids;
- server-injected defaults (data/server_defaults.json): a value equal to its default is *removed* on both
  sides, so the normalised form stays close to the source and `pull` output is short;
- `null` and absent are the same (`description: null`, `template_variable_presets: null`, ...), and so are
  a few values the API leaves out when it answers (`pause_auto_refresh: false`, `description: ""`);
- template variable `default: "x"` is `defaults: ["x"]`, preset `value: "x"` is `values: ["x"]`;
- unstable orders: `notify_list`, `conditional_formats`, presets (by name) and their variables;
- numbers: 1.0 is 1.

The content hash is the sha256 of the canonical JSON (sorted keys, compact) of the normalised form.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from metta_dash import server_defaults

READ_ONLY_FIELDS = (
    "id", "url", "author_handle", "author_name", "created_at", "modified_at", "deleted_at",
    "experience_type", "is_read_only", "restricted_roles",
)
# Top-level values that mean the same as the field being absent (the API omits them in its answers).
SAME_AS_ABSENT = {"pause_auto_refresh": False, "description": ""}
# Lists whose order the server does not keep, wherever they appear.
UNORDERED_LISTS = ("notify_list", "conditional_formats")


def normalize(dashboard: dict[str, Any], table: dict[str, Any] | None = None) -> dict[str, Any]:
    """The comparable form of `dashboard` (a fresh copy; the argument is not changed)."""
    table = table or server_defaults.load()
    result = _canonical_values(copy.deepcopy(dashboard))
    if not isinstance(result, dict):
        return result
    for field in READ_ONLY_FIELDS:
        result.pop(field, None)
    for field, value in SAME_AS_ABSENT.items():
        if field in result and type(result[field]) is type(value) and result[field] == value:
            del result[field]
    for target, defaults in server_defaults.default_sites(result, table):
        _strip_defaults(target, defaults)
    for widget in server_defaults.iter_widgets(result.get("widgets")):
        widget.pop("id", None)
    for tab in _dicts(result.get("tabs")):
        tab.pop("id", None)
    _normalize_template_variables(result)
    return _drop_empty(result)


def content_hash(normalized: dict[str, Any]) -> str:
    """`sha256:<hex>` of the canonical JSON of an already normalised dashboard."""
    return "sha256:" + hashlib.sha256(canonical_json(normalized).encode("utf-8")).hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def pretty_json(value: Any) -> str:
    """Stable, reviewable JSON (sorted keys, two-space indent, trailing newline)."""
    return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False, default=str) + "\n"


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _canonical_values(value: Any) -> Any:
    """Integral floats become ints, nulls in objects are dropped, unordered lists are sorted."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_canonical_values(item) for item in value]
    if isinstance(value, dict):
        cleaned = {key: _canonical_values(item) for key, item in value.items() if item is not None}
        for key in UNORDERED_LISTS:
            if isinstance(cleaned.get(key), list):
                cleaned[key] = sorted(cleaned[key], key=canonical_json)
        return cleaned
    return value


def _strip_defaults(target: dict[str, Any], defaults: dict[str, Any]) -> None:
    """Remove every key of `target` whose value equals its server default (objects key by key)."""
    for key, default in defaults.items():
        if key not in target:
            continue
        value = target[key]
        if isinstance(value, dict) and isinstance(default, dict) and default:
            _strip_defaults(value, default)
            if not value:
                del target[key]
        elif _canonical_values(default) == value or (default is None and value is None):
            del target[key]


def _normalize_template_variables(dashboard: dict[str, Any]) -> None:
    for variable in _dicts(dashboard.get("template_variables")):
        if "default" in variable and "defaults" not in variable:
            variable["defaults"] = [variable.pop("default")]
    presets = _dicts(dashboard.get("template_variable_presets"))
    for preset in presets:
        variables = _dicts(preset.get("template_variables"))
        for variable in variables:
            if "value" in variable and "values" not in variable:
                variable["values"] = [variable.pop("value")]
        if variables:
            preset["template_variables"] = sorted(variables, key=lambda v: (str(v.get("name")), canonical_json(v)))
    if presets:
        dashboard["template_variable_presets"] = sorted(
            presets, key=lambda p: (str(p.get("name")), canonical_json(p))
        )


def _drop_empty(dashboard: dict[str, Any]) -> dict[str, Any]:
    """Top-level empty optional lists mean the same as absent ones (`template_variables: []`)."""
    for key in ("template_variables", "template_variable_presets", "notify_list", "tags", "tabs"):
        if dashboard.get(key) == []:
            del dashboard[key]
    return dashboard
