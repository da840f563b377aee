"""Read an installed environment from disk: conda-meta records, dist-info directories, and
the BLAS fingerprint, without importing anything from the environment (that is ``--probe``)."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from npinit.errors import InvalidInput
from npinit.knowledge.blas_families import family_of, variant_from_build
from npinit.model import EnvKind, Platform, Source
from npinit.reading import parse_bounded, read_regular, read_text
from npinit.record.package import Package as Package
from npinit.record.package import canonical as canonical

_NO_PROBE: Mapping[str, Any] = MappingProxyType({})  # the default: shared, so read-only


class BlasFingerprint(NamedTuple):
    """The BLAS an environment runs on, and what showed it. Two fingerprints are equal when
    their variant and evidence are (the probe's raw data is not compared, nor hashed)."""

    variant: str = "unknown"
    evidence: str = ""
    probe: Mapping[str, Any] = _NO_PROBE

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BlasFingerprint):
            return NotImplemented
        return self[:2] == other[:2]

    def __ne__(self, other: object) -> bool:
        return not self == other if isinstance(other, BlasFingerprint) else NotImplemented

    def __hash__(self) -> int:
        return hash(self[:2])


class Snapshot(NamedTuple):
    """An environment as installed: interpreter, platform, packages, BLAS. Two snapshots are
    equal when all but ``prefix`` (where it was read from) are, and hash alike."""

    kind: EnvKind
    python: str
    implementation: str
    platform: str
    packages: tuple[Package, ...]
    blas: BlasFingerprint
    warnings: tuple[str, ...] = ()
    prefix: Path | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Snapshot):
            return NotImplemented
        return self[:7] == other[:7]

    def __ne__(self, other: object) -> bool:
        return not self == other if isinstance(other, Snapshot) else NotImplemented

    def __hash__(self) -> int:
        return hash(self[:7])

    def with_packages(self, packages: tuple[Package, ...]) -> "Snapshot":
        return self._replace(packages=tuple(sorted(packages, key=lambda p: (p.name, p.source))))


RECORD_BYTES = 64 * 1024 * 1024  # a conda record lists its files: large, never this large
FREE_THREADED = "cpython-freethreading"  # the implementation of a cp3Xt (PEP 703) CPython


def implementation_of_build(build: str) -> str:
    """A conda ``python`` build string's implementation: ``..._cp314t`` is free-threaded."""
    return FREE_THREADED if re.search(r"_cp3\d+t$", build) else "cpython"


# -- conda ---------------------------------------------------------------------------------


def channel_name(channel: str) -> str:
    """``https://conda.anaconda.org/conda-forge/`` -> ``conda-forge``; keep anything else."""
    text = channel.rstrip("/")
    for prefix in ("https://conda.anaconda.org/", "http://conda.anaconda.org/"):
        if text.startswith(prefix):
            return text[len(prefix) :].split("/")[0]
    if text.startswith("https://repo.anaconda.com/pkgs/"):
        return "defaults"
    if text.startswith("file:"):
        return text.rsplit("/", 1)[-1]  # a local channel: its name, not this machine's path
    return text


def read_conda_meta(prefix: Path) -> tuple[list[Package], set[str], list[str]]:
    """The conda records of a prefix, the files they own, and warnings for bad records."""
    packages: list[Package] = []
    owned: set[str] = set()
    warnings: list[str] = []
    meta = prefix / "conda-meta"
    import json  # here: a venv has no conda-meta, and its snapshot loads no json

    for path in sorted(meta.glob("*.json")):
        try:
            record = parse_bounded(json.loads, read_text(path, "", RECORD_BYTES), str(path))
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            name, version = record["name"], record["version"]
        except (OSError, ValueError, KeyError, InvalidInput) as error:
            reason = (
                f"missing field {error}"
                if isinstance(error, KeyError)
                else error.message.replace(str(path), "it")
                if isinstance(error, InvalidInput)
                else str(error)
            )
            raise InvalidInput(
                f"conda record {path} is corrupt ({reason[:80]})",
                "repair or remove the environment; conda-meta records must be JSON objects",
            ) from None
        wrong = _wrong_types(record)
        if wrong:
            warnings.append(
                f"conda record {path.name} left out: {wrong} has the wrong type "
                "(repair or remove the environment)"
            )
            continue
        owned.update(str(f) for f in record.get("files") or ())
        packages.append(
            Package(
                name=str(name),
                version=str(version),
                source=Source.CONDA,
                build=str(record.get("build", "")),
                build_number=_int_or_none(record.get("build_number")),
                channel=channel_name(str(record.get("channel", ""))),
                subdir=str(record.get("subdir", "")),
                url=str(record.get("url", "")),
                md5=str(record.get("md5", "") or ""),
                sha256=str(record.get("sha256", "") or ""),
            )
        )
    return packages, owned, warnings


