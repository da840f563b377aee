"""The exceptions the compiled validators raise (``compiled_*.py``): fastjsonschema's own
``JsonSchemaValueException`` and ``JsonSchemaValuesException``, with the same constructor and
properties, defined here so that validating a file loads none of fastjsonschema's code
generators (importing any part of fastjsonschema imports them all); and the ``Decimal`` their
number checks name, without loading :mod:`decimal`."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

_SPLIT = r"[\.\[\]]+"  # compiled when an error is first reported (re's cache)


class JsonSchemaValueException(ValueError):
    """A value the schema refuses: the ``message``, the ``value``, its ``name``
    (``data.platforms[0]``) and ``path``, the ``definition`` it fails, the ``rule``
    (``pattern``) and ``rule_definition``."""

    def __init__(
        self,
        message: str,
        value: Any = None,
        name: str | None = None,
        definition: Any = None,
        rule: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.value = value
        self.name = name
        self.definition = definition
        self.rule = rule

    @property
    def path(self) -> list[str]:
        return [item for item in re.split(_SPLIT, self.name or "") if item != ""]

    @property
    def rule_definition(self) -> Any:
        if not self.rule or not self.definition:
            return None
        return self.definition.get(self.rule)


class JsonSchemaValuesException(ValueError):
    """Every refusal at once (only with ``fast_fail`` off, which npinit never turns off)."""

    def __init__(self, errors: list[JsonSchemaValueException]) -> None:
        self.message = "; ".join(error.message for error in errors)
        super().__init__(self.message)
        self.errors = errors


class PlainFirst:
    """A pattern's stand-in whose ``search`` says yes, without compiling the pattern, to a
    value a plain check (str methods) finds plainly in the pattern's form; any other value
    goes to the pattern itself, compiled on first use. The compiled validators read only
    ``search``'s truth (tests/unit/test_schema_plain_checks: each plain check's yes is the
    pattern's)."""

    def __init__(self, source: str, plain: Callable[[str], bool]) -> None:
        self.source = source
        self.plain = plain
        self.pattern: re.Pattern[str] | None = None

    def search(self, value: str) -> object:
        if self.plain(value):
            return True
        return self.compiled().search(value)

    def compiled(self) -> re.Pattern[str]:
        if self.pattern is None:
            self.pattern = re.compile(self.source)
        return self.pattern


class LazyPatterns(dict[str, re.Pattern[str] | PlainFirst]):
    """A compiled validator's ``REGEX_PATTERNS``: each pattern compiled (by ``re.compile``, as
    fastjsonschema's module does at import) when first asked for, then kept: a lock of PyPI
    packages never asks for a conda build's, an md5's or a hash's."""

    def __init__(self, sources: dict[str, str]) -> None:
        super().__init__()
        self.sources = sources

    def __missing__(self, key: str) -> re.Pattern[str] | PlainFirst:
        source = self.sources[key]
        plain = PLAIN_CHECKS.get(source)
        pattern = self[key] = re.compile(source) if plain is None else PlainFirst(source, plain)
        return pattern


_LOWER = "abcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"
_ALNUM = _LOWER + _LOWER.upper() + _DIGITS
_HEX = _DIGITS + "abcdef"


def _only(chars: str, empty: bool) -> Callable[[str], bool]:
    """Every character of the value among ``chars`` (``[chars]*`` or, empty False, ``+``)."""
    return lambda value: (empty or value != "") and not value.strip(chars)


def _platform(value: str) -> bool:  # [a-z]+-[a-z0-9_]+ or unknown
    head, _, tail = value.partition("-")
    if value == "unknown":
        return True
    tail_plain = not tail.strip(_LOWER + _DIGITS + "_")
    return head != "" and tail != "" and not head.strip(_LOWER) and tail_plain


def _tags(value: str) -> bool:  # three parts of [A-Za-z0-9_.]+ joined by dashes
    parts = value.split("-")
    return len(parts) == 3 and all(part != "" and not part.strip(_ALNUM + "_.") for part in parts)


def _name(value: str) -> bool:  # [A-Za-z0-9_]([A-Za-z0-9._-]*[A-Za-z0-9])?
    return (
        value != ""
        and value[0] in _ALNUM + "_"
        and (len(value) == 1 or value[-1] in _ALNUM)
        and not value.strip(_ALNUM + "._-")
    )


def _python(value: str) -> bool:  # ([0-9]+(\.[0-9]+)*[a-z0-9.+]*)?
    return value == "" or (value[0] in _DIGITS and not value.strip(_LOWER + _DIGITS + ".+"))


# the usual values' checks, by pattern source (the compiled validators' keys end in \Z)
PLAIN_CHECKS: dict[str, Callable[[str], bool]] = {
    "^[A-Za-z0-9_]([A-Za-z0-9._-]*[A-Za-z0-9])?\\Z": _name,
    "^[A-Za-z0-9_.+!-]+\\Z": _only(_ALNUM + "_.+!-", False),
    "^[A-Za-z0-9_.+]*\\Z": _only(_ALNUM + "_.+", True),
    "^[a-z0-9_-]*\\Z": _only(_LOWER + _DIGITS + "_-", True),
    "^[a-z0-9_-]+\\Z": _only(_LOWER + _DIGITS + "_-", False),
    "^[A-Za-z0-9_.]+-[A-Za-z0-9_.]+-[A-Za-z0-9_.]+\\Z": _tags,
    "^[0-9a-f]{64}\\Z": lambda value: len(value) == 64 and not value.strip(_HEX),
    "^sha256:[0-9a-f]{64}\\Z": lambda value: (
        len(value) == 71 and value.startswith("sha256:") and not value[7:].strip(_HEX)
    ),
    "^[^\\u0000-\\u001f\\u007f]*\\Z": str.isprintable,
    "^([0-9]+(\\.[0-9]+)*[a-z0-9.+]*)?\\Z": _python,
    "^([a-z]+-[a-z0-9_]+|unknown)?\\Z": lambda value: value == "" or _platform(value),
    "^([a-z]+-[a-z0-9_]+|unknown)\\Z": _platform,
}


class _DecimalType(type):
    def __instancecheck__(cls, value: object) -> bool:
        module = sys.modules.get("decimal")
        return module is not None and isinstance(value, module.Decimal)


class Decimal(metaclass=_DecimalType):
    """``decimal.Decimal`` to the compiled validators' ``isinstance`` checks, without importing
    :mod:`decimal` (which costs a command that reads a lock more than its check): a value
    is a Decimal only once decimal is loaded, and then it is checked against decimal's own."""
