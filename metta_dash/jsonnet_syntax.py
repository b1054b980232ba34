"""Jsonnet literals as jsonnetfmt writes them: single-quoted strings, bare identifiers as object keys."""

from __future__ import annotations

import json
import re
from typing import Any

KEYWORDS = frozenset({
    "assert", "else", "error", "false", "for", "function", "if", "import", "importstr", "importbin", "in",
    "local", "null", "self", "super", "tailstrict", "then", "true",
})
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}


_PLAIN = re.compile(r"[^\\'\x00-\x1f\x7f-\x9f\ud800-\udfff]*\Z")


def string(text: str) -> str:
    """A Jsonnet string literal as jsonnetfmt writes it: single-quoted, double-quoted when that saves escaping
    single quotes."""
    quote = '"' if "'" in text and '"' not in text else "'"
    if quote == "'" and _PLAIN.match(text):
        return "'" + text + "'"
    out = []
    for char in text:
        if char == quote or char == "\\":
            out.append("\\" + char)
        elif char in _ESCAPES and char not in ("'", "\\"):
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or 0xD800 <= ord(char) < 0xE000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return quote + "".join(out) + quote


def is_identifier(name: str) -> bool:
    return bool(_IDENTIFIER.match(name)) and name not in KEYWORDS


def key(name: str) -> str:
    """An object field name: bare when it is an identifier, quoted otherwise."""
    return name if is_identifier(name) else string(name)


def scalar(value: Any) -> str:
    """A JSON scalar (string, number, boolean, null) as Jsonnet."""
    if isinstance(value, str):
        return string(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return json.dumps(value)  # keep 1.0 a float: it compiles to 1 either way
    return json.dumps(value)
