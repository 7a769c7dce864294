"""Attributes for formats whose values are typed scalars (GraphML, GEXF): one pure flattening
function and one type per attribute name.

`scalar_attributes` is the only place where lists are joined and None dropped; `infer_types`
picks one declared type per attribute over the whole graph (mixed int/float -> double, anything
mixed with text -> string), because a name declared twice with two types is refused by igraph.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kg.assembly.schema import PAPER
from kg.exporters import _attrs as A

JOIN = "; "
# Scalar types, narrowest first: the declared type is the widest one seen.
BOOLEAN, INT, LONG, DOUBLE, STRING = "boolean", "int", "long", "double", "string"
_INT32 = 2**31 - 1
# Characters XML 1.0 forbids; dropped from every text value.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def node_labels(kind: str) -> str:
    """Neo4j labels of a node, in APOC's readLabels form: ":Paper", ":Model:Entity"."""
    return ":Paper" if kind == PAPER else f":{kind}:Entity"


def display_label(attrs: Mapping[str, Any]) -> str:
    """What Gephi shows on a node: a paper's title, an entity's label, else its id."""
    for name in ("title", "label", "id"):
        value = A.text(attrs.get(name))
        if value is not None:
            return value
    return ""


def _item_text(item: Any) -> str | None:
    if isinstance(item, (list, tuple)):
        parts = [p for p in (A.text(v) for v in item) if p is not None]
        return ":".join(parts) or None
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, (str, int, float)):
        return A.text(item)
    return None


def scalar_attributes(attrs: Mapping[str, Any]) -> dict[str, bool | int | float | str]:
    """Flatten one node's or edge's attributes to typed scalars.

    None, NaN and empty values are dropped; `mentions` becomes `surface_forms` (distinct texts);
    `links` keeps the URLs; `external_ids` becomes "scheme:value" items; other lists are joined
    with "; " (pairs as "a:b"); dicts and other objects are dropped.
    """
    out: dict[str, bool | int | float | str] = {}
    for name, value in attrs.items():
        if value is None:
            continue
        if name == "mentions":
            forms = sorted({m.text for m in A.mentions(value) if m.text})
            if forms:
                out["surface_forms"] = JOIN.join(forms)
            continue
        if name == "links":
            value = [url for url, _ in A.links(value)]
        if isinstance(value, bool):
            out[name] = value
        elif isinstance(value, int):
            out[name] = value
        elif isinstance(value, float):
            if math.isfinite(value):
                out[name] = value
        elif isinstance(value, str):
            if value:
                out[name] = value
        elif isinstance(value, (list, tuple)):
            items = [t for t in (_item_text(v) for v in value) if t]
            if items:
                out[name] = JOIN.join(items)
    return out


def _value_type(value: Any) -> str:
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INT if -_INT32 - 1 <= value <= _INT32 else LONG
    if isinstance(value, float):
        return DOUBLE
    return STRING


def _widen(a: str | None, b: str) -> str:
    if a is None or a == b:
        return b
    numeric = (INT, LONG, DOUBLE)
    if a in numeric and b in numeric:
        return max(a, b, key=numeric.index)
    return STRING


def infer_types(rows: Iterable[Mapping[str, Any]], first: Iterable[str] = ()) -> dict[str, str]:
    """name -> declared type over all rows; `first` names lead, the rest follow sorted."""
    types: dict[str, str] = {}
    for row in rows:
        for name, value in row.items():
            types[name] = _widen(types.get(name), _value_type(value))
    first = [n for n in first if n in types]
    return {name: types[name] for name in first + sorted(set(types) - set(first))}


def format_value(value: Any, declared: str) -> str:
    """A scalar as text for its declared type (booleans lower-case, floats shortest round-trip)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if declared == DOUBLE:
        return repr(float(value))
    if declared in (INT, LONG):
        return str(int(value))
    return xml_text(str(value))


def present_values(row: Mapping[str, Any], types: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(name, text) of the row's values formatted for their declared type, in the declared order
    (not the row's: graphs loaded from graph.json order keys differently). A value whose text is
    empty (made only of characters XML cannot carry) is left out like a missing one."""
    for name, declared in types.items():
        if name in row:
            text = format_value(row[name], declared)
            if text:
                yield name, text


def xml_text(value: str) -> str:
    """Drop the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", value) if _NOT_XML.search(value) else value


_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                               "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def escape_attribute(value: str) -> str:
    return xml_text(value).translate(_ATTR_ESCAPES)


def escape_text(value: str) -> str:
    return xml_text(value).translate(_TEXT_ESCAPES)


# Names that Gephi and igraph reserve for themselves.
RESERVED = {"id": "kg_id"}


def renamed(row: Mapping[str, Any], taken: Mapping[str, Any] = {}) -> dict[str, Any]:  # noqa: B006
    """Rename reserved attribute names (id -> kg_id) and drop names already in `taken`."""
    out = {}
    for name, value in row.items():
        name = RESERVED.get(name, name)
        if name not in taken:
            out[name] = value
    return out