_TEXT_FIELDS = ("name", "version", "build", "channel", "subdir", "url", "md5", "sha256")


def _wrong_types(record: dict[str, Any]) -> str:
    """The first field of a conda-meta record whose type is not what conda writes."""
    for key in _TEXT_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return key
    number = record.get("build_number")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
        return "build_number"
    files = record.get("files")
    if files is not None and (
        not isinstance(files, list) or not all(isinstance(f, str) for f in files)
    ):
        return "files"
    return ""


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# -- the BLAS, statically ------------------------------------------------------------------


def blas_from_conda(packages: list[Package]) -> BlasFingerprint | None:
    """The BLAS a conda environment's selector record names in its build string (libblas on
    conda-forge, blas on defaults); None when no record names one (nothing is guessed)."""
    by_name = {p.name: p for p in packages}
    for name in ("libblas", "blas"):
        record = by_name.get(name)
        if record is not None:
            variant = variant_from_build(record.build)
            if variant != "unknown":
                return BlasFingerprint(
                    variant, f"conda package {name} {record.version} build {record.build}"
                )
    return None


# the "blas" table's opening, then the first line that starts with "}": linear, where a lazy
# body before "\n\s*}" re-scanned every run of blank lines
_CONFIG_BLAS = re.compile(r'"blas":\s*\{')
_CONFIG_CLOSE = re.compile(r"^[^\S\n]*\}", re.M)
_CONFIG_FIELD = re.compile(r'"(?P<key>name|version)":\s*r?"(?P<value>[^"]*)"')


def blas_from_config(numpy_dir: Path) -> BlasFingerprint | None:
    """What ``numpy/__config__.py`` (written by numpy's build, read here without importing
    numpy) names as its BLAS, e.g. ``scipy-openblas 0.3.31`` or ``accelerate``."""
    try:
        config = numpy_dir / "__config__.py"
        text = read_regular(config, "", RECORD_BYTES).decode("utf-8", "replace")
    except (OSError, InvalidInput):  # absent, or not a regular file: no evidence there
        return None
    opening = _CONFIG_BLAS.search(text)
    closing = _CONFIG_CLOSE.search(text, opening.end()) if opening else None
    if opening is None or closing is None:
        return None
    body = text[opening.end() : closing.start()]
    fields = {m["key"]: m["value"] for m in _CONFIG_FIELD.finditer(body)}
    name = fields.get("name", "")
    variant = family_of(name)
    if variant == "unknown":
        return None
    version = f" {fields['version']}" if fields.get("version") else ""
    return BlasFingerprint(variant, f"numpy/__config__.py names {name}{version}")


def blas_from_wheel(site: Path, numpy: Package | None) -> BlasFingerprint | None:
    """The BLAS a numpy wheel carries: what its ``__config__.py`` names, else the library it
    bundles (``numpy.libs``, ``numpy/.dylibs``)."""
    if numpy is None:
        return None
    configured = blas_from_config(site / "numpy")
    if configured is not None:
        return configured
    for libs in (site / "numpy.libs", site / "numpy" / ".dylibs"):
        try:
            names = sorted(os.listdir(libs))
        except OSError:
            continue
        for name in names:
            variant = family_of(name)
            if variant != "unknown":
                return BlasFingerprint(variant, f"{libs.name}/{name} in the numpy wheel")
    if any(tag.endswith("win32") for tag in numpy.tags):
        return BlasFingerprint("none", f"numpy {numpy.version} win32 wheel has no BLAS")
    return None


# -- the whole environment -----------------------------------------------------------------


def read_sites(
    sites: list[Path], owned: set[str], root: Path | None
) -> tuple[list[Package], list[str]]:
    """The PyPI distributions in every site-packages directory (``owned``: conda's files,
    relative to ``root``)."""
    from npinit.record.distinfo import read_dist_info  # it builds on this module's Package

    packages: list[Package] = []
    warnings: list[str] = []
    for site in sites:
        rel = site.relative_to(root).as_posix() if root is not None else ""
        found, site_warnings = read_dist_info(site, owned, rel)
        packages.extend(found)
        warnings.extend(site_warnings)
    return packages, warnings


