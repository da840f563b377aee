"""The BLAS is read, not inferred: numpy's own __config__.py, conda's selector records,
the library a wheel bundles; and one detector of a BLAS family, which the generated project's
test keeps a copy of."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from npinit.knowledge.blas import FAMILIES, family_of
from npinit.model import Source
from npinit.record.snapshot import (
    Package,
    blas_from_conda,
    blas_from_wheel,
    unknown_blas,
)
from tests.conftest import FIXTURES, TEMPLATE

CONFIG = """CONFIG = _cleanup(
    {
        "Build Dependencies": {
            "blas": {
                "name": "%s",
                "found": bool("True".lower().replace("false", "")),
                "version": "%s",
            },
            "lapack": {"name": "dep1", "version": "1.0"},
        },
    }
)
"""
NUMPY = Package("numpy", "2.4.6", Source.PYPI, tags=("cp312-cp312-macosx_14_0_arm64",))


def _site(tmp_path: Path, name: str, version: str, lib: str | None = None) -> Path:
    site = tmp_path / "site"
    (site / "numpy").mkdir(parents=True)
    (site / "numpy/__config__.py").write_text(CONFIG % (name, version))
    if lib:
        (site / "numpy.libs").mkdir()
        (site / "numpy.libs" / lib).write_text("")
    return site


@pytest.mark.parametrize(
    ("name", "variant"),
    [("accelerate", "accelerate"), ("scipy-openblas", "openblas"), ("mkl-sdl", "mkl")],
)
def test_numpy_config_names_the_blas(tmp_path: Path, name: str, variant: str) -> None:
    found = blas_from_wheel(_site(tmp_path, name, "1.2.3"), NUMPY)
    assert found is not None
    assert (found.variant, found.evidence) == (variant, f"numpy/__config__.py names {name} 1.2.3")


def test_no_macos_tag_guess_and_the_bundled_library_as_fallback(tmp_path: Path) -> None:
    site = _site(tmp_path, "unknown-thing", "1", lib="libscipy_openblas64_-99.so")
    found = blas_from_wheel(site, NUMPY)  # the macosx_14_0 tag alone proves nothing
    assert found is not None and found.variant == "openblas"
    assert "numpy.libs/libscipy_openblas64_-99.so" in found.evidence
    shutil.rmtree(site / "numpy.libs")
    assert blas_from_wheel(site, NUMPY) is None


def test_conda_blas_comes_from_the_selector_record_only() -> None:
    mkl = Package("mkl", "2024.0", Source.CONDA, build="h0")
    numpy = Package("numpy", "1.26.4", Source.CONDA, build="py311h0")
    assert blas_from_conda([numpy, mkl]) is None  # an mkl package is not a selection
    blas = Package("blas", "1.0", Source.CONDA, build="mkl")
    found = blas_from_conda([numpy, mkl, blas])
    assert found is not None and found.variant == "mkl" and "blas 1.0 build mkl" in found.evidence


def test_numpy_base_is_numpy() -> None:
    base = Package("numpy-base", "1.26.4", Source.CONDA, build="py311h0")
    assert unknown_blas([base]).evidence == "no BLAS evidence on disk"
    assert unknown_blas([]).evidence == "numpy is not installed"


def test_every_real_build_string_and_library_name() -> None:
    records = sorted((FIXTURES / "blas-index-json").glob("libblas-*.index.json"))
    assert records
    for path in records:
        assert family_of(path.name) == path.name.split("_")[-1].split(".")[0]
    for text, family in [
        ("libscipy_openblas64_-ff651d7f.so", "openblas"),
        ("mkl_rt.2.dll", "mkl"),
        ("20_osxarm64_newaccelerate", "accelerate"),
        ("libblis.so.4", "blis"),
        ("libgfortran.so.5", "unknown"),
    ]:
        assert family_of(text) == family


def test_the_generated_tests_copy_agrees() -> None:
    source = next(TEMPLATE.glob("*/tests/test_environment.py")).read_text()
    copied = ast.literal_eval(re.search(r"^FAMILIES = (\(.*\))$", source, re.M)[1])  # type: ignore[index]
    assert copied == FAMILIES
    body = re.search(r"^def family\(text\):\n(?:    .*\n|\n)+", source, re.M)
    assert body is not None
    namespace: dict[str, object] = {"FAMILIES": copied}
    exec(body[0], namespace)
    family = namespace["family"]
    for text in ("20_linux64_openblas", "newaccelerate", "mkl_rt", "libgomp", "h_blis_0"):
        assert (family(text) or "unknown") == family_of(text)  # type: ignore[operator]
