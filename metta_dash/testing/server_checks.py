"""How the emulator decides that Datadog would answer 400 to a dashboard body.

Independent of metta-dash's own schema and rules on purpose: widget definitions go through
datadog-api-client's generated models (types, required fields, enums; one model per widget `type`),
plus the checks the real server makes beyond its published spec. Where the models lag behind the
server (an unknown query data source, a newer enum value) the body is accepted, as the server does.
Messages follow Datadog's: `Invalid widget definition at position N of type T. Error: ...`.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from datadog_api_client import Configuration
from datadog_api_client.exceptions import OpenApiException
from datadog_api_client.model_utils import (
    ModelComposed,
    ModelSimple,
    OpenApiModel,
    UnparsedObject,
    validate_and_convert_types,
)
from datadog_api_client.v1.model.dashboard import Dashboard
from datadog_api_client.v1.model.widget_definition import WidgetDefinition

# Widget types dashboards shipped by Datadog use but the 2.62.0 models do not describe.
TYPES_BEYOND_MODELS = {"custom", "flame_graph", "topology_map"}
# Enum values dashboards shipped by Datadog use but the 2.62.0 models do not list.
ENUM_VALUES_BEYOND_MODELS = {"purple_on_white"}
# Properties the server rejects although the spec leaves these definitions open.
REJECTED_PROPERTIES: dict[str, set[str]] = {
    "note": {"title"},
    "group": {"title_size"},
    "timeseries": {"custom_unit"},
    "toplist": {"custom_unit"},
}
REJECTED_EVERYWHERE = {"viz", "private_widget_share"}
SINGLE_REQUEST_TYPES = {"query_value"}
# A request made only of these asks for no data: the server matches it to no request schema.
REQUEST_FIELDS_WITHOUT_DATA = {"style", "display_type", "on_right_yaxis"}
TAG_KEYS = ("team", "ai")
MAX_TAGS = 5


class Rejected(Exception):
    """The body would get a 400; `message` is Datadog's wording."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_dashboard(body: Any, previous: dict[str, Any] | None = None) -> None:
    """Raise Rejected when Datadog would refuse `body` (a create, or an update of `previous`)."""
    if not isinstance(body, dict):
        raise Rejected("Invalid JSON: the body must be an object")
    for field in ("title", "layout_type", "widgets"):
        if field not in body:
            raise Rejected(f"'{field}' is a required property")
    _check_tags(body.get("tags"))
    top_level = {key: value for key, value in body.items() if key != "widgets"}
    try:
        _parse({**top_level, "widgets": []}, Dashboard, ["dashboard"])
    except Rejected as exc:
        raise Rejected(f"Invalid dashboard: {exc.message}") from None
    if not isinstance(body["widgets"], list):
        raise Rejected(f"{_show(body['widgets'])} is not of type 'array'")
    if previous is not None and previous.get("layout_type") != body["layout_type"]:
        raise Rejected(f"layout_type cannot be changed from '{previous.get('layout_type')}' to '{body['layout_type']}'")
    if body.get("is_read_only") is True:
        raise Rejected("is_read_only is deprecated: use restricted_roles")
    _check_template_variables(body.get("template_variables"))
    layout_type, reflow_type = body["layout_type"], body.get("reflow_type")
    for position, widget in enumerate(body["widgets"]):
        try:
            _check_widget(widget, layout_type=layout_type, reflow_type=reflow_type, in_group=False)
        except Rejected as exc:
            raise Rejected(
                f"Invalid widget definition at position {position} of type {_type_of(widget)}. Error: {exc.message}"
            ) from None


