"""Every field of npinit.lock is checked when read (the shipped JSON Schema, then PEP 440 and
one hash per file): a wrong one is InvalidInput naming the field's path, never a traceback and
never a string formatted into a line-based export."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from npinit import schemas
from npinit.errors import InvalidInput
from npinit.model import EnvKind, Source
from npinit.record import export, lockfile
from npinit.record.snapshot import BlasFingerprint, Package, Snapshot

SHA = "a" * 64
OTHER = "b" * 64


def lock_text() -> str:
    numpy = Package(
        "numpy",
        "2.4.6",
        Source.PYPI,
        url="https://files.example/numpy-2.4.6-cp314-cp314-manylinux_2_28_x86_64.whl",
        sha256=SHA,
        tags=("cp314-cp314-manylinux_2_28_x86_64",),
        hashes=(f"sha256:{SHA}", f"sha256:{OTHER}"),
    )
    libblas = Package(
        "libblas",
        "3.11.0",
        Source.CONDA,
        build="5_h5875eb1_mkl",
        build_number=5,
        channel="conda-forge",
        subdir="linux-64",
        url="https://conda.anaconda.org/conda-forge/linux-64/libblas-3.11.0-5_h5875eb1_mkl.conda",
        md5="c" * 32,
        sha256="d" * 64,
    )
    section = Snapshot(
        EnvKind.VENV,
        "3.14.2",
        "cpython",
        "linux-64",
        (libblas, numpy),
        BlasFingerprint("openblas", "numpy 2.4.6 wheel (PyPI)"),
    )
    inputs = {"manager": "pip", "python": "3.14", "numpy": "2.4.6", "blas": "default",
              "requirements": ["numpy==2.4.6"]}  # fmt: skip
    return lockfile.dumps_lock(lockfile.Lock({"linux-64": section}, inputs))


def _refused(text: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        lockfile.loads_lock(text, "npinit.lock")
    message = caught.value.message
    assert "\n" not in message
    return message


def test_the_lock_npinit_writes_is_read_back_and_names_its_schema() -> None:
    text = lock_text()
    assert text.splitlines()[0] == schemas.pointer(schemas.LOCK)
    lock = lockfile.loads_lock(text, "npinit.lock")
    assert lock.sections["linux-64"].packages[1].hashes == (f"sha256:{SHA}", f"sha256:{OTHER}")


def test_the_schema_names_every_package_field() -> None:
    package = schemas.load(schemas.LOCK)["definitions"]["package"]["properties"]
    assert set(package) == set(Package._fields)


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        (
            'name = "numpy"',
            'name = "numpy\\n--extra-index-url=http://evil"',
            "packages[2] ('numpy\\n",
        ),
        ('version = "2.4.6"', 'version = "2.4.6\\n-e ."', "packages[2] (numpy).version"),
        ('version = "2.4.6"', 'version = "2 4 6"', "packages[2] (numpy).version"),
        (
            'url = "https://files',
            'url = "https://x\\n--index-url=http://evil/ https://files',
            "(numpy).url",
        ),
        ('python = "3.14.2"', 'python = "3.14\\nrm -rf /"', "environment.python"),
        ('evidence = "numpy', 'evidence = "\\u001b]0;pwned\\u0007 numpy', "blas.evidence"),
        (f'sha256 = "{SHA}"', f'sha256 = "{SHA[:63]}"', "(numpy).sha256"),
        (f'sha256 = "{SHA}"', f'sha256 = "{SHA.upper()}"', "(numpy).sha256"),
        ('md5 = "cccc', 'md5 = "zzzz', "(libblas).md5"),
        (f'"sha256:{OTHER}"', f'"sha256:{OTHER}\\n"', "(numpy).hashes"),
        ('build = "5_h5875eb1_mkl"', 'build = "5_mkl\\n"', "(libblas).build"),
        ('channel = "conda-forge"', 'channel = "conda forge"', "(libblas).channel"),
        ('"numpy==2.4.6"', '"numpy==2.4.6\\n-r /etc/passwd"', "inputs.requirements"),
        ("[platforms.linux-64.", '[platforms."../../x".', "'../../x'"),
        ("[platforms.linux-64.", '[platforms."linux-64\\n".', "'linux-64\\n'"),
        ('kind = "venv"', 'kind = "docker"', "environment.kind"),
        ("build_number = 5", "build_number = -5", "(libblas).build_number"),
        ("build_number = 5", 'build_number = "5"', "(libblas).build_number"),
        ('source = "pypi"', 'source = "pypi"\nextra = "x"', "packages[2] (numpy)"),
    ],
)
def test_a_wrong_field_is_refused_by_its_path(old: str, new: str, path: str) -> None:
    text = lock_text()
    assert old in text
    every = old.startswith("[platforms.")  # a section renamed: all its tables
    message = _refused(text.replace(old, new, -1 if every else 1))
    assert path in message


def test_a_sha256_that_is_not_among_the_hashes_is_refused_naming_the_package() -> None:
    text = lock_text().replace(f'sha256 = "{SHA}"', f'sha256 = "{"e" * 64}"', 1)
    message = _refused(text)
    assert "packages[2] (numpy)" in message and "not among its hashes" in message


def test_a_pypi_version_must_be_pep_440() -> None:
    message = _refused(lock_text().replace('version = "2.4.6"', 'version = "2.4.6_x"', 1))
    assert "PEP 440" in message and "(numpy)" in message


@pytest.mark.parametrize("shape", ["array", "table"])
def test_a_deeply_nested_lock_is_one_line(shape: str) -> None:
    deep = "[" * 5000 + "]" * 5000 if shape == "array" else "{a = " * 5000 + "1" + "}" * 5000
    text = lock_text().replace('kind = "venv"', f'kind = "venv"\nx = {deep}', 1)
    message = _refused(text)
    assert "npinit.lock" in message


def test_a_deep_probe_table_is_refused_before_validation() -> None:
    nested: dict[str, object] = {}
    node = nested
    for _ in range(schemas.MAX_DEPTH + 5):
        node["a"] = {}
        node = node["a"]  # type: ignore[assignment]
    with pytest.raises(InvalidInput, match="nests deeper"):
        schemas.validate(schemas.LOCK, {"lock-version": 2, "x": nested}, "npinit.lock", "")


def test_the_exports_of_a_lock_that_was_read_hold_one_line_per_field() -> None:
    lock = lockfile.loads_lock(lock_text(), "npinit.lock")
    section = lock.sections["linux-64"]
    text = export.requirements(section)[0] + export.conda_explicit(section)[0]
    assert all(not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", line) for line in text.splitlines())


_CONTROL = st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=12)


@settings(max_examples=50, deadline=None)
@given(
    field=st.sampled_from(["name", "version", "url", "python", "evidence", "channel", "build"]),
    value=_CONTROL,
)
def test_any_field_value_is_read_or_refused_in_one_line(field: str, value: str) -> None:
    """Hostile values for any field: read back unchanged, or one InvalidInput line."""
    text = lock_text()
    pattern = {
        "name": 'name = "numpy"',
        "version": 'version = "2.4.6"',
        "url": 'url = "https://f',
        "python": 'python = "3.14.2"',
        "evidence": 'evidence = "numpy',
        "channel": 'channel = "conda-forge"',
        "build": 'build = "5_h5875eb1_mkl"',
    }[field]
    head = pattern.split(" = ")[0]
    tail = pattern.split('"', 1)[1]
    replacement = (
        f"{head} = {json.dumps(value + tail)}" if tail else f"{head} = {json.dumps(value)}"
    )
    tampered = text.replace(pattern, replacement, 1)
    try:
        lock = lockfile.loads_lock(tampered, "npinit.lock")
    except InvalidInput as error:
        assert "\n" not in error.message
        return
    section = lock.sections["linux-64"]
    for line in export.requirements(section)[0].splitlines():
        assert not re.search(r"[\x00-\x1f\x7f]", line)
