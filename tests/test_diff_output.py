"""What `diff` shows people: the change inside a long string, what an added widget is, colour on a tty."""

from __future__ import annotations

import copy
import json

import pytest
from test_sync import make_dashboard, new_project, write_source

from metta_dash.cli import main
from metta_dash.diff import diff, render

ABOUT = ("This dashboard follows the training cluster: page the on-call engineer when the p99 step time "
         "stays above 48 seconds for the last hour of runs.")


def with_note(content: str) -> dict:
    return {"title": "D", "layout_type": "ordered", "widgets": [{"definition": {"type": "note", "content": content}}]}


def test_a_change_deep_inside_a_long_string_is_shown_with_its_words_marked():
    [line] = render(diff(with_note(ABOUT), with_note(ABOUT.replace("48", "24")))).splitlines()
    assert line == ('~ note (untitled) $.widgets[0].definition.content: '
                    '"…step time stays above [-48-]{+24+} seconds for the last hour of runs."')


def test_a_multi_line_string_change_is_a_line_diff():
    old = "# Runbook\nCheck the queue depth.\nEscalate after 30 minutes.\nOwner: infra"
    new = "# Runbook\nCheck the queue depth.\nEscalate after 15 minutes.\nOwner: infra\nSee also: the wiki"
    assert render(diff(with_note(old), with_note(new))).splitlines() == [
        "~ note (untitled) $.widgets[0].definition.content: text changed (4 -> 5 lines)",
        "  - Escalate after [-30-] minutes.",
        "  + Escalate after {+15+} minutes.",
        "  + See also: the wiki",
    ]


def test_an_added_widget_shows_its_type_title_and_queries():
    old = make_dashboard("D", widgets=1)
    new = copy.deepcopy(old)
    new["widgets"].append({"definition": {
        "type": "query_value", "title": "Deploys today",
        "requests": [{"response_format": "scalar", "queries": [
            {"name": "a", "data_source": "metrics", "query": "sum:deploys.count{env:prod}.as_count()"},
            {"name": "b", "data_source": "metrics", "query": "sum:deploys.failed{env:prod}.as_count()"},
        ], "formulas": [{"formula": "a - b"}]}],
    }})
    new["widgets"].append({"definition": {"type": "note", "content": "## Owners\nthe infra team"}})
    assert render(diff(old, new)).splitlines() == [
        "+ widget 'Deploys today' (query_value) added at $.widgets[1], queries: "
        "sum:deploys.count{env:prod}.as_count(), sum:deploys.failed{env:prod}.as_count()",
        "+ widget (untitled) (note) added at $.widgets[2], \"## Owners\"",
    ]


def test_colour_marks_changes_instead_of_brackets():
    text = render(diff(with_note(ABOUT), with_note(ABOUT.replace("48", "24"))), colour=True)
    assert "\033[31m48\033[0m\033[32m24\033[0m" in text and "[-" not in text


@pytest.mark.parametrize("tty", [True, False])
def test_the_diff_command_colours_only_on_a_terminal(tmp_path, monkeypatch, dd_emulator, capsys, tty):
    new_project(tmp_path, {"about": with_note(ABOUT)})
    monkeypatch.chdir(tmp_path)
    assert main(["push"]) == 0
    write_source(tmp_path, "about", with_note(ABOUT.replace("48", "24")))
    monkeypatch.setattr("sys.stdout.isatty", lambda: tty)
    monkeypatch.delenv("NO_COLOR", raising=False)
    capsys.readouterr()
    assert main(["diff"]) == 1
    out = capsys.readouterr().out
    assert ("\033[" in out) is tty
    assert ("[-48-]{+24+}" in out) is not tty
    json.dumps(out)
