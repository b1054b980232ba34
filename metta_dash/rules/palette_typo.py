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


def _palettes(request, path):
    """(palette, path) for each string `style.palette` of a request and of its formulas that is not a known one.

    A plain loop rather than a generator of every style: this runs for every request, and almost every
    palette is known.
    """
    found = []
    style = request.get("style")
    if isinstance(style, dict):
        palette = style.get("palette")
        if isinstance(palette, str) and palette not in PALETTES:
            found.append((palette, path + ("style", "palette")))
    formulas = request.get("formulas")
    if isinstance(formulas, list):
        for index, formula in enumerate(formulas):
            style = formula.get("style") if isinstance(formula, dict) else None
            if isinstance(style, dict):
                palette = style.get("palette")
                if isinstance(palette, str) and palette not in PALETTES:
                    found.append((palette, path + ("formulas", index, "style", "palette")))
    return found


@rule("R402", "palette-typo", Severity.ERROR)
def palette_typo(dashboard):
    """A request or formula `style.palette` is a near miss of a Datadog palette (`dog_clasic`).

    The API takes any string here, so the misspelt palette is stored and the series are not drawn in it.
    """
    for _, path, request in walk_requests(dashboard):
        for palette, where in _palettes(request, path):
            near = closest(palette, PALETTES)
            if near is not None:
                yield where, f"palette {palette!r} is not a Datadog palette; did you mean {near!r}?", \
                    f"palettes: {', '.join(sorted(PALETTES))}"
