"""The exceptions the compiled validators raise (``compiled_*.py``): fastjsonschema's own
``JsonSchemaValueException`` and ``JsonSchemaValuesException``, with the same constructor and
properties, defined here so that validating a file loads none of fastjsonschema's code
generators (importing any part of fastjsonschema imports them all); and the ``Decimal`` their
number checks name, without loading :mod:`decimal`."""

from __future__ import annotations

import re
import sys
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


class LazyPatterns(dict[str, re.Pattern[str]]):
    """A compiled validator's ``REGEX_PATTERNS``: each pattern compiled (by ``re.compile``, as
    fastjsonschema's module does at import) when first asked for, then kept: a lock of PyPI
    packages never asks for a conda build's, an md5's or a hash's."""

    def __init__(self, sources: dict[str, str]) -> None:
        super().__init__()
        self.sources = sources

    def __missing__(self, key: str) -> re.Pattern[str]:
        pattern = self[key] = re.compile(self.sources[key])
        return pattern


class _DecimalType(type):
    def __instancecheck__(cls, value: object) -> bool:
        module = sys.modules.get("decimal")
        return module is not None and isinstance(value, module.Decimal)


class Decimal(metaclass=_DecimalType):
    """``decimal.Decimal`` to the compiled validators' ``isinstance`` checks, without importing
    :mod:`decimal` (which costs a command that reads a lock more than its check): a value
    is a Decimal only once decimal is loaded, and then it is checked against decimal's own."""
