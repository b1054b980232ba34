"""The spec's objects as builder models: what the Jsonnet core generator and the API reference both read.

From the generated schema's `$defs` (the OpenAPI spec converted and patched, see `generate.py`), each object
schema becomes a `Builder`: its name in Jsonnet, its required fields (the arguments of `new`), and every
field with the JSON types and enum values a setter accepts. Widget definitions are the builders of the
`Widget.definition` union, named after their `type`; every other object they (or the dashboard) use is an
object builder named after its component.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from metta_dash.schema.generate import WIDGET_DEFINITION, def_name, refs, widget_type_of

Schema = dict[str, Any]
ROOT_OBJECT = "Dashboard"
# Jsonnet reserved words cannot name a parameter.
_KEYWORDS = {
    "assert", "else", "error", "false", "for", "function", "if", "import", "importstr", "importbin", "in",
    "local", "null", "self", "super", "tailstrict", "then", "true",
}


@dataclasses.dataclass(frozen=True)
class Kind:
    """What a value may be: JSON types (std.type names), enum values, the object builder it refers to."""

    types: tuple[str, ...] = ()  # empty: anything
    enum: tuple[Any, ...] | None = None
    integer: bool = False
    ref: str | None = None  # component name of an object (or union of objects)
    items: Kind | None = None  # for arrays

    def describe(self) -> str:
        if self.enum is not None:
            return " \\| ".join(_literal(value) for value in self.enum)
        if self.items is not None:
            return f"array of {self.items.describe()}"
        if self.ref:
            return self.ref
        if self.integer:
            return "integer" + (" or null" if "null" in self.types else "")
        return " or ".join(self.types) if self.types else "any"


@dataclasses.dataclass(frozen=True)
class Field:
    key: str  # the JSON property
    name: str  # camelCase, for setters and arguments
    kind: Kind
    description: str
    required: bool
    deprecated: bool
    read_only: bool
    nested: str | None  # component name when the field is a plain object: it gets its own setter group

    @property
    def setter(self) -> str:
        return "with" + self.name[0].upper() + self.name[1:]

    @property
    def argument(self) -> str:
        return self.name + "_" if self.name in _KEYWORDS else self.name


@dataclasses.dataclass(frozen=True)
class Builder:
    component: str  # the spec's component name
    name: str  # camelCase builder name (widget type for widgets)
    file: str  # path under the generated folder
    description: str
    fields: tuple[Field, ...]
    constants: tuple[tuple[str, Any], ...]  # required single-value enums set by `new` (a widget's `type`)
    widget_type: str | None = None

    @property
    def arguments(self) -> tuple[Field, ...]:
        constant_keys = {key for key, _ in self.constants}
        return tuple(f for f in self.fields if f.required and f.key not in constant_keys)

    @property
    def setters(self) -> tuple[Field, ...]:
        constant_keys = {key for key, _ in self.constants}
        return tuple(f for f in self.fields if f.key not in constant_keys)


def camel(text: str) -> str:
    """camelCase of snake_case or of a component name: legend_layout -> legendLayout, SLOListWidget -> sloListWidget."""
    if "_" not in text and text[:1].isupper():
        lead = re.match(r"[A-Z]+(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]", text).group(0)
        return lead.lower() + text[len(lead):]
    words = [w for w in re.split(r"[_\W]+", text) if w]
    if not words:
        return "value"
    head, *rest = words
    return head[0].lower() + head[1:] + "".join(w[0].upper() + w[1:] for w in rest)


def snake(component: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", component)
    return spaced.lower()


def _literal(value: Any) -> str:
    return "null" if value is None else f"`{value}`" if isinstance(value, str) else str(value).lower()


class Model:
    """Every builder of the generated core, from the schema's `$defs`."""

    def __init__(self, defs: dict[str, Schema]):
        self.defs = defs
        self.widgets = self._widget_builders()
        widget_components = {b.component for b in self.widgets}
        self.objects = [
            self._builder(name, camel(name), f"{snake(name)}.libsonnet")
            for name in sorted(self._object_closure())
            if name not in widget_components
        ]

    def builder_of(self, component: str) -> Builder | None:
        for builder in (*self.widgets, *self.objects):
            if builder.component == component:
                return builder
        return None

    # -- widgets ---------------------------------------------------------------------------------------

    def widget_components(self) -> list[tuple[str, str]]:
        """(component, type) of every widget definition, in the spec's order."""
        found = []
        for case in self.defs[WIDGET_DEFINITION]["allOf"]:
            then = case["then"]
            refs = [then["$ref"]] if "$ref" in then else [branch["$ref"] for branch in then["anyOf"]]
            for ref in refs:
                name = def_name(ref)
                for leaf in self._leaves(name):
                    found.append((leaf, widget_type_of(self.defs[leaf], self.defs)))
        return found

    def _widget_builders(self) -> list[Builder]:
        pairs = self.widget_components()
        shared = {t for _, t in pairs if sum(1 for _, other in pairs if other == t) > 1}
        builders = []
        for component, widget_type in pairs:
            stem = widget_type
            if widget_type in shared:  # several definitions share a type: name them after their component
                stem = snake(component.replace("WidgetDefinition", ""))
            builders.append(
                dataclasses.replace(
                    self._builder(component, camel(stem), f"{snake(component)}.libsonnet"), widget_type=widget_type
                )
            )
        return sorted(builders, key=lambda b: b.name)

    def _leaves(self, name: str) -> list[str]:
        """The object components a (possibly union) component stands for."""
        schema = self.defs[name]
        refs = self._union_refs(schema)
        if not refs:
            return [name]
        return [leaf for ref in refs for leaf in self._leaves(ref)]

    def _union_refs(self, schema: Schema) -> list[str]:
        refs = []
        for key in ("oneOf", "anyOf"):
            refs += [def_name(b["$ref"]) for b in schema.get(key) or () if isinstance(b, dict) and "$ref" in b]
        for case in schema.get("allOf") or ():
            then = case.get("then") if isinstance(case, dict) else None
            if isinstance(then, dict):
                refs += [def_name(then["$ref"])] if "$ref" in then else [
                    def_name(b["$ref"]) for b in then.get("anyOf", ()) if "$ref" in b
                ]
        return list(dict.fromkeys(refs))

    # -- objects ---------------------------------------------------------------------------------------

    def _object_closure(self) -> set[str]:
        """Every object component reachable from the dashboard (widget definitions included)."""
        found: set[str] = set()
        pending = [ROOT_OBJECT]
        while pending:
            name = pending.pop()
            if name in found:
                continue
            found.add(name)
            pending += [def_name(ref) for ref in refs(self.defs[name])]
        return {name for name in found if "properties" in self.defs[name]}

    def _builder(self, component: str, name: str, file: str) -> Builder:
        schema = self.defs[component]
        required = set(schema.get("required", ()))
        fields, constants = [], []
        for key, prop in schema.get("properties", {}).items():
            kind = self.kind(prop)
            if key in required and kind.enum is not None and len(kind.enum) == 1:
                constants.append((key, kind.enum[0]))
            nested = None
            if kind.ref and "properties" in self.defs[kind.ref] and kind.types == ("object",):
                nested = kind.ref
            fields.append(Field(
                key=key,
                name=camel(key),
                kind=kind,
                description=_text(prop.get("description") or self._ref_description(prop)),
                required=key in required,
                deprecated=bool(prop.get("deprecated")),
                read_only=bool(prop.get("readOnly")),
                nested=nested,
            ))
        # `new` takes required fields in the spec's order of `required`, then the rest stay setters.
        order = {key: i for i, key in enumerate(schema.get("required", ()))}
        fields.sort(key=lambda f: (order.get(f.key, len(order)), f.key))
        return Builder(component, name, file, _text(schema.get("description", "")), tuple(fields), tuple(constants))

    def _ref_description(self, prop: Schema) -> str:
        if "$ref" in prop:
            return self.defs.get(def_name(prop["$ref"]), {}).get("description", "")
        return ""

    def kind(self, schema: Schema) -> Kind:
        """The types and values a property schema accepts."""
        if "$ref" in schema:
            name = def_name(schema["$ref"])
            target = self.defs[name]
            inner = self.kind(target)
            if "properties" in target or self._union_refs(target):
                return dataclasses.replace(inner, ref=name)
            return inner
        if "properties" in schema:
            return Kind(types=("object",))
        refs = self._union_refs(schema)
        branches = [b for key in ("anyOf", "oneOf") for b in schema.get(key) or () if isinstance(b, dict)]
        if refs:
            nulls = [Kind(types=("null",))] if any(b.get("type") == "null" for b in branches) else []
            return _union([self.kind({"$ref": "#/$defs/" + ref}) for ref in refs] + nulls)
        if branches:
            return _union([self.kind(b) for b in branches])
        if "const" in schema:
            return Kind(types=(_json_type(schema["const"]),), enum=(schema["const"],))
        declared = schema.get("type")
        types = tuple([declared] if isinstance(declared, str) else declared or ())
        if not types and "properties" in schema:
            types = ("object",)
        integer = "integer" in types and "number" not in types
        std_types = tuple(dict.fromkeys("number" if t == "integer" else t for t in types))
        enum = tuple(schema["enum"]) if "enum" in schema else None
        items = self.kind(schema["items"]) if "array" in types and isinstance(schema.get("items"), dict) else None
        return Kind(types=std_types, enum=enum, integer=integer, items=items)


def _union(kinds: list[Kind]) -> Kind:
    if any(not k.types for k in kinds):
        return Kind()
    types = tuple(dict.fromkeys(t for k in kinds for t in k.types))
    enums = [k.enum for k in kinds]
    enum = tuple(dict.fromkeys(v for e in enums for v in e)) if all(e is not None for e in enums) else None
    refs = {k.ref for k in kinds if k.ref}
    items = next((k.items for k in kinds if k.items), None)
    return Kind(types=types, enum=enum, integer=all(k.integer for k in kinds if "number" in k.types) and
                any(k.integer for k in kinds), ref=refs.pop() if len(refs) == 1 else None, items=items)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else "object"


def _text(description: str) -> str:
    return " ".join(str(description).split())
