"""Input limits: a file too large or nested too deep is a finding on that file, never a crash.

The 577 dashboards Datadog ships (shared/corpus) nest at most 16 levels deep and weigh at most 355 KB;
the limits leave a wide margin above both. Deeper JSON would exhaust Python's recursion in the parser, the
schema check or the diff, and stop every other file with it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from metta_dash.findings import Finding, Severity

MAX_DEPTH = 100
MAX_BYTES = 10 * 1024 * 1024


def depth_beyond(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether `value` nests more than `limit` levels deep (the root is level 1; a leaf counts as a level).

    jsonschema-rs checks it against a schema that allows `limit` levels, in Rust and a third of the walk's time;
    only what it cannot vouch for (a deep document, a value that is not plain JSON) is walked.
    """
    try:
        if _within(limit).is_valid(value):
            return False
    except (ValueError, TypeError):  # a non-string key, a lone surrogate, bytes: the walk decides
        pass
    return _walked_depth_beyond(value, limit)


@functools.cache
def _within(limit: int) -> Any:
    """A validator accepting exactly the values at most `limit` levels deep (`$defs/N` holds level N)."""
    import jsonschema_rs  # where a check runs, not for every command that reads limits

    levels: dict[str, Any] = {}
    for level in range(1, limit + 1):
        below = {"$ref": f"#/$defs/{level + 1}"}
        levels[str(level)] = {"items": below, "additionalProperties": below}
    levels[str(limit + 1)] = False
    return jsonschema_rs.validator_for({"$defs": levels, "$ref": "#/$defs/1"})


def _walked_depth_beyond(value: Any, limit: int) -> bool:
    """`depth_beyond` by walking `value` level by level, without recursion."""
    level, depth = [value], 1
    while level:
        if depth > limit:
            return True
        below: list[Any] = []
        for node in level:  # list.extend in C: a dashboard of 10,000 widgets is walked in a few milliseconds
            if isinstance(node, dict):
                below.extend(node.values())
            elif isinstance(node, list):
                below.extend(node)
        level, depth = below, depth + 1
    return False


def size_problem(source: Path) -> str:
    """Why `source` is too large to read ('' when it is not, or cannot be measured)."""
    try:
        size = source.stat().st_size
    except OSError:
        return ""
    return f"the file is {size / 1024 / 1024:.1f} MB, more than the {MAX_BYTES // 1024 // 1024} MB limit" if (
        size > MAX_BYTES) else ""


def finding(file: str, problem: str) -> Finding:
    return Finding(
        rule="C006", slug="input-too-large", severity=Severity.ERROR, file=file,
        message=f"{problem}; not checked",
        hint=f"a dashboard nests at most a few dozen levels (Datadog's own reach 16) and weighs well under "
        f"{MAX_BYTES // 1024 // 1024} MB: this file is probably not a dashboard, or was generated wrongly",
    )


DEPTH_PROBLEM = f"nested more than {MAX_DEPTH} levels deep"
