"""Indented JSON text is byte for byte what `json.dumps(value, indent=2)` writes."""

from __future__ import annotations

import json
import math

import pytest
from conftest import corpus_files

from metta_dash import json_text

VALUES = [
    {}, [], "", 0, -0.0, True, None, {"a": {}, "b": [], "c": [1, {}, []]},
    0.1, 1e16, 1e-05, 1e-07, 1.5e300, 5e-324, 1.7976931348623157e308, 123456789.125, -2.5e-12,
    10**40, -(10**30), 18446744073709551616,
    "caf\u00e9 \u2197 \u2028 \x7f \x00 \x1f \" \\ / \t \n \U0001f600", {"cl\u00e9 \"\\": ["\u00e9", 1.0]},
    {"z": 1, "a": 2, "m": {"y": [1, 2, {"x": None}]}},  # key order kept, not sorted
    math.nan, [math.inf, -math.inf], {"a": [1, math.nan]},  # json writes these; JSON has no such values
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_the_same_text_as_json_dumps(value):
    assert json_text.indented(value) == json.dumps(value, indent=2)


def test_nesting_at_the_dashboard_limit():
    value: list = []
    for _ in range(120):
        value = [value, {"k": value and 1}]
    assert json_text.indented(value) == json.dumps(value, indent=2)


def test_every_corpus_dashboard_is_written_as_json_dumps_writes_it():
    files = corpus_files()
    if not files:
        pytest.skip("corpus not found (set METTA_DASH_CORPUS)")
    for path in files:
        value = json.loads(path.read_bytes())
        assert json_text.indented(value) == json.dumps(value, indent=2), path.name
