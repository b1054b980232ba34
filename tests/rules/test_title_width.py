"""R111's width model: Helvetica advances at 14 px, 88 px per column less 32 px of padding."""

from __future__ import annotations

import pytest

from metta_dash.rules import title_width


def test_text_width_follows_the_helvetica_advances():
    assert title_width.text_width("i" * 10) == pytest.approx(10 * 222 * 14 / 1000)
    assert title_width.text_width("W") == pytest.approx(944 * 14 / 1000)
    assert title_width.text_width("é") == pytest.approx(556 * 14 / 1000)  # outside ASCII: an average glyph


def test_room_is_columns_less_padding():
    assert title_width.title_room(2) == 2 * 88 - 32
    assert title_width.title_room(12) == 12 * 88 - 32


def test_the_message_shows_what_the_reader_sees():
    dashboard = {"layout_type": "ordered", "widgets": [{
        "definition": {"type": "query_value", "title": "Multinode Runs Completed (24h)"},
        "layout": {"x": 0, "y": 0, "width": 2, "height": 2},
    }]}
    (finding,) = title_width.title_width.check(dashboard)
    assert finding.rule == "R111" and finding.severity.value == "warning"
    assert "205 px wide" in finding.message and "shows about 144 px" in finding.message
    assert "appears as 'Multinode Runs Com…'" in finding.message
    assert "about 18 characters" in finding.hint