def wheel_blas(sites: list[Path], packages: list[Package]) -> BlasFingerprint | None:
    """The BLAS of a pip-installed numpy, from the site-packages directory that holds it."""
    numpy = next((p for p in packages if p.name == "numpy" and p.source == "pypi"), None)
    site = next((s for s in sites if (s / "numpy").is_dir()), None)
    if numpy is None or site is None:
        return None
    return blas_from_wheel(site, numpy)


def unknown_blas(packages: list[Package]) -> BlasFingerprint:
    has_numpy = any(p.name in ("numpy", "numpy-base") for p in packages)
    return BlasFingerprint(
        "unknown", "no BLAS evidence on disk" if has_numpy else "numpy is not installed"
    )


def _pyvenv_version(prefix: Path) -> tuple[str, str]:
    cfg = prefix / "pyvenv.cfg"
    values: dict[str, str] = {}
    for line in read_regular(cfg, "", RECORD_BYTES).decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip().lower()] = value.strip()
    version = values.get("version_info") or values.get("version") or ""
    implementation = values.get("implementation", "cpython").lower()
    return ".".join(version.split(".")[:3]), implementation


def read_prefix(prefix: Path, current_platform: Platform | None) -> Snapshot:
    """Snapshot a conda prefix (has ``conda-meta/``) or a venv (has ``pyvenv.cfg``)."""
    if not prefix.exists():
        raise InvalidInput(f"{prefix} does not exist", "give the path of a conda prefix or a venv")
    if not prefix.is_dir():
        raise InvalidInput(f"{prefix} is not a directory", "give a conda prefix or a venv")
    is_conda = (prefix / "conda-meta").is_dir()
    is_venv = (prefix / "pyvenv.cfg").is_file()
    if not (is_conda or is_venv):
        raise InvalidInput(
            f"{prefix} is not an environment (no conda-meta/ and no pyvenv.cfg)",
            "give a conda prefix, a venv, or an interpreter with --python",
        )
    warnings: list[str] = []
    packages: list[Package] = []
    owned: set[str] = set()
    if is_conda:
        packages, owned, warnings = read_conda_meta(prefix)
    from npinit.record.distinfo import site_packages_dirs

    sites = site_packages_dirs(prefix)
    found, site_warnings = read_sites(sites, owned, prefix)
    packages.extend(found)
    warnings.extend(site_warnings)
    numpy_pypi = next((p for p in packages if p.name == "numpy" and p.source == "pypi"), None)
    blas = None
    if is_conda:
        conda_records = [p for p in packages if p.source == "conda"]
        blas = blas_from_conda(conda_records)
        python_record = next((p for p in conda_records if p.name == "python"), None)
        python = python_record.version if python_record else ""
        implementation = implementation_of_build(python_record.build if python_record else "")
        subdirs = {p.subdir for p in conda_records if p.subdir and p.subdir != "noarch"}
        platform = sorted(subdirs)[0] if subdirs else _platform_value(current_platform)
        kind = EnvKind.CONDA
        if numpy_pypi is not None:
            warnings.append(
                "numpy was installed by pip into this conda environment: conda and pip "
                "mixed in one environment is the install guide's first cause of import failures"
            )
    else:
        python, implementation = _pyvenv_version(prefix)
        if implementation == "cpython" and _free_threaded_site(sites):
            implementation = FREE_THREADED
        platform = _platform_value(current_platform)
        kind = EnvKind.VENV
    blas = wheel_blas(sites, packages) or blas or unknown_blas(packages)
    snapshot = Snapshot(
        kind=kind,
        python=python,
        implementation=implementation,
        platform=platform,
        packages=(),
        blas=blas,
        warnings=tuple(warnings),
        prefix=prefix,
    )
    return snapshot.with_packages(tuple(packages))


def _platform_value(platform: Platform | None) -> str:
    return platform.value if platform is not None else "unknown"


def _free_threaded_site(sites: list[Path]) -> bool:
    """A free-threaded CPython keeps its packages in lib/python3.Xt/ (a part that neither
    begins nor ends so is not one: the pattern is compiled for the others only)."""
    return any(
        part.startswith("python3.") and part.endswith("t") and re.fullmatch(r"python3\.\d+t", part)
        for site in sites
        for part in site.parts
    )
