"""R402: a series palette is a near miss of a Datadog palette."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, walk_requests
from metta_dash.suggest import closest

# The spec types a style palette as any string; these are the names Datadog's own integration dashboards use
# (every palette of the 577 shipped dashboards) and the graphing documentation lists.
PALETTES = frozenset({
    "dog_classic", "dog_classic_area", "classic", "datadog16", "dd20", "semantic", "cool", "warm", "purple",
    "orange", "gray", "grey", "green", "red", "blue", "pink", "hostmap_blues", "green_to_orange",
    "yellow_to_green", "YlOrRd", "Plasma", "dogcat",
})


@rule("R402", "palette-typo", Severity.ERROR)
def palette_typo(dashboard):
    """A request or formula `style.palette` is a near miss of a Datadog palette (`dog_clasic`).

    The API takes any string here, so the misspelt palette is stored and the series are not drawn in it.
    """
    # Plain loops, without a helper call or a generator of every style: this runs for every request and
    # formula, and almost every palette is known.
    for _, path, request in walk_requests(dashboard):
        style = request.get("style")
        if isinstance(style, dict):
            palette = style.get("palette")
            if isinstance(palette, str) and palette not in PALETTES:
                yield from _near_miss(palette, path + ("style", "palette"))
        formulas = request.get("formulas")
        if isinstance(formulas, list):
            for index, formula in enumerate(formulas):
                style = formula.get("style") if isinstance(formula, dict) else None
                if isinstance(style, dict):
                    palette = style.get("palette")
                    if isinstance(palette, str) and palette not in PALETTES:
                        yield from _near_miss(palette, path + ("formulas", index, "style", "palette"))


def _near_miss(palette, where):
    near = closest(palette, PALETTES)
    if near is not None:
        yield where, f"palette {palette!r} is not a Datadog palette; did you mean {near!r}?", \
            f"palettes: {', '.join(sorted(PALETTES))}"
