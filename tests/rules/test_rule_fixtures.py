"""Each rule's good and bad fixtures: good ones raise no finding at all, bad ones exactly the expected ones.

A bad fixture lists what it must raise under a top-level "expected" key (stripped before checking):
[{"rule": "R101", "path": "$.widgets[1]"}, ...].
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from metta_dash import rules

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_FILES = sorted(FIXTURES.glob("*/*.json"))


def _load(path: Path) -> tuple[dict, list[tuple[str, str]]]:
    dashboard = json.loads(path.read_text(encoding="utf-8"))
    expected = dashboard.pop("expected", [])
    return dashboard, sorted((item["rule"], item["path"]) for item in expected)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture(path: Path) -> None:
    dashboard, expected = _load(path)
    found = sorted((f.rule, f.jsonpath) for f in rules.check(dashboard))
    if path.name.startswith("good_"):
        assert not expected, "good fixtures declare no expected findings"
        assert found == []
    else:
        assert path.name.startswith("bad_"), "fixture names start with good_ or bad_"
        assert expected, "a bad fixture declares the findings it must raise"
        assert found == expected
        slug_rule = {rule.slug: rule.id for rule in rules.all_rules()}[path.parent.name]
        assert slug_rule in {rule for rule, _ in expected}, "a bad fixture raises the rule of its folder"


@pytest.mark.parametrize("rule", rules.all_rules(), ids=lambda r: f"{r.id}-{r.slug}")
def test_every_rule_has_good_and_bad_fixtures(rule: rules.Rule) -> None:
    folder = FIXTURES / rule.slug
    assert list(folder.glob("good_*.json")), f"no good fixture in {folder}"
    assert list(folder.glob("bad_*.json")), f"no bad fixture in {folder}"


def test_fixture_folders_name_registered_rules() -> None:
    slugs = {rule.slug for rule in rules.all_rules()}
    assert {folder.name for folder in FIXTURES.iterdir() if folder.is_dir()} <= slugs
