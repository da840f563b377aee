"""The depth bound skips plain values yet refuses exactly what a walk of every value did."""

from __future__ import annotations

from typing import Any

import pytest

from npinit import schemas
from npinit.errors import InvalidInput


def _deeper_than_bound(data: Any) -> bool:
    """The bound as first written: every value, plain ones too, popped with its depth."""
    todo = [(data, 0)]
    while todo:
        value, depth = todo.pop()
        if depth > schemas.MAX_DEPTH:
            return True
        if isinstance(value, dict):
            todo += [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            todo += [(v, depth + 1) for v in value]
    return False


def _nested(levels: int, leaf: Any, kind: str) -> Any:
    value = leaf
    for level in range(levels):
        value = {"a": value} if (kind == "table" or (kind == "mixed" and level % 2)) else [value]
    return value


LEAVES = ["x", 1, None, {}, [], {"b": 2}, [3]]


@pytest.mark.parametrize("kind", ["table", "list", "mixed"])
@pytest.mark.parametrize("leaf", LEAVES, ids=repr)
def test_refused_exactly_when_a_value_is_deeper_than_the_bound(leaf: Any, kind: str) -> None:
    for levels in range(schemas.MAX_DEPTH - 2, schemas.MAX_DEPTH + 3):
        data = {"lock-version": 2, "x": _nested(levels, leaf, kind)}
        try:
            schemas.depth_bounded(data, "npinit.lock", "")
            refused = False
        except InvalidInput:
            refused = True
        assert refused == _deeper_than_bound(data), (levels, leaf, kind)
    schemas.depth_bounded("plain", "npinit.lock", "")  # a plain value is not walked
