"""One module per rule (issue 30): each rule below is written once and the other modules
import it. Each test changes the one definition and watches every user of the rule follow,
so a second, private copy of the rule fails here."""

from __future__ import annotations

import pytest

from npinit.knowledge import platforms, releases
from npinit.model import Source
from npinit.record.package import Package
from npinit.record.resolve_pypi import wheel_blas

MACOS_14_WHEEL = "numpy-2.4.6-cp312-cp312-macosx_14_0_arm64.whl"


def test_the_macos_accelerate_rule_is_read_from_one_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    numpy = Package("numpy", "2.4.6", Source.PYPI, tags=("cp312-cp312-macosx_14_0_arm64",))
    page = {"files": [{"filename": MACOS_14_WHEEL}]}
    assert wheel_blas(numpy).variant == "accelerate"
    assert releases.parse_simple_index(page)[0].accelerate_wheels is True
    assert platforms.numpy_wheel_blas("macosx_15_0_arm64") == "accelerate"  # 14 and later
    assert platforms.numpy_wheel_blas("macosx_10_9_x86_64") == "openblas"
    monkeypatch.setattr(platforms, "ACCELERATE_FROM_MACOS", 15)
    assert wheel_blas(numpy).variant == "openblas"
    assert releases.parse_simple_index(page)[0].accelerate_wheels is False
