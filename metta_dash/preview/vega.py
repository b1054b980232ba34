"""Wildcard widgets drawn for real: their Vega-Lite spec rendered to SVG in-process (vl-convert) on sample data.

Datadog hands a wildcard's specification one dataset per request, `table1`, `table2`, ...: a scalar request
gives one row per group (its `by {tags}` as columns) with one column per formula, named by the formula's
alias (else its expression); a timeseries request gives the same columns over time. The sample data has
exactly that shape, with stable made-up values in [0, 1), so a spec that works here reads the same fields
Datadog will give it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from typing import Any

_GROUP_BY = re.compile(r"\bby\s*\{(?P<tags>[^}]*)\}")
_SAMPLE_GROUPS = 3
_SAMPLE_TIMES = 12


def _value(*keys: Any) -> float:
    digest = hashlib.sha256(json.dumps(keys).encode()).digest()
    return round(int.from_bytes(digest[:4], "big") / 2**32, 3)


def _columns(request: dict) -> tuple[list[str], list[str]]:
    """(group-by tags, formula columns) of one request."""
    tags: list[str] = []
    for query in request.get("queries") or []:
        text = query.get("query", "") if isinstance(query, dict) else ""
        for match in _GROUP_BY.finditer(text if isinstance(text, str) else ""):
            tags += [t.strip() for t in match.group("tags").split(",") if t.strip() and t.strip() not in tags]
    formulas = [
        str(f.get("alias") or f.get("formula")) for f in request.get("formulas") or [] if isinstance(f, dict)
    ] or [str(q.get("name")) for q in request.get("queries") or [] if isinstance(q, dict)]
    return tags, formulas


def sample_table(request: dict) -> list[dict[str, Any]]:
    """Rows shaped like the dataset Datadog gives a wildcard spec for `request`."""
    tags, formulas = _columns(request)
    groups = [{tag: f"{tag}-{i + 1}" for tag in tags} for i in range(_SAMPLE_GROUPS)] if tags else [{}]
    timeseries = request.get("response_format") == "timeseries"
    rows = []
    for group in groups:
        for step in range(_SAMPLE_TIMES if timeseries else 1):
            row: dict[str, Any] = dict(group)
            if timeseries:
                row["timestamp"] = 1_700_000_000_000 + step * 3_600_000
            row.update({column: _value(column, group, step) for column in formulas})
            rows.append(row)
    return rows


def render(definition: dict, width_px: int, height_px: int) -> tuple[str | None, str]:
    """(SVG, "") for a wildcard widget, or (None, why) when its spec cannot be drawn."""
    specification = definition.get("specification")
    contents = specification.get("contents") if isinstance(specification, dict) else None
    if isinstance(contents, str):
        try:
            contents = json.loads(contents)
        except json.JSONDecodeError as error:
            return None, f"the specification is not JSON: {error.msg}"
    if not isinstance(contents, dict):
        return None, "no Vega-Lite specification"
    if specification.get("type", "vega-lite") != "vega-lite":
        return None, f"only Vega-Lite specifications are drawn, not {specification.get('type')!r}"
    spec = copy.deepcopy(contents)
    requests = [r for r in definition.get("requests") or [] if isinstance(r, dict)]
    spec["datasets"] = {f"table{i + 1}": sample_table(r) for i, r in enumerate(requests)}
    # "container" (or no size) means the widget's size in Datadog: here, the box less its title bar.
    for key, size in (("width", max(100, width_px - 40)), ("height", max(60, height_px - 70))):
        if not isinstance(spec.get(key), int | float):
            spec[key] = size
    import vl_convert  # a large native module: loaded only when a wildcard is drawn

    try:
        return vl_convert.vegalite_to_svg(vl_spec=spec), ""
    except (ValueError, RuntimeError) as error:
        return None, f"Vega-Lite could not draw it: {str(error).splitlines()[0]}"
