"""The JSON Schemas of the files npinit reads back (``npinit.lock``, ``.npinit.toml``), shipped
in the package, and the one way they are checked when read: a depth bound, then the schema
(``fastjsonschema``), each refusal one line naming the field's path. Generated files carry a
``#:schema`` line so editors (taplo, Even Better TOML) complete and check them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from npinit.errors import InvalidInput

# where the schemas are published (the same files as in the package, by their ``$id``)
BASE = "https://raw.githubusercontent.com/npinit/npinit/main/src/npinit/schemas/"
LOCK = "npinit.lock"
ANSWERS = "npinit.toml"
MAX_DEPTH = 24  # no file npinit writes nests deeper than 6; a hostile one may nest thousands


def pointer(name: str) -> str:
    """The ``#:schema`` line of a generated file of kind ``name``."""
    return f"#:schema {BASE}{name}.schema.json"


def load(name: str) -> dict[str, Any]:
    """The schema of ``name`` (``npinit.lock`` or ``npinit.toml``) as data."""
    import json
    from importlib.resources import files

    data: dict[str, Any] = json.loads(
        files("npinit.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    )
    return data


@functools.cache
def _validator(name: str) -> Callable[[Any], Any]:
    import fastjsonschema

    validator: Callable[[Any], Any] = fastjsonschema.compile(load(name))
    return validator


def validate(name: str, data: Any, origin: str, hint: str) -> None:
    """Check ``data`` (parsed from ``origin``) against the schema of ``name``: InvalidInput
    (exit 2) naming the first field that is wrong and why."""
    import fastjsonschema

    depth_bounded(data, origin, hint)
    try:
        _validator(name)(data)
    except fastjsonschema.JsonSchemaValueException as error:
        path = [str(p) for p in (error.path or [])[1:]]  # the first is "data"
        raise InvalidInput(f"{origin}: {field_path(path, data)} {_reason(error)}", hint) from None


def depth_bounded(data: Any, origin: str, hint: str) -> None:
    """InvalidInput when ``data`` nests deeper than :data:`MAX_DEPTH` (checked without
    recursion, so no depth can overflow the stack)."""
    todo: list[tuple[Any, int]] = [(data, 0)]
    while todo:
        value, depth = todo.pop()
        if depth > MAX_DEPTH:
            raise InvalidInput(f"{origin} nests deeper than {MAX_DEPTH} levels", hint)
        if isinstance(value, dict):
            todo += [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            todo += [(v, depth + 1) for v in value]


def field_path(path: list[str], data: Any) -> str:
    """``platforms.linux-64.packages[3] (numpy).sha256``: a field's path, list items by
    number and, for a package, its name."""
    out = ""
    node = data
    for part in path:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
            name = node.get("name") if isinstance(node, dict) else None
            out += f"[{int(part) + 1}]" + (f" ({_shown(name)})" if isinstance(name, str) else "")
            continue
        node = node.get(part) if isinstance(node, dict) else None
        out += ("." if out else "") + _shown(part)
    return out or "the top level"


def _shown(text: str) -> str:
    """A name as it is when plain, quoted and escaped otherwise."""
    return text if text.replace("-", "").replace("_", "").isalnum() else repr(text)


def _reason(error: Any) -> str:
    """Why a value was refused, in words (the value shown, cut short)."""
    value = repr(error.value)
    value = value if len(value) <= 80 else value[:77] + "..."
    rule = error.rule
    definition = error.rule_definition
    if rule == "pattern" and isinstance(definition, str) and "0-9a-f]{64}" in definition:
        return f"is {value}: a sha256 is 64 lower-case hex characters"
    if rule == "pattern" and isinstance(definition, str) and "0-9a-f]{32}" in definition:
        return f"is {value}: an md5 is 32 lower-case hex characters"
    if rule == "pattern":
        if isinstance(error.value, str) and any(ord(c) < 32 or ord(c) == 127 for c in error.value):
            return f"is {value}: it holds a newline or another control character"
        return f"is {value}, which is not a valid value here"
    if rule == "additionalProperties":
        return f"has an unknown field {_listed(error.message, ', ')}"
    if rule == "propertyNames":
        return f"has an invalid name: {_bad_name(error.value, definition)}"
    if rule == "required":
        return f"lacks {_listed(error.message, ' or ')}"
    if rule == "enum" or rule == "const":
        return f"is {value}, not one of {', '.join(map(str, definition))}"
    if rule == "type":
        return f"has the wrong type ({type(error.value).__name__}, not {definition})"
    return f"is {value}: {rule} {definition!r} not met"


def _bad_name(table: Any, definition: Any) -> str:
    """The first key of ``table`` its ``propertyNames`` pattern refuses, quoted."""
    import re

    pattern = definition.get("pattern", "") if isinstance(definition, dict) else ""
    bare = pattern.removeprefix("^").removesuffix("$")
    keys = [str(k) for k in table] if isinstance(table, dict) else []
    bad = [k for k in keys if not re.fullmatch(bare, k)] if bare else keys
    return repr(bad[0]) if bad else "?"


def _listed(message: str, last: str) -> str:
    """The names fastjsonschema's message lists (``{'a'}``, ``['a', 'b']``) as words:
    ``'a'``, ``a, b or c``."""
    import re

    found = re.search(r"[\[{]([^\[\]{}]*)[\]}][^\[\]{}]*$", message)
    names = [n.strip() for n in found.group(1).split(",")] if found else []
    if last == ", ":
        return ", ".join(names)
    bare = [n.strip("'\"") for n in names]
    return ", ".join(bare[:-1]) + last + bare[-1] if len(bare) > 1 else "".join(bare)
