"""Checks whose removal no other test noticed (issue 30): verify's comparison of a conda
archive's sha256 and md5, and the HTML report's escaping of every text from a file."""

from __future__ import annotations

import pytest

from npinit.model import ChangeKind, EnvKind, Source
from npinit.record.snapshot import BlasFingerprint, Package, Snapshot
from npinit.record.verify import compare
from npinit.report import ClassReport, Participant, Problem, Unreadable
from npinit.report_causes import Target
from npinit.report_html import render

LIBBLAS = Package(
    "libblas",
    "3.9.0",
    Source.CONDA,
    build="34_h59b9bed_openblas",
    channel="conda-forge",
    subdir="linux-64",
    md5="a" * 32,
    sha256="b" * 64,
)


def _env(package: Package) -> Snapshot:
    return Snapshot(EnvKind.CONDA, "3.12.7", "cpython", "linux-64", (package,), BlasFingerprint())


@pytest.mark.parametrize("field", ["sha256", "md5"])
def test_verify_tells_a_conda_archive_with_another_hash(field: str) -> None:
    """Same name, version, build and channel, another archive: drift, naming the hash."""
    if field == "sha256":
        installed = LIBBLAS._replace(sha256="c" * 64)
    else:
        installed = LIBBLAS._replace(md5="d" * 32)
    (change,) = compare(_env(LIBBLAS), _env(installed)).changes
    assert change.kind == ChangeKind.CHANGED and change.name == "libblas"
    assert change.locked.startswith(field) and change.installed.startswith(field)
    assert change.locked != change.installed


def test_verify_without_a_hash_on_one_side_is_no_drift() -> None:
    """A record that carries no hash (an old conda) cannot be compared: no false drift."""
    installed = LIBBLAS._replace(sha256="", md5="")
    assert compare(_env(LIBBLAS), _env(installed)).clean
    assert compare(_env(LIBBLAS), _env(LIBBLAS)).clean


EVIL = "<img src=x onerror=alert(1)>"


def test_every_text_from_a_file_is_escaped_in_the_html_report() -> None:
    """Every text a participant's file gives (the label, the environment's platform, Python,
    NumPy and BLAS, the OS, when it was made, a problem's check, message and fix), an
    unreadable file's name and reason, a roster name and the project's target: each carries
    markup, none of it reaches the page as markup."""
    participant = Participant(
        label=f"label {EVIL}",
        files=["a.json"],
        platform=f"linux-64{EVIL}",
        python=f"python {EVIL}",
        numpy=f"numpy {EVIL}",
        blas=f"blas {EVIL}",
        os=f"os {EVIL}",
        made=f"made{EVIL}",  # shown cut to 16 characters
        problems=[Problem(f"check{EVIL}", f"message {EVIL}", f"fix {EVIL}")],
    )
    target = Target(f"target {EVIL}", "3.12", {"linux-64": ("openblas",)})
    report = ClassReport(
        (participant,),
        (Unreadable(f"f{EVIL}.json", f"reason {EVIL}"),),
        missing=(f"roster {EVIL}",),
        target=target,
    )
    page = render(report)
    assert "<img" not in page
    texts = ["label ", "message ", "fix ", "linux-64", "reason ", "f", "python ", "numpy "]
    texts += ["blas ", "os ", "roster ", "NumPy target "]
    for text in texts:
        assert f"{text}&lt;img src=x onerror=alert(1)&gt;" in page, text
    assert "made&lt;img src=x" in page
