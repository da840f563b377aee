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


PACKAGES = st.builds(
    Package,
    name=st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True),
    version=st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,2}", fullmatch=True),
    source=st.sampled_from(list(Source)),
    build=TEXT,
    channel=TEXT,
    url=TEXT,
    sha256=TEXT,
    installer=TEXT,
    tags=st.lists(TEXT, max_size=3).map(tuple),
)


@settings(max_examples=100, deadline=None)
@given(packages=st.lists(PACKAGES, max_size=6, unique_by=lambda p: (p.name, p.source)),
       python=TEXT, evidence=TEXT)  # fmt: skip
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
