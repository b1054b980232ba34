"""R111: a widget title longer than its widget can show is cut with an ellipsis.

Width model (an estimate, hence a warning): the dashboard is seen on a 1280 px wide laptop screen with
Datadog's navigation sidebar open, which leaves the 12-column grid about 1056 px, so one column is 88 px
(widgets inside a group count the same columns: a group lays its widgets out on its own width). A title has
the widget's width less 32 px of padding (16 px each side). Titles are set in a 14 px sans-serif; glyph
advances are those of Helvetica from Adobe's Core 14 font metrics (Helvetica.afm, widths in 1/1000 em), the
reference most sans-serif UI fonts keep close to. A wider screen shows more; a bold title or a narrower
window cuts sooner.
"""

from __future__ import annotations

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, walk_widgets

COLUMN_PX = 88.0
PADDING_PX = 32.0
FONT_PX = 14.0
_OTHER = 556  # anything else (accents, symbols): an average glyph


class _Widths(dict):
    """Advance widths by character, _OTHER for a character the table lacks."""

    def __missing__(self, char: str) -> int:
        return _OTHER


# Helvetica advance widths (Helvetica.afm, Adobe Core 14), in 1/1000 em, for printable ASCII.
_WIDTHS = _Widths(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278)
    + (556,) * 10
    + (278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
       667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556,
       278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
       260, 334, 584),
    strict=True,
))
_WIDEST = max(_OTHER, *_WIDTHS.values())
# Widgets whose title shows in a title bar; notes and free text have no title, groups span their width.
_UNTITLED = frozenset({"note", "free_text", "image", "iframe", "group"})


def text_width(text: str) -> float:
    """Width in px of `text` in the model's font."""
    return sum(map(_WIDTHS.__getitem__, text)) * FONT_PX / 1000  # map: C calls, no Python frame per character


def title_room(columns: float) -> float:
    """Px a title has in a widget `columns` grid columns wide (of the full 12-column grid)."""
    return columns * COLUMN_PX - PADDING_PX


@rule("R111", "title-width", Severity.WARNING)
def title_width(dashboard):
    """A widget title must fit its widget's width, or Datadog cuts it with an ellipsis.

    Estimated for a 1280 px screen with the sidebar open (88 px per grid column, 32 px padding, 14 px
    Helvetica metrics); only
    ordered dashboards, whose widths are grid columns.
    """
    if dashboard.get("layout_type") != "ordered":
        return
    for ref in walk_widgets(dashboard):
        title = ref.definition.get("title")
        columns = ref.width
        if ref.type in _UNTITLED or not isinstance(title, str) or not title or columns is None:
            continue
        if ref.parent is not None and ref.parent.parent is not None:
            continue  # a group inside a group is R105's error; its widgets have no width to measure against
        room = columns * COLUMN_PX - PADDING_PX  # title_room, inlined: this runs for every titled widget
        if len(title) * _WIDEST * FONT_PX / 1000 <= room:
            continue  # fits even if every character were the widest: most titles, without measuring them
        needed = text_width(title)
        if needed > room:
            shown = _fitting(title, room)
            yield (
                ref.path + ("definition", "title"),
                f"title {title!r} is about {needed:.0f} px wide, but a widget {columns:g} columns wide shows about "
                f"{max(room, 0):.0f} px: it appears as {shown + '…'!r}",
                f"shorten the title to about {len(shown)} characters (move detail to the description), "
                "or widen the widget",
            )


def shown_title(title: str, columns: float) -> str:
    """`title` as a widget `columns` wide shows it: whole, or cut with an ellipsis (the preview draws this)."""
    room = title_room(columns)
    return title if text_width(title) <= room else _fitting(title, room) + "…"


def _fitting(title: str, room: float) -> str:
    """The longest prefix of `title` that fits `room` px with an ellipsis after it."""
    budget = room - text_width("…")
    used, count = 0.0, 0
    for char in title:
        used += text_width(char)
        if used > budget:
            break
        count += 1
    return title[:count].rstrip()
