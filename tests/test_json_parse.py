"""The fast JSON parser gives exactly what `json.loads` gives: the same values, the same errors."""

from __future__ import annotations

import gc
import json

import pytest
from conftest import corpus_files

from metta_dash import json_parse

DOCUMENTS = [
    '{"title": "x", "widgets": [{"id": 1, "definition": {"type": "note"}}]}',
    "123456789012345678901234567890", "-123456789012345678901234567890", "18446744073709551616",
    "1e400", "-1e400", "1e-400", "-0", "-0.0", "1.0", "1E2", "0.1", "5e-324", "1.7976931348623157e308",
    '{"a": 1, "a": 2}', '"\\ud83d\\ude00"', '"a\\u0000b"', '"\\u00e9t\\u00e9"', '"caf\u00e9"',
    '"\\ud800"', "NaN", "-Infinity", '{"a": NaN}',
    "", " ", "[1,]", '{"a": 1} x', "\ufeff{}", '{"title": "x",\n "widgets": [1, 2,]}', "{", '"\\x"', "[1 2]",
]


def _outcome(parse, document):
    try:
        value = parse(document)
    except json.JSONDecodeError as error:
        return ("error", error.msg, error.lineno, error.colno)
    except (ValueError, RecursionError) as error:
        return ("error", type(error).__name__, str(error))
    return ("value", repr(value), json.dumps(value, sort_keys=True, allow_nan=True))


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_same_value_or_the_same_error_as_json_loads(document):
    expected = _outcome(json.loads, document)
    assert _outcome(json_parse.loads, document) == expected
    assert _outcome(json_parse.loads, document.encode("utf-8")) == expected  # bytes are read as UTF-8, BOM kept


def test_bytes_that_are_not_utf8_raise_as_decoding_them_does():
    with pytest.raises(UnicodeDecodeError):
        json_parse.loads(b'{"title": "caf\xe9"}')


@pytest.mark.parametrize("levels", [1200, 5000])
def test_absurd_nesting_raises_recursion_error_as_json_loads_does(levels):
    gc.collect()  # garbage of earlier tests, finalised at the bottom of the stack, would hit the limit itself
    with pytest.raises(RecursionError):
        json_parse.loads("[" * levels + "]" * levels)


def test_every_corpus_dashboard_parses_to_the_same_value():
    files = corpus_files()
    if not files:
        pytest.skip("corpus not found (set METTA_DASH_CORPUS)")
    for path in files:
        raw = path.read_bytes()
        assert json.dumps(json_parse.loads(raw)) == json.dumps(json.loads(raw)), path.name
