"""The schemas' validators are compiled ahead of time (``tools/compile_schemas.py``) into
modules of the package; these tests keep them from going stale."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest
from fastjsonschema.version import VERSION

from npinit import schemas

HERE = Path(schemas.__file__).resolve().parent
FIX = "run python tools/compile_schemas.py and commit what it writes"


def _shipped(name: str) -> str:
    return (HERE / f"{schemas.COMPILED[name]}.py").read_text("utf-8")


@pytest.mark.parametrize("name", sorted(schemas.COMPILED))
def test_each_compiled_validator_was_made_from_the_schema_shipped(name: str) -> None:
    """The schema's hash in the module's header is the shipped schema's: a schema changed
    without compiling again fails here, whatever fastjsonschema is installed."""
    found = re.search(r"\(sha256 ([0-9a-f]{64})\)", _shipped(name))
    assert found, f"{schemas.COMPILED[name]}.py has no schema hash: {FIX}"
    assert found.group(1) == schemas.sha256(schemas.files_text(name)), FIX


@pytest.mark.parametrize("name", sorted(schemas.COMPILED))
def test_each_compiled_validator_equals_a_fresh_compile(name: str) -> None:
    made_with = re.search(r"with fastjsonschema (\S+);", _shipped(name))
    assert made_with, FIX
    if made_with.group(1) != VERSION:  # CI's lowest-versions job: another code generator
        pytest.skip(f"compiled with fastjsonschema {made_with.group(1)}, {VERSION} installed")
    assert _shipped(name) == schemas.compiled_source(name), FIX


def _spoiled(where: str) -> Any:
    """The lock npinit writes (as data), with one value inside a list or a named table made
    wrong: each names its field by an item's number or a key (the compiled validator makes
    those names with f-strings, fastjsonschema's own compile with ``str.format``)."""
    import tomllib

    from tests.unit.test_lock_validation import lock_text

    data = tomllib.loads(lock_text())
    packages = data["platforms"]["linux-64"]["packages"]
    if where == "sha256":
        packages[1]["sha256"] = "A" * 64
    elif where == "depends":
        packages[0]["depends"] = ["python >=3.10", "libgcc\n>=14"]
    elif where == "tags":
        packages[1]["tags"] = ["cp314-cp314-manylinux_2_28_x86_64", "cp314"]
    elif where == "hashes":
        packages[1]["hashes"] = [packages[1]["hashes"][0], "md5:00"]
    elif where == "files":
        packages[1]["files"] = [{"url": "https://x/a.whl", "sha256": "0" * 64, "blas": "Open"}]
    elif where == "inputs list":
        data["inputs"]["extra"] = ["one", "two\x07"]
    elif where == "inputs text":
        data["inputs"]["extra"] = "tab\there"
    elif where == "platform":
        data["platforms"]["linux-64"]["environment"]["platform"] = "Linux"
    return data


@pytest.mark.parametrize(
    "where",
    ["sha256", "depends", "tags", "hashes", "files", "inputs list", "inputs text", "platform"],
)
def test_the_compiled_validator_decides_as_fastjsonschema_does(where: str) -> None:
    """The shipped lock validator and fastjsonschema's own compile of the schema accept the
    lock npinit writes, and refuse it with a value made wrong by the same rule at the same
    field, in the same words (the class npinit catches)."""
    import tomllib

    from npinit.schemas.errors import JsonSchemaValueException
    from tests.unit.test_lock_validation import lock_text

    good = tomllib.loads(lock_text())
    bad = _spoiled(where)
    runtime = fastjsonschema.compile(schemas.load(schemas.LOCK))
    compiled = schemas._validator(schemas.LOCK)
    refusals = []
    for validator, kind in ((runtime, fastjsonschema.JsonSchemaValueException),
                            (compiled, JsonSchemaValueException)):  # fmt: skip
        validator(good)
        with pytest.raises(kind) as refused:
            validator(bad)
        error: Any = refused.value
        refusals.append((error.rule, error.path, error.message, error.name))
    assert refusals[0] == refusals[1]
    assert refusals[0][0] == ("anyOf" if where.startswith("inputs") else "pattern")


def _verdict(validator: Any, data: Any) -> tuple[str, str] | None:
    try:
        validator(data)
    except ValueError as error:  # both exception classes are ValueErrors
        found: Any = error
        return (found.rule, found.message)
    return None


@pytest.mark.parametrize("value", [2, 0, 2.5, "2"], ids=repr)
def test_a_decimal_number_is_judged_as_fastjsonschema_judges_it(value: Any) -> None:
    """The compiled validators name ``Decimal`` without importing decimal
    (npinit.schemas.errors.Decimal): a Decimal lock-version or threads is still a number to
    them, exactly as to fastjsonschema's own compile (decimal loaded by this test): an
    unknown .npinit.toml key may hold any number, so a Decimal passes there."""
    import decimal
    import sys

    assert "decimal" in sys.modules
    number = decimal.Decimal(str(value)) if not isinstance(value, str) else value
    for name, data in (
        (schemas.LOCK, {"lock-version": number, "created-by": "npinit 0.1.0"}),
        (schemas.ANSWERS, {"project": {"name": "a", "threads": number}}),
        (schemas.ANSWERS, {"project": {"name": "a", "extra": number}}),  # a plain value
    ):
        runtime = fastjsonschema.compile(schemas.load(name))
        assert _verdict(runtime, data) == _verdict(schemas._validator(name), data), name


