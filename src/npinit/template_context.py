"""What a cookiecutter template's ``cookiecutter.json`` says, read and checked before any
Jinja runs, with npinit's answers applied to the variables it declares."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from npinit.errors import InvalidInput

MAX_DEPTH = 32  # nesting levels of cookiecutter.json
PRIVATE = ("_numpy_from",)  # the private variables npinit answers (init; never prompted)


def load_context(
    template: Path, answers: Mapping[str, str], cookiecutter: bool = True
) -> dict[str, Any]:
    """``cookiecutter.json`` read and checked, with npinit's answers applied to the variables
    it declares (no Jinja runs here): by cookiecutter's own code, or (``cookiecutter`` false,
    for npinit's template, which has plain and choice variables only) by
    :func:`apply_answers`, without importing cookiecutter."""
    path = template / "cookiecutter.json"
    try:
        data = json.loads(path.read_text("utf-8"), object_pairs_hook=OrderedDict)
    except FileNotFoundError:
        raise InvalidInput(
            f"the template has no cookiecutter.json ({template})", "give a cookiecutter template"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InvalidInput(
            f"the template's cookiecutter.json is not valid JSON ({first_line(error)})",
            "fix the template",
        ) from None
    except RecursionError:
        data = None  # too deep for the parser: refused just below
    if data is None or _depth(data) > MAX_DEPTH:
        raise InvalidInput(
            f"the template's cookiecutter.json is nested deeper than {MAX_DEPTH} levels",
            "fix the template",
        )
    data = _check(data)
    known = {k: v for k, v in answers.items() if k in data and (k[:1] != "_" or k in PRIVATE)}
    try:
        if cookiecutter:
            from cookiecutter.generate import apply_overwrites_to_context

            apply_overwrites_to_context(data, known)
        else:
            apply_answers(data, known)
    except (ValueError, TypeError) as error:
        raise InvalidInput(f"npinit's answers do not fit the template: {error}", "") from None
    return data


def _check(data: Any) -> dict[str, Any]:
    """Refuse a ``cookiecutter.json`` npinit cannot render: not an object, a
    ``_copy_without_render``, ``_new_lines`` or ``_extensions`` of the wrong kind, an empty
    choice list."""
    if not isinstance(data, dict):
        raise InvalidInput(
            "the template's cookiecutter.json is not a JSON object of variables",
            "fix the template: its top level must be {...}",
        )
    copy_only = data.get("_copy_without_render", [])
    if not isinstance(copy_only, list) or not all(isinstance(p, str) for p in copy_only):
        raise InvalidInput(
            "the template's _copy_without_render is not a list of glob patterns",
            "fix the template",
        )
    if data.get("_new_lines") not in (None, False, "", "\n", "\r\n", "\r"):
        raise InvalidInput(
            'the template\'s _new_lines is not "\\n", "\\r\\n" or "\\r"', "fix the template"
        )
    extensions = data.get("_extensions", [])
    if not isinstance(extensions, list) or not all(isinstance(e, str) for e in extensions):
        raise InvalidInput("the template's _extensions is not a list of names", "fix the template")
    for key, value in data.items():
        if isinstance(value, list) and not key.startswith("_") and not value:
            raise InvalidInput(
                f"the template's choice variable {key!r} has no choices", "fix the template"
            )
    return data


def apply_answers(data: dict[str, Any], known: Mapping[str, str]) -> None:
    """cookiecutter's ``apply_overwrites_to_context`` for plain and choice variables: a
    choice's answer moves first (ValueError if it is none of the choices), a plain
    variable's answer replaces its default."""
    for key, value in known.items():
        default = data[key]
        if isinstance(default, list):
            if value not in default:
                raise ValueError(f"{value!r} is not one of the choices of {key!r}")
            default.remove(value)
            default.insert(0, value)
        else:
            data[key] = value


def _depth(data: Any) -> int:
    """How deeply lists and objects nest in ``data`` (without recursion)."""
    deepest, todo = 0, [(data, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                children = item.values() if isinstance(item, dict) else item
                todo.extend((child, level + 1) for child in children)
    return deepest


def first_line(error: BaseException) -> str:
    """An error's first line, at most 200 characters (its type's name when it says none)."""
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else type(error).__name__
