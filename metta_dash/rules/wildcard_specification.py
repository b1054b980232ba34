"""R401: a wildcard widget wraps its Vega or Vega-Lite spec."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule, walk_widgets

SPEC_TYPES = ("vega", "vega-lite")
# Top-level keys of a bare Vega/Vega-Lite document.
VEGA_KEYS = frozenset({"$schema", "mark", "encoding", "data", "layer", "transform", "marks", "signals", "scales"})
HINT = 'wrap it: "specification": {"type": "vega-lite", "contents": {...the Vega-Lite spec...}}'


@rule("R401", "wildcard-specification", Severity.ERROR)
def wildcard_specification(dashboard):
    """A wildcard widget's `specification` is `{"type": "vega-lite" or "vega", "contents": {...}}`.

    Putting the raw Vega-Lite document (with `$schema`, `mark`, ...) there is the classic mistake; the API
    answers "'type' is a required property".
    """
    for ref in walk_widgets(dashboard):
        if ref.type != "wildcard" or "specification" not in ref.definition:
            continue
        spec = ref.definition["specification"]
        path = ref.path + ("definition", "specification")
        if not isinstance(spec, dict):
            yield path, "wildcard specification is not an object", HINT
        elif "type" not in spec and "contents" not in spec and VEGA_KEYS.intersection(spec):
            yield path, "wildcard specification is a raw Vega-Lite document, not wrapped in {type, contents}", HINT
        elif "type" not in spec:
            yield path, "wildcard specification has no type (vega or vega-lite)", HINT
        elif spec["type"] not in SPEC_TYPES:
            yield path + ("type",), f"wildcard specification type {spec.get('type')!r} is not vega or vega-lite", HINT
        elif not isinstance(spec.get("contents"), dict):
            yield path + ("contents",), "wildcard specification has no contents object", HINT
