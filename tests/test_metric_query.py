"""The metric query grammar: what it accepts, where it says a query breaks, and which names it does not know."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from metta_dash.metric_query import _SIMPLE_SERIES, Parsed, parse, parse_fully
from metta_dash.rules.metric_query_checks import metric_queries

VALID = [
    "avg:system.cpu.user{*}",
    "avg:system.cpu.user{env:prod,$host} by {host,env}",
    "sum:trace.hits{service:web-*, !env:staging}.as_count()",
    "sum:m{a:b} by {c}.as_rate().rollup(sum, 60).fill(zero, 300)",
    "sum:m{*}.rollup(10)",
    "avg:m{host:$host.value,topic:$queue.key}",
    "avg:m{(kube_namespace:a OR kube_namespace:b) AND NOT env:dev}",
    "avg:m{kind IN (a, b) AND kind NOT IN (c)}",
    "avg:m{not status:done and $env or (a:b)}",
    "p95:trace.duration{*}",
    "p99.9:trace.duration{*}",
    "count(v: v>=0):data_streams.latency{*} by {topic}",
    "avg:disk.used{mountpoint:/,image:gcr.io/app:1.2}.weighted()",
    "m.without.aggregator{*}",
    "-sum:net.bytes{*}",
    "(sum:a{*} - sum:b{*}) / sum:a{*} * 100",
    "top(avg:m{*} by {host}, 10, 'mean', 'desc'), per_second(sum:n{*})",
    "forecast(top(avg:m{*} by {h}, 5, 'mean', 'desc'), 'linear', 1)",
    "timeshift(sum:m{*}, -3600)",
    "top10_mean(avg:m{*} by {host})",
    "  avg:m{ a:b , c:d }  by { e , f }  ",
    # the algorithms' keyword arguments, in the format Datadog documents for dashboards' JSON
    "forecast(avg:m{*}, 'linear', 1, interval='60m', history='1w', model='default')",
    "forecast(avg:m{*}, 'seasonal', 1, interval='60m', seasonality='weekly')",
    "anomalies(avg:m{*}, 'agile', 2, direction='above', alert_window='last_15m', interval=60, "
    "count_default_zero='true')",
    # a calendar rollup: interval, then alignment and time zone as strings
    "sum:m{*}.as_count().rollup(sum, monthly, 'America/Denver')",
    "sum:m{*}.rollup(sum, daily)",
    'avg:m{host:"my host"} by {host}',
    "avg:m{*} * 1e-6 + -2.5E3",
    "sum:m{a IN (b,c)}.as_count()",
    "avg:m{env:prod AND (service:a OR service:b)} by {host}.rollup(avg, 60)",
]


@pytest.mark.parametrize("query", VALID)
def test_valid_queries_parse(query: str) -> None:
    assert parse(query).error is None
    assert parse(query).unknown == ()


@pytest.mark.parametrize(("query", "column", "expected"), [
    ("avg:m{host:a", 13, "',', AND, OR or '}' closing the scope"),  # unbalanced brace
    ("avg:m{host:a by {host}", 14, "',', AND, OR or '}' closing the scope"),
    ("avg:m{}", 7, "a tag filter (key:value, $variable or *)"),  # empty scope
    ("avg:m{ }", 8, "a tag filter (key:value, $variable or *)"),
    ("avg:m{*} by host", 13, "'{' after by: by {tag, ...}"),  # by without braces
    ("avg:m{*} by {}", 14, "a tag key to group by"),
    ("avg:m", 6, "'{' opening the metric's scope (use {*} for all)"),
    ("avg:m{*} avg:n{*}", 10, "an operator (+ - * /), ',' or the end of the query"),
    ("top(avg:m{*}, 10", 17, "',' or ')' closing the function call"),
    ("(sum:a{*} / sum:b{*}", 21, "')' or an operator"),
    ("avg:m{kind IN (a, b}", 20, "',' or ')' closing the IN list"),
    ("avg:m{*}.rollup(sum", 20, "',' or ')' closing .rollup("),
    ("count(v: x):m{*}", 6, "a value filter such as (v: v>=0)"),
    ("sum:m{*}.as_count(1)", 19, "')': .as_count() takes no argument"),
    ("sum:m{*}.fill()", 15, "an argument: .fill() takes 1 or 2 arguments"),
    ("sum:m{*}.rollup()", 17, "an argument: .rollup() takes 1 to 4 arguments"),
    ("sum:m{*}.fill(zero, 30, 60)", 25, "')': .fill() takes 1 or 2 arguments"),
    ("forecast(avg:m{*}, 'linear', 1, interval=)", 42, "a value for interval= (a 'string' or a number)"),
    ("", 1, "a metric name (or aggregator:metric, a number, a function or '(')"),
])
def test_syntax_errors_carry_the_column_and_what_was_expected(query: str, column: int, expected: str) -> None:
    error = parse(query).error
    assert error is not None
    assert (error.column, error.expected) == (column, expected)


def test_syntax_error_shows_what_was_found() -> None:
    assert parse("avg:m{*} by host").error.found == "'host'"
    assert parse("avg:m{host:a").error.found == "the end of the query"
    assert parse("avg:m{*} # this is a long trailing comment").error.found == "'# this is a ...'"


@pytest.mark.parametrize(("query", "kind", "name", "column"), [
    ("avgg:m{*}", "aggregator", "avgg", 1),
    ("median:m{*}", "aggregator", "median", 1),
    ("sum:m{*}.as_cont()", "in-query function", "as_cont", 10),
    ("sum:m{*} by {h}.rolup(sum)", "in-query function", "rolup", 17),
    ("sum:m{*}.rollup(summ, 60)", "rollup aggregator", "summ", 17),
    ("sum:m{*}.fill(zeros)", "fill mode", "zeros", 15),
    ("per_secnd(sum:m{*})", "function", "per_secnd", 1),
    ("(sum:a{*} / timeshit(sum:b{*}, -60))", "function", "timeshit", 13),
])
def test_unknown_names_are_reported_with_their_column(query: str, kind: str, name: str, column: int) -> None:
    parsed = parse(query)
    assert parsed.error is None
    assert [(u.kind, u.name, u.column) for u in parsed.unknown] == [(kind, name, column)]


@pytest.mark.parametrize("query", [
    "(" * 5000 + "avg:m{*}" + ")" * 5000,
    "avg:m{" + "(" * 5000 + "a:b" + ")" * 5000 + "}",
])
def test_absurd_nesting_is_a_syntax_error_not_a_crash(query: str) -> None:
    assert parse(query).error.expected == "at most 100 nested parentheses or calls"


def test_any_text_gets_an_answer() -> None:
    rng = random.Random(7)
    alphabet = "avgsum:.{}()[],!$*-+/ 'byINANDORNOT0123456789_"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        parsed = parse(text)
        assert parsed.error is None or 1 <= parsed.error.column <= len(text) + 1


def test_identical_queries_are_parsed_once() -> None:
    query = "sum:cache.probe{unique:1} by {host}.as_count()"
    assert parse(query) is parse(query)


def test_validation_without_metric_queries_or_near_misses_loads_neither_the_parser_nor_rapidfuzz() -> None:
    code = (
        "import sys\n"
        "from metta_dash.validate import check_dashboard\n"
        "check_dashboard({'title': 't', 'layout_type': 'ordered', 'widgets': [\n"
        "    {'definition': {'type': 'note', 'content': 'x'}},\n"
        "    {'definition': {'type': 'custom', 'requests': []}}]})\n"  # unknown, but far from every type
        "print('metta_dash.metric_query' in sys.modules, 'rapidfuzz' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_the_plain_series_shortcut_accepts_only_what_the_grammar_accepts(corpus) -> None:
    """The one-match shortcut is an optimisation: every query it accepts parses cleanly the long way too."""
    queries = {text for dashboard in corpus.values() for _, text in metric_queries(dashboard)} | set(VALID)
    variants = {q.replace("}", "} ", 1) for q in queries} | {q.replace(":", "::", 1) for q in queries}
    shortcut = [q for q in queries | variants if _SIMPLE_SERIES.fullmatch(q)]
    assert len(shortcut) > len(queries) / 2  # the shortcut does serve most queries
    assert [q for q in shortcut if parse_fully(q) != parse(q)] == []


def test_every_corpus_query_parses(corpus) -> None:
    queries = [(name, path, text) for name, dashboard in corpus.items() for path, text in metric_queries(dashboard)]
    print(f"\n{len(queries)} metric query strings in the corpus, {len({t for _, _, t in queries})} distinct")
    assert [(name, text) for name, _, text in queries if parse(text) != Parsed()] == []
