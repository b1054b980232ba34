"""Did-you-mean: the known name a misspelt one was most likely meant to be.

A near miss is a name within a small edit distance of a known one, counting a swap of two neighbouring
letters as one edit (optimal string alignment: `titel` -> `title` is one edit, where plain Levenshtein
counts two). The allowance grows with the length of the name: one edit up to six characters, two beyond,
none for names of one or two characters (any two of those are one edit apart). A name differing only in
case is always a near miss. Anything farther is not a typo but a different name, possibly one Datadog added
after the published spec, and callers report it as such.

rapidfuzz computes the distance (in C); it is imported only when an unknown name has a known one close enough
in length and letters to be a candidate, so a clean validation, and most unknown names, never pay its import.
"""

from __future__ import annotations

import functools
from collections import Counter
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
    survivors = [(c, limit) for c in known if _may_be_within(name, c, limit := min(allowance(name), allowance(c)))]
    if not survivors:
        return None
    from rapidfuzz.distance import OSA

    best, best_distance = None, None
    for candidate, limit in survivors:
        distance = OSA.distance(name, candidate, score_cutoff=limit)
        if distance <= limit and (best_distance is None or distance < best_distance):
            best, best_distance = candidate, distance
    return best


def _may_be_within(name: str, candidate: str, limit: int) -> bool:
    """A cheap bound that rules most names out before any distance is computed (and rapidfuzz imported): an
    edit adds, removes or changes one letter, and a swap changes none, so `limit` edits leave at most `limit`
    letters of either name unmatched in the other."""
    if abs(len(name) - len(candidate)) > limit:
        return False
    left, right = Counter(name), Counter(candidate)
    return sum((left - right).values()) <= limit and sum((right - left).values()) <= limit


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """'; did you mean 'x'?' for a near miss, else ''."""
    near = closest(name, known)
    return f"; did you mean {near!r}?" if near is not None else ""
