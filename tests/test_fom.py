"""Every Figure of Merit's inline Datadog formula, compiled from foms.libsonnet and evaluated on sample raw
values, gives the values of the FoM table (shared reference fom.md)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import _jsonnet
import pytest

COMPONENTS = Path(__file__).resolve().parent.parent / "components"

# Raw value -> expected FoM, per published metric, from the fom.md rules.
TABLE: dict[str, list[tuple[float, float]]] = {
    "health.ci.tests_passing.fom": [(1, 1.0), (0, 0.0), (0.5, 1.0)],
    "health.ci.failing_workflows.fom": [(0, 1.0), (2.5, 0.5), (5, 0.0), (9, 0.0)],
    "health.ci.hotfix_count.fom": [(0, 1.0), (5, 0.5), (10, 0.0), (15, 0.0)],
    "health.ci.revert_count.fom": [(0, 1.0), (1, 0.5), (2, 0.0), (3, 0.0)],
    "health.ci.duration_p90.fom": [(1, 1.0), (3, 1.0), (6.5, 0.5), (10, 0.0), (12, 0.0)],
    "health.ci.stale_prs.fom": [(0, 1.0), (25, 0.5), (50, 0.0), (80, 0.0)],
    "health.ci.pr_cycle_time.fom": [(10, 1.0), (24, 1.0), (48, 0.5), (72, 0.0), (100, 0.0)],
    "health.training.run_success.fom": [(0, 0.0), (3.5, 0.5), (7, 1.0), (10, 1.0)],
    "health.training.run_failures.fom": [(0, 1.0), (1.5, 0.5), (3, 0.0), (5, 0.0)],
    "health.training.best_accuracy.fom": [(0, 0.0), (0.85, 0.85), (1.0, 1.0)],
    "health.training.avg_accuracy.fom": [(0, 0.0), (0.5, 0.5), (1.0, 1.0)],
    "health.training.latest_loss.fom": [(0.05, 1.0), (0.1, 1.0), (1.05, 0.5), (2.0, 0.0), (3.0, 0.0)],
    "health.training.gpu_utilization.fom": [(0, 0.0), (40, 0.5), (80, 1.0), (95, 1.0)],
    "health.training.duration.fom": [
        (0.5, 0.3), (0.99, 0.3), (1, 1.0), (4, 1.0), (8, 1.0), (12, 0.5), (16, 0.0), (20, 0.0),
    ],
    "health.eval.local_run_success.fom": [(0, 1.0), (1, 0.0), (2, 0.0), (-9, 0.0)],
    "health.eval.local_hearts_accuracy.fom": [(0, 1.0), (10, 0.5), (-10, 0.5), (20, 0.0), (-30, 0.0)],
    "health.eval.remote_run_success.fom": [(0, 0.0), (1, 1.0), (3, 1.0)],
    "health.eval.remote_hearts_accuracy.fom": [(0, 1.0), (5, 0.75), (-5, 0.75), (25, 0.0)],
    "health.eval.remote_duration.fom": [(2, 1.0), (3, 1.0), (6.5, 0.5), (10, 0.0), (11, 0.0)],
}


class FormulaError(ValueError):
    """The formula uses something outside the subset this evaluator understands."""


_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/(),]))"
)


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if not match:
            raise FormulaError(f"unexpected character {text[position:].strip()[0]!r} in {text!r}")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def _clamp_min(value: float, low: float) -> float:
    return max(value, low)


def _clamp_max(value: float, high: float) -> float:
    return min(value, high)


def _timeshift(value: float, seconds: float) -> float:
    # The sample stands for the raw value at the shifted time, so the shift itself is the identity here.
    if seconds >= 0:
        raise FormulaError("timeshift must look into the past (negative seconds)")
    return value


FUNCTIONS = {"abs": (1, abs), "clamp_min": (2, _clamp_min), "clamp_max": (2, _clamp_max), "timeshift": (2, _timeshift)}


def evaluate(text: str, variables: dict[str, float]) -> float:
    """Evaluate a Datadog formula over numbers: + - * / unary minus, parentheses, numbers, query names, and
    abs, clamp_min, clamp_max, timeshift. Anything else raises FormulaError."""
    tokens = tokenize(text)
    position = 0

    def peek() -> tuple[str, str] | None:
        return tokens[position] if position < len(tokens) else None

    def take(expected: str | None = None) -> tuple[str, str]:
        nonlocal position
        token = peek()
        if token is None or (expected is not None and token[1] != expected):
            raise FormulaError(f"expected {expected or 'more'} in {text!r}")
        position += 1
        return token

    def expression() -> float:
        value = term()
        while peek() and peek()[1] in "+-":
            value = value + term() if take()[1] == "+" else value - term()
        return value

    def term() -> float:
        value = unary()
        while peek() and peek()[1] in "*/":
            value = value * unary() if take()[1] == "*" else value / unary()
        return value

    def unary() -> float:
        if peek() and peek()[1] == "-":
            take()
            return -unary()
        return atom()

    def atom() -> float:
        kind, value = take()
        if kind == "number":
            return float(value)
        if value == "(":
            inner = expression()
            take(")")
            return inner
        if kind == "name" and peek() and peek()[1] == "(":
            if value not in FUNCTIONS:
                raise FormulaError(f"function {value}() is outside the evaluated subset")
            arity, function = FUNCTIONS[value]
            take("(")
            arguments = [expression()]
            while peek() and peek()[1] == ",":
                take()
                arguments.append(expression())
            take(")")
            if len(arguments) != arity:
                raise FormulaError(f"{value}() takes {arity} arguments, got {len(arguments)}")
            return function(*arguments)
        if kind == "name":
            if value not in variables:
                raise FormulaError(f"unknown query name {value!r}")
            return variables[value]
        raise FormulaError(f"unexpected {value!r} in {text!r}")

    result = expression()
    if position != len(tokens):
        raise FormulaError(f"trailing {tokens[position][1]!r} in {text!r}")
    return result


def compiled_foms() -> dict[str, dict]:
    snippet = """
    local fom = import 'fom.libsonnet';
    local foms = import 'foms.libsonnet';
    {
      [d.metric]: {
        formula: fom.formula(d, 'raw'),
        shifted: fom.inline(d, 'raw', 3).formula.formula,
        raw: fom.rawQuery(d),
      }
      for d in foms.all
    }
    """
    return json.loads(_jsonnet.evaluate_snippet("foms.jsonnet", snippet, jpathdir=[str(COMPONENTS)]))


FOMS = compiled_foms()


def test_every_declared_fom_has_table_values():
    assert sorted(FOMS) == sorted(TABLE)


@pytest.mark.parametrize("metric", sorted(TABLE))
def test_inline_formula_matches_the_table(metric: str):
    formula = FOMS[metric]["formula"]
    for raw, expected in TABLE[metric]:
        got = evaluate(formula, {"raw": raw})
        assert math.isclose(got, expected, abs_tol=1e-9), f"{metric}: raw {raw} -> {got}, table says {expected}"


@pytest.mark.parametrize("metric", sorted(TABLE))
def test_formula_stays_in_unit_range_and_shifts_alike(metric: str):
    formula, shifted = FOMS[metric]["formula"], FOMS[metric]["shifted"]
    # absDelta FoMs read the largest and the smallest delta of the runs (raw_max, raw_min).
    assert "timeshift(raw, -259200)" in shifted or "timeshift(raw_max, -259200)" in shifted
    for step in range(-200, 1201):
        raw = step / 10
        value = evaluate(formula, {"raw": raw})
        assert 0.0 <= value <= 1.0, f"{metric}: raw {raw} -> {value}"
        assert math.isclose(evaluate(shifted, {"raw": raw, "raw_max": raw, "raw_min": raw}), value, abs_tol=1e-12)


@pytest.mark.parametrize("metric", ["health.eval.local_hearts_accuracy.fom", "health.eval.remote_hearts_accuracy.fom"])
def test_hearts_foms_take_the_worst_run_not_the_mean_delta(metric: str):
    shifted = FOMS[metric]["shifted"]
    for largest, smallest, worst in ((15, -15, 15), (4, -10, 10), (-2, -12, 12), (18, 6, 18)):
        value = evaluate(shifted, {"raw_max": largest, "raw_min": smallest})
        assert math.isclose(value, max(0.0, 1 - worst / 20)), (largest, smallest, value)


@pytest.mark.parametrize("metric", sorted(TABLE))
def test_raw_query_reads_the_raw_metric(metric: str):
    assert re.fullmatch(r"(avg|sum):[a-z0-9_.]+\{\*\}", FOMS[metric]["raw"])
    assert not FOMS[metric]["raw"].split(":")[1].startswith("health.")


@pytest.mark.parametrize(
    "formula",
    ["exp(raw)", "raw ** 2", "raw; 1", "unknown_query + 1", "clamp_min(raw)", "(raw", "raw raw", "timeshift(raw, 60)"],
)
def test_evaluator_refuses_what_it_does_not_know(formula: str):
    with pytest.raises(FormulaError):
        evaluate(formula, {"raw": 1.0})


def test_evaluator_arithmetic():
    assert evaluate("1 - -2 * (3 + 1) / 4", {}) == 3.0
    assert evaluate("clamp_min(clamp_max(abs(x) * 2, 5), 1)", {"x": -4}) == 5.0
