"""A local conda channel built from tiny synthetic packages (real .tar.bz2 archives with a
correct info/index.json and info/paths.json, indexed by py-rattler)."""

from __future__ import annotations

import asyncio
import io
import json
import tarfile
from pathlib import Path


def package(
    channel: Path,
    subdir: str,
    name: str,
    version: str,
    build: str,
    depends: tuple[str, ...] = (),
    files: dict[str, str] | None = None,
    track_features: str = "",
    constrains: tuple[str, ...] = (),
) -> Path:
    files = files or {}
    index = {
        "name": name,
        "version": version,
        "build": build,
        "build_number": 0,
        "depends": list(depends),
        "subdir": subdir,
        "timestamp": 1700000000000,
        "license": "BSD-3-Clause",
    }
    if track_features:
        index["track_features"] = track_features
    if constrains:
        index["constrains"] = list(constrains)
    if subdir == "noarch":
        index["noarch"] = "generic"
    paths = {
        "paths_version": 1,
        "paths": [
            {"_path": p, "path_type": "hardlink", "size_in_bytes": len(c.encode())}
            for p, c in files.items()
        ],
    }
    folder = channel / subdir
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / f"{name}-{version}-{build}.tar.bz2"
    with tarfile.open(archive, "w:bz2") as tar:

        def add(member: str, text: str) -> None:
            data = text.encode()
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

        add("info/index.json", json.dumps(index))
        add("info/paths.json", json.dumps(paths))
        add("info/files", "\n".join(files))
        for member, text in files.items():
            add(member, text)
    return archive


def build_channel(
    root: Path,
    subdir: str = "linux-64",
    pythons: tuple[str, ...] = ("3.12.9",),
    numpys: tuple[str, ...] = ("2.4.6",),
    name: str = "conda-forge",
) -> Path:
    """``root/<name>`` with python 3.12, numpy 2.4.6 and mkl/openblas BLAS variants (more
    Pythons and NumPys on request: a numpy build for each Python; the ``defaults`` name
    also gets the legacy ``blas`` metapackage for each variant)."""
    from rattler.index import index_fs

    channel = root / name
    for python in pythons:
        package(
            channel,
            subdir,
            "python",
            python,
            "h0_cpython",
            files={f"lib/python{_minor(python)}/LICENSE.txt": "synthetic\n"},
        )
    for number, variant, track in (("8", "openblas", ""), ("5", "mkl", "blas_mkl")):
        build = f"{number}_h0_{variant}"
        package(
            channel,
            subdir,
            "libblas",
            "3.11.0",
            build,
            track_features=track,
            files={"lib/libblas.so.3": variant},
        )
        package(
            channel,
            subdir,
            "liblapack",
            "3.11.0",
            build,
            depends=(f"libblas 3.11.0 {build}",),
            track_features=track,
        )
        if name == "defaults":
            package(channel, subdir, "blas", "1.0", variant, depends=(f"libblas 3.11.0 {build}",))
    for python in pythons:
        minor = _minor(python)
        upper = f"{minor.split('.')[0]}.{int(minor.split('.')[1]) + 1}"
        for numpy in numpys:
            package(
                channel,
                subdir,
                "numpy",
                numpy,
                f"py{minor.replace('.', '')}_0",
                depends=(f"python >={minor},<{upper}", "libblas >=3.11,<4", "liblapack >=3.11,<4"),
                files={
                    f"lib/python{minor}/site-packages/numpy/__init__.py": (
                        f"__version__ = '{numpy}'\n"
                    )
                },
            )
    for name_, version in (("pytest", "9.0.0"), ("threadpoolctl", "3.8.0")):
        package(channel, "noarch", name_, version, "pyh0_0")
    asyncio.run(index_fs(channel, force=True))
    return root


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])
