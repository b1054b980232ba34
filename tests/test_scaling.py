"""Validation cost per widget stays flat from hundreds to thousands of widgets (no rule compares all pairs)."""

from __future__ import annotations

import time

import pytest

from metta_dash.validate import check_dashboard


def widget(index: int, x: int, y: int) -> dict:
    return {
        "id": index,
        "definition": {
            "type": "timeseries", "title": f"Series {index}",
            "requests": [{
                "response_format": "timeseries",
                "queries": [
                    {"data_source": "metrics", "name": "a", "query": f"avg:bench.series{{$env,shard:{index}}}"},
                ],
                "formulas": [{"formula": "a"}],
            }],
        },
        "layout": {"x": x, "y": y, "width": 3, "height": 2},
    }


def dashboard(count: int, layout_type: str) -> dict:
    """`count` widgets on a grid: in groups of 24 (ordered) or all in one free-layout container."""
    template_variables = [{"name": "env", "prefix": "env", "default": "*"}]
    if layout_type == "free":
        widgets = [widget(i, (i % 4) * 3, (i // 4) * 2) for i in range(count)]
    else:
        widgets = []
        for group in range(0, count, 24):
            inner = [widget(group + i, (i % 4) * 3, (i // 4) * 2) for i in range(min(24, count - group))]
            widgets.append({
                "id": 10**6 + group,
                "definition": {"type": "group", "title": f"Group {group}", "layout_type": "ordered", "widgets": inner},
                "layout": {"x": 0, "y": group, "width": 12, "height": 13},
            })
    return {"title": "Scale", "layout_type": layout_type, "template_variables": template_variables,
            "widgets": widgets}


def seconds_per_widget(count: int, layout_type: str) -> float:
    document = dashboard(count, layout_type)
    assert not [f for f in check_dashboard(document) if f.is_error]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        check_dashboard(document)
        best = min(best, time.perf_counter() - start)
    return best / count


@pytest.mark.parametrize("layout_type", ["ordered", "free"])
def test_validation_cost_per_widget_is_flat(layout_type):
    small, large = seconds_per_widget(500, layout_type), seconds_per_widget(5000, layout_type)
    # Linear rules keep the ratio near 1; one rule comparing all pairs would make it about 10.
    assert large / small < 3, f"{large * 1e6:.1f} us/widget at 5,000 vs {small * 1e6:.1f} at 500"
