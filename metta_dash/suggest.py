"""Did-you-mean: the known name a misspelt one was most likely meant to be.

A near miss is a name within a small edit distance of a known one, counting a swap of two neighbouring
letters as one edit (optimal string alignment: `titel` -> `title` is one edit, where plain Levenshtein
counts two). The allowance grows with the length of the name: one edit up to six characters, two beyond,
none for names of one or two characters (any two of those are one edit apart). A name differing only in
case is always a near miss. Anything farther is not a typo but a different name, possibly one Datadog added
after the published spec, and callers report it as such.

rapidfuzz computes the distance (in C); it is imported only when a name is unknown, so a clean validation
never pays its import.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

SHORT = 6


def allowance(name: str) -> int:
    """How many edits a misspelling of a `name`-sized word may differ by."""
    if len(name) <= 2:
        return 0
    return 1 if len(name) <= SHORT else 2


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name `name` most likely misspells, or None when none is near."""
    return _closest(name, tuple(sorted({k for k in known if isinstance(k, str)})))


@functools.lru_cache(maxsize=1024)
def _closest(name: str, known: tuple[str, ...]) -> str | None:
    if not known or name in known:
        return None
    folded = name.casefold()
    for candidate in known:
        if candidate.casefold() == folded:
            return candidate
    from rapidfuzz.distance import OSA

    best, best_distance = None, None
    for candidate in known:
        limit = min(allowance(name), allowance(candidate))
        distance = OSA.distance(name, candidate, score_cutoff=limit)
        if distance <= limit and (best_distance is None or distance < best_distance):
            best, best_distance = candidate, distance
    return best


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """'; did you mean 'x'?' for a near miss, else ''."""
    near = closest(name, known)
    return f"; did you mean {near!r}?" if near is not None else ""
