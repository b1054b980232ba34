"""R209: `$var` references in queries match a template variable."""

import re

import msgspec

from metta_dash.findings import Severity
from metta_dash.rules.base import dict_items, rule, walk_widgets

# `$name`, `$name.value`, `$name.key`; names may hold dots (`$kong.service`). A `$` right after a word
# character, a dot or `@` is part of an attribute name (`@attributes.event_properties.$value`), not a variable.
# The pattern starts with the literal `$` (the look-behind comes after it) so the regex engine can jump from
# one `$` to the next instead of trying the look-behind at every character.
_REFERENCE = re.compile(r"\$(?<![\w.@$]\$)([A-Za-z_][\w.\-]*)")
# Keys whose string values are query text, plus widget titles (which show `$var` values); notes and links
# are prose where `$` may mean money.
QUERY_KEYS = frozenset({
    "q", "query", "query_string", "scope", "tags", "group", "group_by", "filters", "query_filter", "expression",
    "title",
})


def resolves(reference: str, names: set[str]) -> bool:
    reference = reference.rstrip(".-")
    if reference in names:
        return True
    for suffix in (".value", ".key"):
        if reference.endswith(suffix) and reference[: -len(suffix)] in names:
            return True
    return False


# Display settings never hold query text; skipping them keeps the walk short.
_SKIPPED_KEYS = frozenset({
    "style", "conditional_formats", "custom_links", "yaxis", "right_yaxis", "markers", "legend_columns",
    "text_formats", "time", "formulas", "sort", "widgets", "specification",
})


def _query_strings(definition, path):
    """(path, text) for strings under a query key, at any depth in `definition`.

    Only containers go on the stack; leaves are tested where they are met, which keeps the walk cheap.
    """
    stack = [(definition, path, False)]
    while stack:
        value, where, in_query = stack.pop()
        if isinstance(value, dict):
            entries = ((key, child, in_query or key in QUERY_KEYS) for key, child in value.items()
                       if key not in _SKIPPED_KEYS)
        else:
            entries = ((index, child, in_query) for index, child in enumerate(value))
        for key, child, child_in_query in entries:
            if isinstance(child, dict | list):
                stack.append((child, where + (key,), child_in_query))
            elif child_in_query and isinstance(child, str) and "$" in child:
                yield where + (key,), child


def _query_texts(value, in_query, texts):
    """Append to `texts` the strings with a `$` that `_query_strings` finds, without building their paths.

    The same walk as `_query_strings`, path-free and recursive because it runs on every widget: most
    dashboards reference only variables they define, and then no path is needed.
    """
    if isinstance(value, dict):
        for key, child in value.items():
            # Most values are strings without a `$`; the key tests come after the cheaper ones.
            if isinstance(child, str):
                if "$" in child and (in_query or key in QUERY_KEYS) and key not in _SKIPPED_KEYS:
                    texts.append(child)
            elif isinstance(child, (dict, list)) and key not in _SKIPPED_KEYS:
                _query_texts(child, in_query or key in QUERY_KEYS, texts)
    else:
        for child in value:
            if isinstance(child, str):
                if in_query and "$" in child:
                    texts.append(child)
            elif isinstance(child, (dict, list)):
                _query_texts(child, in_query, texts)


# The reference pattern without its look-behind, for JSON text (see `_text_resolves`).
_ANY_REFERENCE = re.compile(r"\$([A-Za-z_][\w.\-]*)")


def _text_resolves(widgets, names):
    """Fastest path: whether every `$name` anywhere in the widgets' JSON text is a template variable.

    The JSON encoder escapes only `"`, `\\` and control characters, none of them a name character, so every
    reference in a query string appears in the text with the same name. The text holds more (notes, links, keys,
    a `$` after a word character), so a dashboard with one unknown `$name` anywhere still gets the walk.
    """
    try:
        text = msgspec.json.encode(widgets).decode()
    except (TypeError, ValueError, RecursionError):  # not plain JSON: the walk decides
        return False
    return all(resolves(name, names) for name in set(_ANY_REFERENCE.findall(text)))


def _all_resolve(widgets, names):
    """Fast path: whether every `$name` in the widgets' query strings is a template variable.

    That holds for almost every dashboard; only the others get the walk with paths.
    """
    texts = []
    for ref in widgets:
        _query_texts(ref.definition, False, texts)
    # One search over the distinct texts: a newline neither extends a name nor counts as the character before
    # a `$`, so this finds what searching each text apart would.
    return all(resolves(name, names) for name in set(_REFERENCE.findall("\n".join(set(texts)))))


@rule("R209", "unknown-template-variable", Severity.WARNING)
def unknown_template_variable(dashboard):
    """A `$var` (or `$var.value`, `$var.key`) in a query or widget title must name a template variable.

    The API accepts it, but an unknown `$var` filters on a literal that matches nothing, or shows as is.
    """
    names = {tv.get("name") for _, tv in dict_items(dashboard.get("template_variables"))
             if isinstance(tv.get("name"), str)}
    if _text_resolves(dashboard.get("widgets"), names):
        return
    widgets = walk_widgets(dashboard)
    if _all_resolve(widgets, names):
        return
    for ref in widgets:
        for path, text in _query_strings(ref.definition, ref.path + ("definition",)):
            unknown = [m.group(1) for m in _REFERENCE.finditer(text) if not resolves(m.group(1), names)]
            if unknown:
                known = ", ".join(sorted(names)) or "none"
                yield (
                    path,
                    f"${', $'.join(dict.fromkeys(unknown))} is not a template variable of this dashboard "
                    f"(defined: {known})",
                    "define the template variable, or fix the reference",
                )
