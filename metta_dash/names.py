"""What a dashboard name and a dashboard ID may be.

Names become file names (build/, pulled/) and IDs become URL paths, so both are plain: no separators,
no `..`, no leading dot, no whitespace or control characters, at most 100 characters.
"""

from __future__ import annotations

import re

MAX_LENGTH = 100
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def is_plain_name(name: object) -> bool:
    return isinstance(name, str) and len(name) <= MAX_LENGTH and _PLAIN_NAME.fullmatch(name) is not None


def name_problem(name: object) -> str:
    """Why `name` is not a plain dashboard name ('' when it is)."""
    if is_plain_name(name):
        return ""
    return (f"dashboard name {name!r} is not a plain name: use letters, digits, '_', '-' and '.', at most "
            f"{MAX_LENGTH} characters, not starting with '.' (names become file names)")


def is_plain_id(dashboard_id: object) -> bool:
    return isinstance(dashboard_id, str) and len(dashboard_id) <= MAX_LENGTH and (
        _PLAIN_ID.fullmatch(dashboard_id) is not None
    )