def _check_widget(widget: Any, *, layout_type: str, reflow_type: str | None, in_group: bool) -> None:
    if not isinstance(widget, dict):
        raise Rejected(f"{_show(widget)} is not of type 'object'")
    definition = widget.get("definition")
    if not isinstance(definition, dict):
        raise Rejected("'definition' is a required property")
    kind = definition.get("type")
    if in_group and kind == "group":
        raise Rejected("Widget type 'group' is not allowed in group widgets")
    if "layout" in widget:
        _check_layout(widget["layout"])
    elif layout_type == "free":
        raise Rejected("'layout' is a required property")
    if not in_group and layout_type == "ordered" and reflow_type == "fixed" and kind != "group":
        if not isinstance(widget.get("layout"), dict) or "x" not in widget["layout"]:
            raise Rejected("MSL widget out of grid. 'x' is a required property")
    if kind == "group" and layout_type == "free":
        raise Rejected("Group widgets are not allowed on free layout dashboards")
    _check_definition(definition)
    if kind == "group":
        inner_widgets = definition.get("widgets")
        if not isinstance(inner_widgets, list):
            raise Rejected("'widgets' is a required property")
        for position, inner in enumerate(inner_widgets):
            inner_kind = _type_of(inner)
            if inner_kind not in _models_by_type() and inner_kind not in TYPES_BEYOND_MODELS:
                raise Rejected(f"Widget type '{inner_kind}' is not allowed in group widgets")
            try:
                _check_widget(inner, layout_type="ordered", reflow_type=None, in_group=True)
            except Rejected as exc:
                raise Rejected(
                    f"Invalid inner widget definition at position {position} of type {inner_kind}. Error: {exc.message}"
                ) from None


def _check_definition(definition: dict[str, Any]) -> None:
    kind = definition.get("type")
    for prop in sorted((REJECTED_PROPERTIES.get(kind, set()) | REJECTED_EVERYWHERE) & definition.keys()):
        raise Rejected(f"Additional properties are not allowed ('{prop}' was unexpected)")
    if kind in SINGLE_REQUEST_TYPES and isinstance(definition.get("requests"), list):
        if len(definition["requests"]) > 1:
            raise Rejected(f"{_show(definition['requests'])} is too long")
    for request in definition.get("requests") if isinstance(definition.get("requests"), list) else ():
        if isinstance(request, dict) and set(request) <= REQUEST_FIELDS_WITHOUT_DATA:
            raise Rejected(f"{_show(definition['requests'])} is not valid under any of the given schemas")
        if isinstance(request, dict) and "queries" in request and "response_format" not in request:
            raise Rejected("'response_format' is a required property")
    if kind in TYPES_BEYOND_MODELS:
        return
    models = _models_by_type().get(kind)
    if models is None:
        raise Rejected(f"{_show(definition)} is not valid under any of the given schemas")
    checked = dict(definition)
    if kind == "group":
        checked["widgets"] = []  # inner widgets are checked one by one, with their own positions
    _parse(checked, models, ["definition"])


def _parse(data: Any, models: Any, path: list[str]) -> None:
    """Deserialise `data` into the client models; raise Rejected on what the models are sure about."""
    try:
        parsed = validate_and_convert_types(
            data, models if isinstance(models, tuple) else (models,), list(path), True, True, _configuration()
        )
    except OpenApiException as exc:
        raise Rejected(_model_message(str(exc))) from None
    except TypeError as exc:  # a model constructor missing a required argument
        raise Rejected(_model_message(str(exc))) from None
    for where, problem in _model_refusals(parsed, ()):
        raise Rejected(f"{problem} at {where}")


def _model_refusals(node: Any, path: tuple, expected: tuple = ()) -> list[tuple[str, str]]:
    """What the parsed models are sure is wrong: an enum value outside its set, or an object where a
    plain value (string, number) belongs. Objects that fit no model (a oneOf no branch matched, an item
    missing fields) are model lag, as in dashboards Datadog ships: not refused."""
    if isinstance(node, UnparsedObject):
        if expected and all(kind in _PLAIN_TYPES for kind in expected):
            names = " or ".join(sorted({_JSON_TYPES.get(kind.__name__, kind.__name__) for kind in expected}))
            return [(_render(path), f"{_show(node._data_store)} is not of type '{names}'")]
        return []
    if isinstance(node, ModelSimple):
        value = node._data_store.get("value")
        if node._unparsed and value not in ENUM_VALUES_BEYOND_MODELS:
            return [(_render(path), f"{_show(value)} is not one of {sorted(type(node).allowed_values)}")]
        return []
    found = []
    if isinstance(node, list):
        item_types = tuple(kind for option in expected if isinstance(option, list) for kind in option)
        for index, item in enumerate(node):
            found += _model_refusals(item, (*path, index), item_types)
    elif isinstance(node, ModelComposed):
        for instance in node._composed_instances:
            if not isinstance(instance, UnparsedObject):
                found += _model_refusals(instance, path)
    elif isinstance(node, OpenApiModel):
        declared = type(node).openapi_types
        for key, value in node._data_store.items():
            found += _model_refusals(value, (*path, key), declared.get(key, ()))
    return found


