"""R208's series count: one scope a series, a `by {tags}` grouping none."""

from __future__ import annotations

import itertools
import re

import pytest

from metta_dash.rules import metric_query_series


@pytest.mark.parametrize(("query", "problem"), [
    ("sum:a{w} by {z}", None),
    ("sum:a{w} by {z}.as_count()", None),
    ("by {z}", None),
    ("sum:a{w}, sum:b{v}", "2 comma-separated series"),
    ("sum:a{w} / sum:b{v}", "arithmetic between series"),
    # Two braces, and `by {...}` right after a word character is no grouping: two scopes.
    ("sum:a{w} + sum:xby {z}", "arithmetic between series"),
    ("sum:a{w} + sum:éby {z}", "arithmetic between series"),
    # Two braces and a `by {...}` in the raw text, but dropping the quoted `'q'` joins `x` to `by`: two scopes.
    # The shortcut for `m{scope} by {tags}` must not answer for a quoted query.
    ("sum:a{w} + x'q'by {z}", "arithmetic between series"),
])
def test_series_problem(query: str, problem: str | None) -> None:
    assert metric_query_series.series_problem(query) == problem


@pytest.mark.parametrize("text", [
    "by {}", "m{} by {}", "m{} by{x}", "m{}.by {}", "m{}xby {}", "m{}éby {}", "m{}_by {}", "m{} by {a}, n{} by {}",
    "m{} byby {}", "m{} by by {}",
])
def test_grouping_is_a_word_boundary_by(text: str) -> None:
    """The grouping pattern, written to start with its literal, finds what `\\bby` would."""
    assert metric_query_series._GROUPING.findall(text) == re.findall(r"\bby\s*\{[^{}]*\}", text)



def _scopes_outside_groupings(query: str) -> int:
    """The rule's definition, written plainly: quoted strings dropped, each innermost `{...}` emptied, and every
    `{}` counted unless a `by` that starts a word comes before it."""
    scoped = re.sub(r"\{[^{}]*\}", "{}", re.sub(r"'[^']*'|\"[^\"]*\"", "", query))
    return scoped.count("{}") - len(re.findall(r"\bby\s*\{\}", scoped))


def _disagreements(queries) -> list[str]:
    return [query for query in queries
            if (metric_query_series.series_problem(query) is not None) != (_scopes_outside_groupings(query) >= 2)]


def test_series_problem_agrees_with_the_plain_scope_count_on_short_queries() -> None:
    """Every query of up to four pieces (the keyword, braces, quotes, separators) gives the plain answer."""
    pieces = ("by", " ", "{", "}", "x", "é", "'", '"', ",", "+", "{}")
    queries = ("".join(joined) for length in range(1, 5) for joined in itertools.product(pieces, repeat=length))
    assert _disagreements(queries) == []


def test_series_problem_agrees_with_the_plain_scope_count_around_a_grouping() -> None:
    """A scope, what may touch a `by`, the grouping and what follows it, in every combination: the shortcut for
    `m{scope} by {tags}` answers only where emptying the braces would."""
    shapes = itertools.product(
        ("", "m{a}", "m{}", "{", "'m{a}'", "m{'}'"),
        ("", " ", "x", "é", "_", "''", "x''", 'x""', "'", '"', ",", " + ", "by"),
        ("by", "BY", "byby"),
        ("", " ", "  ", "\n"),
        ("{t}", "{}", "{", "{a{b}}", "{t", "}"),
        ("", "}", " by {u}", ", n{b}", "'", ".as_count()"),
    )
    assert _disagreements(map("".join, shapes)) == []
