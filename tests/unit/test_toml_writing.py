"""What npinit writes as TOML reads back the same with tomllib, for every value a lock or an
answers file can hold; what TOML cannot hold is refused in one line."""

from __future__ import annotations

import math
import tomllib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from npinit.errors import InvalidInput
from npinit.model import EnvKind, Source
from npinit.record import lockfile
from npinit.record.snapshot import BlasFingerprint, Package, Snapshot
from npinit.tomlio import toml_key, toml_value

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
SCALARS = st.one_of(
    TEXT,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(TEXT.filter(bool), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(key=TEXT.filter(bool), value=VALUES)
def test_every_value_round_trips_through_tomllib(key: str, value: Any) -> None:
    text = f"{toml_key(key)} = {toml_value(value)}\n"
    assert tomllib.loads(text) == {key: value}


@pytest.mark.parametrize("value", [None, "lone \ud800 surrogate", ["ok", None], {"k": None}])
def test_what_toml_cannot_hold_is_refused(value: Any) -> None:
    with pytest.raises(InvalidInput, match="cannot be written to TOML"):
        toml_value(value)


def test_floats_stay_floats() -> None:
    assert tomllib.loads(f"x = {toml_value(1.5)}")["x"] == 1.5
    assert math.isinf(tomllib.loads(f"x = {toml_value(float('inf'))}")["x"])


ONE_LINE = st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=40)


def _package(**values: Any) -> Package:
    """Package with its defaults for the fields not drawn (hypothesis draws every field of a
    NamedTuple it builds directly, defaults or not)."""
    return Package(**values)


PACKAGES = st.builds(
    _package,
    name=st.from_regex(r"[a-z]([a-z0-9-]{0,11}[a-z0-9])?", fullmatch=True),
    version=st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,2}", fullmatch=True),
    source=st.sampled_from(list(Source)),
    build=st.sampled_from(["", "py312_0", "h5875eb1_mkl", "pyhd8ed1ab_0"]),
    channel=st.sampled_from(["", "conda-forge", "https://conda.anaconda.org/conda-forge"]),
    url=st.sampled_from(["", "https://files.example/a-1.0-py3-none-any.whl"]),
    sha256=st.sampled_from(["", "0" * 64, "0123456789abcdef" * 4]),
    installer=st.sampled_from(["", "pip", "uv", "Poetry 2.1"]),
    tags=st.lists(st.sampled_from(["py3-none-any", "cp312-cp312-win_amd64"]), max_size=2).map(
        tuple
    ),
)


@settings(max_examples=100, deadline=None)
@given(packages=st.lists(PACKAGES, max_size=6, unique_by=lambda p: (p.name, p.source)),
       python=st.sampled_from(["", "3.12", "3.14.2", "3.13.0rc1"]),
       evidence=ONE_LINE)  # fmt: skip
def test_a_lock_round_trips(packages: list[Package], python: str, evidence: str) -> None:
    snapshot = Snapshot(
        kind=EnvKind.VENV,
        python=python,
        implementation="cpython",
        platform="linux-64",
        packages=(),
        blas=BlasFingerprint("openblas", evidence),
    ).with_packages(tuple(packages))
    again = lockfile.loads(lockfile.dumps(snapshot), "lock")
    assert again.packages == snapshot.packages
    assert (again.python, again.blas.evidence) == (python, evidence)


@settings(max_examples=100, deadline=None)
@given(python=TEXT, evidence=TEXT, build=TEXT)
def test_a_lock_with_any_text_is_written_and_read_back_or_refused_in_one_line(
    python: str, evidence: str, build: str
) -> None:
    """The writer refuses what the reader would (a newline, a control character, a field
    outside its grammar): npinit never writes a lock it cannot read back."""
    package = Package("x", "1.0", Source.CONDA, build=build)
    snapshot = Snapshot(EnvKind.CONDA, python, "cpython", "linux-64", (package,),
                        BlasFingerprint("openblas", evidence))  # fmt: skip
    try:
        text = lockfile.dumps(snapshot)
    except InvalidInput as error:
        assert "\n" not in error.message
        return
    again = lockfile.loads(text, "lock")
    assert (again.python, again.blas.evidence, again.packages) == (python, evidence, (package,))
