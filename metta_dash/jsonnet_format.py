"""A small Jsonnet syntax tree and its printer, in jsonnetfmt's style.

Two-space indents, single-quoted strings, `{ a: 1 }` and `[1, 2]` on one line when they fit, one item a line
with a trailing comma when not, a `+` chain one part a line with the `+` leading, and strings with line
breaks as text blocks (`|||`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from metta_dash import jsonnet_syntax as js

WIDTH = 110


class Node:
    """A Jsonnet expression."""


@dataclasses.dataclass
class Lit(Node):
    text: str  # already Jsonnet: a literal, a name, `queries.cpu`


@dataclasses.dataclass
class Text(Node):
    value: str  # a string: a text block when it spans lines


@dataclasses.dataclass
class Call(Node):
    callee: str
    args: list[Node]
    names: list[str | None] = dataclasses.field(default_factory=list)  # named arguments, parallel to args


@dataclasses.dataclass
class Chain(Node):
    parts: list[Node]  # joined with `+`


@dataclasses.dataclass
class Arr(Node):
    items: list[Node]


@dataclasses.dataclass
class Obj(Node):
    fields: list[tuple[str, Node]]


def value(data: Any) -> Node:
    """Plain JSON as Jsonnet."""
    if isinstance(data, dict):
        return Obj([(k, value(v)) for k, v in data.items()])
    if isinstance(data, list):
        return Arr([value(v) for v in data])
    if isinstance(data, str):
        return string(data)
    return Lit(js.scalar(data))


def string(text: str) -> Node:
    """A string; one spanning lines as a text block. A text block always ends with a line break (`|||-`, which
    drops it, is not in every engine), so text without one is the block with its last line break stripped."""
    if text_block_ok(text) and not text.endswith("\n"):
        return Call("std.rstripChars", [Text(text + "\n"), Lit(js.string("\n"))])
    return Text(text)


def text_block_ok(text: str) -> bool:
    """Whether a text block gives back exactly `text`: several lines, none starting the block with white space,
    no carriage returns or other control characters, and no `|||` inside."""
    if "\n" not in text.rstrip("\n") or "|||" in text or text.endswith("\n\n"):
        return False
    if text[:1] in (" ", "\t", "\n"):
        return False
    return not any(ord(c) < 0x20 and c != "\n" for c in text)


def render(node: Node, indent: int = 0, column: int | None = None) -> str:
    """`node` as text whose lines start at `indent`; its first line starts at `column` (default `indent`)."""
    column = indent if column is None else column
    if isinstance(node, Lit):
        return node.text
    flat = _flat(node)
    if flat is not None and column + len(flat) <= WIDTH:
        return flat
    pad, inner = " " * indent, " " * (indent + 2)
    if isinstance(node, Text):
        if not text_block_ok(node.value):
            return js.string(node.value)
        lines = [(inner + line) if line else "" for line in node.value[:-1].split("\n")]
        return "|||\n" + "\n".join(lines) + "\n" + pad + "|||"
    if isinstance(node, Chain):
        # After a label (`name=`, `key: `) jsonnetfmt lines the `+` up under the value's first character.
        first = render(node.parts[0], column, column)
        lead = "\n" + " " * column + "+ "
        return first + "".join(lead + render(part, column, column + 2) for part in node.parts[1:])
    if isinstance(node, Call):
        names = node.names or [None] * len(node.args)
        if len(node.args) == 1 and names[0] is None and isinstance(node.args[0], (Arr, Obj, Text, Call)):
            return node.callee + "(" + render(node.args[0], indent, column + len(node.callee) + 1) + ")"
        args = []
        for arg, name in zip(node.args, names, strict=True):
            label = f"{name}=" if name else ""
            args.append(label + render(arg, indent + 2, indent + 2 + len(label)))
        return node.callee + "(\n" + "".join(inner + a + ",\n" for a in args) + pad + ")"
    if isinstance(node, Arr):
        items = [render(item, indent + 2) for item in node.items]
        return "[\n" + "".join(inner + item + ",\n" for item in items) + pad + "]"
    if isinstance(node, Obj):
        fields = []
        for k, v in node.fields:
            label = js.key(k) + ": "
            fields.append(label + render(v, indent + 2, indent + 2 + len(label)))
        return "{\n" + "".join(inner + f + ",\n" for f in fields) + pad + "}"
    raise TypeError(f"not a Jsonnet node: {node!r}")


def _flat(node: Node) -> str | None:
    """The one-line form, or None when the node holds a text block or cannot fit a line (computed once a node:
    a parent asks again for each of its children)."""
    if "_flat" in node.__dict__:
        return node.__dict__["_flat"]
    text = _flat_uncached(node)
    if text is not None and len(text) > WIDTH:
        text = None
    node.__dict__["_flat"] = text
    return text


def _flat_uncached(node: Node) -> str | None:
    if isinstance(node, Lit):
        return node.text
    if isinstance(node, Text):
        return None if text_block_ok(node.value) else js.string(node.value)
    parts: list[str | None]
    if isinstance(node, Chain):
        parts = [_flat(p) for p in node.parts]
        return None if None in parts else " + ".join(parts)  # type: ignore[arg-type]
    if isinstance(node, Call):
        names = node.names or [None] * len(node.args)
        parts = [_flat(a) for a in node.args]
        if None in parts:
            return None
        args = [(f"{n}=" if n else "") + p for p, n in zip(parts, names, strict=True)]
        return node.callee + "(" + ", ".join(args) + ")"
    if isinstance(node, Arr):
        parts = [_flat(i) for i in node.items]
        return None if None in parts else "[" + ", ".join(parts) + "]"  # type: ignore[arg-type]
    if isinstance(node, Obj):
        if not node.fields:
            return "{}"
        parts = [_flat(v) for _, v in node.fields]
        if None in parts:
            return None
        return "{ " + ", ".join(f"{js.key(k)}: {p}" for (k, _), p in zip(node.fields, parts, strict=True)) + " }"
    return None