def test_validating_loads_no_decimal() -> None:
    import os
    import subprocess
    import sys

    from tests.helpers import npinit_environ

    code = (
        "import sys\nfrom npinit import schemas\n"
        "schemas.validate(schemas.LOCK, {'lock-version': 2, 'created-by': 'x'}, 'o', '')\n"
        "schemas.validate(schemas.ANSWERS, {'project': {'name': 'a'}}, 'o', '')\n"
        "print('decimal' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=npinit_environ(dict(os.environ)),
    )
    assert done.stdout.strip() == "False", done.stderr


# the package rule as the schema said it before its shortcut (a package with a version passes
# the schema's "if" at once; the old rule is its "else")
_OLD_VERSION_RULE = {
    "if": {"not": {"properties": {"origin": {"const": "editable"}}, "required": ["origin"]}},
    "then": {"required": ["version"]},
}


def _packages() -> list[Any]:
    """Every way a package row may hold a version and an origin, right and wrong."""
    rows: list[Any] = []
    for version in (None, "1.0", "", 2, "1 0"):
        for origin in (None, "", "editable", "local", "other", 3):
            row: dict[str, Any] = {"name": "tinypkg", "source": "pypi"}
            if version is not None:
                row["version"] = version
            if origin is not None:
                row["origin"] = origin
            rows.append(row)
    return [*rows, {"name": "tinypkg"}, {"source": "conda"}, {"name": "a", "source": "x"}, []]


def test_the_package_rule_refuses_exactly_what_it_refused_before_its_shortcut() -> None:
    """The shipped schema's package rule (a version, else an editable origin) and the rule as
    it was (if not editable then a version) give every package row the same verdict, in
    the same words at the same field: fastjsonschema's compile of each, and the shipped
    compiled validator."""
    shipped = schemas.load(schemas.LOCK)
    package = shipped["definitions"]["package"]
    assert package["else"] == _OLD_VERSION_RULE
    old = {**shipped, "definitions": {**shipped["definitions"], "package": {
        **{k: v for k, v in package.items() if k not in ("if", "else")}, **_OLD_VERSION_RULE,
    }}}  # fmt: skip
    validators = (
        fastjsonschema.compile(old),
        fastjsonschema.compile(shipped),
        schemas._validator(schemas.LOCK),
    )
    refused = 0
    for row in _packages():
        lock = {"lock-version": 2, "platforms": {"linux-64": {"packages": [row]}}}
        verdicts = [_verdict(v, lock) for v in validators]
        assert verdicts[0] == verdicts[1] == verdicts[2], row
        refused += verdicts[0] is not None
    assert 0 < refused < len(_packages())


def test_a_pattern_is_compiled_when_first_asked_for() -> None:
    """A lock of PyPI packages (names, versions, wheel tags) of the usual form compiles no
    pattern (in a fresh interpreter): each value is plainly in its pattern's form
    (schemas/errors.PLAIN_CHECKS); each pattern, once compiled, is what fastjsonschema's own
    module compiles at import."""
    import os
    import subprocess
    import sys

    from tests.helpers import npinit_environ

    row = {"name": "a", "version": "1.0", "source": "pypi", "tags": ["py3-none-any"]}
    lock = {"lock-version": 2, "created-by": "x", "platforms": {"linux-64": {"packages": [row]}}}
    code = (
        "from npinit import schemas\nfrom npinit.schemas import compiled_lock\n"
        f"schemas.validate(schemas.LOCK, {lock!r}, 'o', '')\n"
        "p = compiled_lock.REGEX_PATTERNS\n"
        "print(sorted(p))\n"
        "print(sorted(k for k, v in p.items() if getattr(v, 'pattern', 1) is not None))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True,
        env=npinit_environ(dict(os.environ)), check=True,
    )  # fmt: skip
    asked, compiled = (eval(line) for line in done.stdout.splitlines())
    assert "^[A-Za-z0-9_.+!-]+$" in asked and compiled == []  # the version's asked, none compiled
    assert not {"^[0-9a-f]{32}$", "^[0-9a-f]{64}$", "^[A-Za-z0-9_.+]*$"} & set(asked)
    from npinit.schemas import compiled_lock
    from npinit.schemas.errors import PlainFirst

    eager = fastjsonschema.compile_to_code(schemas.load(schemas.LOCK))
    for key, source in compiled_lock.REGEX_PATTERNS.sources.items():
        assert f"{key!r}: re.compile({source!r})" in eager
        pattern = compiled_lock.REGEX_PATTERNS[key]
        if isinstance(pattern, PlainFirst):
            pattern = pattern.compiled()
        assert pattern == re.compile(source)
    assert len(compiled_lock.REGEX_PATTERNS) == eager.count("re.compile(")