_PLAIN_TYPES = (str, int, float, bool)


def _check_tags(tags: Any) -> None:
    if tags is None:
        return
    if not isinstance(tags, list) or len(tags) > MAX_TAGS:
        raise Rejected(f"Invalid tags: at most {MAX_TAGS} tags are allowed")
    for tag in tags:
        if not isinstance(tag, str) or tag.split(":", 1)[0] not in TAG_KEYS or ":" not in tag:
            raise Rejected(f"Invalid tag format. Valid tag keys are: {', '.join(TAG_KEYS)}.")


def _check_template_variables(variables: Any) -> None:
    if not isinstance(variables, list):
        return
    for variable in variables:
        if not isinstance(variable, dict):
            continue
        if "default" in variable and "defaults" in variable:
            raise Rejected("'template_variables' is invalid: use either 'default' or 'defaults'")
        if variable.get("defaults") is not None and "" in variable["defaults"]:
            raise Rejected("'template_variables' is invalid: '' is not a valid default")


def _type_of(widget: Any) -> str:
    definition = widget.get("definition") if isinstance(widget, dict) else None
    return str(definition.get("type")) if isinstance(definition, dict) else "None"


def _check_layout(layout: Any) -> None:
    # Checked by hand: shipped dashboards carry float and even negative positions the server takes.
    if not isinstance(layout, dict):
        raise Rejected(f"{_show(layout)} is not of type 'object'")
    for field in ("x", "y", "width", "height"):
        if field not in layout:
            raise Rejected(f"'{field}' is a required property")
        if isinstance(layout[field], bool) or not isinstance(layout[field], int | float):
            raise Rejected(f"{_show(layout[field])} is not of type 'integer'")
    if "is_column_break" in layout and not isinstance(layout["is_column_break"], bool):
        raise Rejected(f"{_show(layout['is_column_break'])} is not of type 'boolean'")


_MISSING = re.compile(r"missing \d+ required (?:positional|keyword-only) arguments?: (.+)$")
_TYPE = re.compile(r"Invalid type for variable '([^']+)'\. Required value type is (\w+) and passed type was (\w+)")


def _model_message(text: str) -> str:
    missing = _MISSING.search(text)
    if missing:
        names = re.findall(r"'([^']+)'", missing.group(1))
        return "; ".join(f"'{name}' is a required property" for name in names)
    wrong_type = _TYPE.search(text)
    if wrong_type:
        name, wanted, given = wrong_type.groups()
        return f"'{name}' is not of type '{_JSON_TYPES.get(wanted, wanted)}' (got {given})"
    return text


_JSON_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "list": "array"}


def _render(path: tuple) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".") or "$"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


@functools.cache
def _configuration() -> Configuration:
    # The server takes more items than the spec's maxItems in places (list_stream with two requests);
    # where it does enforce a maximum (query_value requests, dashboard tags) it is checked above.
    return Configuration(disabled_client_side_validations="maxItems")


@functools.cache
def _models_by_type() -> dict[str, tuple[type, ...]]:
    """Widget `type` value -> the model classes that describe it (funnel has two)."""
    by_type: dict[str, list[type]] = {}
    for model in WidgetDefinition._composed_schemas["oneOf"]:
        type_field = model.openapi_types.get("type")
        if type_field is None:
            continue
        for value in type_field[0].allowed_values:
            by_type.setdefault(value, []).append(model)
    return {kind: tuple(models) for kind, models in by_type.items()}
