"""What a platform looks like to each resolver, so a lock can be made for a platform npinit
is not running on (DOMAIN.md §5 "Locking for platforms you are not on").

- uv: the ``--python-platform`` target triple of each conda subdir.
- packaging: the PEP 508 marker environment of each subdir (to evaluate uv.lock and
  poetry.lock markers per platform).
- conda solvers: the virtual packages of each subdir. The defaults are conda-lock's
  (``conda_lock/virtual-packages.yaml``, which pixi keeps in step with) without ``__cuda``:
  a NumPy project must not get CUDA builds because the instructor's laptop has none.
  conda's own overrides change them: ``CONDA_OVERRIDE_GLIBC``, ``CONDA_OVERRIDE_OSX``,
  ``CONDA_OVERRIDE_CUDA`` (which adds ``__cuda``), ``CONDA_OVERRIDE_ARCHSPEC``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from npinit.model import Platform

_MACHINE = {
    Platform.LINUX_64: ("linux", "x86_64", "Linux", "posix"),
    Platform.LINUX_AARCH64: ("linux", "aarch64", "Linux", "posix"),
    Platform.OSX_64: ("darwin", "x86_64", "Darwin", "posix"),
    Platform.OSX_ARM64: ("darwin", "arm64", "Darwin", "posix"),
    Platform.WIN_64: ("win32", "AMD64", "Windows", "nt"),
}

# PEP 508 markers of the conda subdirs (what uv's resolver and wheel tags understand)
MARKERS = {
    platform: f"sys_platform == '{sys}' and platform_machine == '{machine}'"
    for platform, (sys, machine, _, _) in _MACHINE.items()
}


def marker_environment(platform: Platform, python: str) -> dict[str, str]:
    """The PEP 508 environment of CPython ``python`` (``3.12`` or ``3.12.7``) on ``platform``."""
    sys_platform, machine, system, os_name = _MACHINE[platform]
    python = python.removesuffix("t")  # PEP 508 has no marker for the free-threaded ABI
    minor = ".".join(python.split(".")[:2])
    full = python if python.count(".") >= 2 else f"{python}.0"
    return {
        "sys_platform": sys_platform,
        "platform_machine": machine,
        "platform_system": system,
        "os_name": os_name,
        "python_version": minor,
        "python_full_version": full,
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_version": "",
        "implementation_version": full,
        "extra": "",
    }


_UNIX = {"__unix": ("0", "0")}
VIRTUAL_PACKAGES: dict[Platform, dict[str, tuple[str, str]]] = {
    Platform.LINUX_64: {
        **_UNIX,
        "__linux": ("5.10", "0"),
        "__glibc": ("2.28", "0"),
        "__archspec": ("1", "x86_64"),
    },
    Platform.LINUX_AARCH64: {
        **_UNIX,
        "__linux": ("5.10", "0"),
        "__glibc": ("2.28", "0"),
        "__archspec": ("1", "aarch64"),
    },
    Platform.OSX_64: {**_UNIX, "__osx": ("11.0", "0"), "__archspec": ("1", "x86_64")},
    Platform.OSX_ARM64: {**_UNIX, "__osx": ("11.0", "0"), "__archspec": ("1", "arm64")},
    Platform.WIN_64: {"__win": ("0", "0"), "__archspec": ("1", "x86_64")},
}

_OVERRIDES = {"__glibc": "CONDA_OVERRIDE_GLIBC", "__osx": "CONDA_OVERRIDE_OSX"}


def virtual_packages(platform: Platform, environ: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """``{name: (version, build)}`` for solving ``platform``, with conda's overrides applied."""
    found = dict(VIRTUAL_PACKAGES[platform])
    for name, variable in _OVERRIDES.items():
        if name in found and environ.get(variable):
            found[name] = (environ[variable], "0")
    if environ.get("CONDA_OVERRIDE_ARCHSPEC"):
        found["__archspec"] = ("1", environ["CONDA_OVERRIDE_ARCHSPEC"])
    cuda = environ.get("CONDA_OVERRIDE_CUDA")
    if cuda and platform is not Platform.OSX_64 and not platform.is_macos:
        found["__cuda"] = (cuda, "0")
    return found


def wheel_fits(platform: Platform, tag_platform: str) -> bool:
    """Whether a wheel platform tag (``manylinux_2_28_x86_64``, ``win_amd64``, ``any``) can
    install on ``platform``."""
    if tag_platform == "any":
        return True
    _, machine, system, _ = _MACHINE[platform]
    if system == "Windows":
        return tag_platform == "win_amd64"
    if system == "Darwin":
        arch = "arm64" if machine == "arm64" else "x86_64"
        return tag_platform.startswith("macosx_") and (
            tag_platform.endswith(f"_{arch}") or tag_platform.endswith("_universal2")
        )
    return tag_platform.endswith(f"_{machine}") and (
        tag_platform.startswith(("manylinux", "linux_")) and "musllinux" not in tag_platform
    )


def musl_wheel_fits(platform: Platform, tag_platform: str) -> bool:
    """Whether a wheel is a musl Linux one (``musllinux_1_2_x86_64``) of ``platform``'s
    machine: not what a glibc Linux installs, but what ``uv sync`` or Poetry installs from
    their lock on a musl Linux of that platform (Alpine), so a lock of theirs keeps it."""
    _, machine, system, _ = _MACHINE[platform]
    return (
        system == "Linux"
        and tag_platform.startswith("musllinux_")
        and (tag_platform.endswith(f"_{machine}"))
    )


def tag_installs(tag: Any, platform: Platform, python: str, musl: bool = False) -> bool:
    """Whether a wheel tag (``packaging.tags.Tag``) installs on CPython ``python`` (``3.14t``:
    free-threaded: only ``cp314t`` and pure wheels; ``3.14``: never those) on ``platform``;
    ``musl``: a musl Linux's wheel counts too. The one place this rule is written."""
    free = python.endswith("t")
    minor = "".join(python.removesuffix("t").split(".")[:2])
    if tag.interpreter == f"cp{minor}":
        python_ok = (tag.abi == f"cp{minor}t") == free
    elif tag.interpreter in ("py3", f"py{minor}"):
        python_ok = tag.abi == "none"
    else:  # the stable ABI: not for free-threaded builds
        python_ok = (
            not free
            and tag.abi == "abi3"
            and tag.interpreter.startswith("cp3")
            and int(tag.interpreter[3:]) <= int(minor[1:])
        )
    fits = wheel_fits(platform, tag.platform)
    return python_ok and (fits or (musl and musl_wheel_fits(platform, tag.platform)))


ACCELERATE_FROM_MACOS = 14  # NumPy's wheels for macOS 14 and later link Accelerate


def numpy_wheel_blas(tag_platform: str) -> str:
    """The BLAS a NumPy wheel of this platform tag carries (DOMAIN.md §2): ``accelerate`` for
    macOS 14 and later (``macosx_14_0_arm64``), ``none`` for 32-bit Windows, else
    ``openblas`` (older macOS included). The one place this rule is written."""
    if tag_platform.startswith("macosx_"):
        major = tag_platform.split("_")[1]
        return (
            "accelerate" if major.isdigit() and int(major) >= ACCELERATE_FROM_MACOS else "openblas"
        )
    return "none" if tag_platform == "win32" else "openblas"
