"""The BLAS matrix: channel x platform x variant -> spec lines, or why it cannot be done.

Facts from DOMAIN.md section 2 (conda-forge's libblas build-string switch, Anaconda
defaults' ``blas`` metapackage, the BLAS inside PyPI's numpy wheels). Everything that
writes a BLAS spec line asks :func:`choose_blas`; nothing else spells one.
"""

from __future__ import annotations

from collections.abc import Iterable

from npinit.errors import InvalidInput
from npinit.knowledge.releases import NumpyRelease
from npinit.model import Blas, BlasChoice, Channel, Platform

ALL = frozenset(Platform)
X86_64 = frozenset(p for p in Platform if p.is_x86_64)
MACOS = frozenset(p for p in Platform if p.is_macos)

# conda-forge: numpy links the generic libblas; the build-string suffix picks the variant.
CONDA_FORGE: dict[Blas, tuple[frozenset[Platform], tuple[str, ...]]] = {
    Blas.OPENBLAS: (ALL, ("libblas=*=*openblas",)),
    Blas.MKL: (
        frozenset({Platform.LINUX_64, Platform.WIN_64}),
        ("libblas=*=*mkl", "liblapack=*=*mkl"),
    ),
    Blas.BLIS: (X86_64, ("libblas=*=*blis",)),
    Blas.NETLIB: (ALL, ("libblas=*=*netlib",)),
    Blas.ACCELERATE: (MACOS, ("libblas=*=*_accelerate", "liblapack=*=*_accelerate")),
}

# Anaconda defaults: the legacy ``blas`` metapackage; numpy is MKL on x86-64 Linux/Windows.
DEFAULTS: dict[Blas, tuple[frozenset[Platform], tuple[str, ...]]] = {
    Blas.OPENBLAS: (ALL, ("blas=*=openblas",)),
    Blas.MKL: (frozenset({Platform.LINUX_64, Platform.WIN_64}), ("blas=*=mkl",)),
}

# Build-string suffixes of conda's libblas/blas records, longest first.
BUILD_SUFFIXES = (
    ("newaccelerate", "accelerate"),
    ("accelerate", "accelerate"),
    ("openblas", "openblas"),
    ("netlib", "netlib"),
    ("blis", "blis"),
    ("nvpl", "nvpl"),
    ("mkl", "mkl"),
)

SIZE_NOTE = {
    "mkl": "MKL is about 700 MB on disk (OpenBLAS about 30 MB) and is not open source: "
    "bundling it in an application you redistribute needs care.",
}


def default_variant(channel: Channel, platform: Platform, release: NumpyRelease) -> str:
    """The BLAS a channel or PyPI installs on ``platform`` when nothing selects one."""
    if channel is Channel.CONDA_FORGE:
        return "mkl" if platform is Platform.WIN_64 else "openblas"
    if channel is Channel.DEFAULTS:
        return "mkl" if platform in DEFAULTS[Blas.MKL][0] else "openblas"
    if platform.is_macos and release.accelerate_wheels:
        return "accelerate"
    return "openblas"


def variant_from_build(build: str) -> str:
    """The BLAS variant a conda ``libblas``/``blas`` build string selects, or ``unknown``."""
    for suffix, variant in BUILD_SUFFIXES:
        if build.endswith(suffix):
            return variant
    return "unknown"


def choose_blas(
    channel: Channel, platform: Platform, blas: Blas, release: NumpyRelease
) -> BlasChoice:
    """What ``platform`` gets for the requested ``blas``; raises InvalidInput if impossible."""
    if channel is Channel.PYPI:
        return _choose_pypi(platform, blas, release)
    table = CONDA_FORGE if channel is Channel.CONDA_FORGE else DEFAULTS
    default = default_variant(channel, platform, release)
    if blas is Blas.DEFAULT:
        return BlasChoice(platform, blas, default, (), _notes(default))
    if blas not in table:
        other = "conda-forge" if channel is Channel.DEFAULTS else "defaults"
        raise InvalidInput(
            f"{blas.label} is not available from the {channel.value} channel",
            f"use --channel {other} (it ships {blas.value}) or --blas default",
        )
    platforms, lines = table[blas]
    if platform not in platforms:
        where = ", ".join(sorted(p.value for p in platforms))
        raise InvalidInput(
            f"{blas.value} is not built for {platform.value} on {channel.value} "
            f"(it is for {where})",
            f"use --blas default to get {default} there, or a platform where {blas.value} exists",
        )
    return BlasChoice(platform, blas, blas.value, lines, _notes(blas.value))


def _choose_pypi(platform: Platform, blas: Blas, release: NumpyRelease) -> BlasChoice:
    default = default_variant(Channel.PYPI, platform, release)
    unpinnable = (
        "PyPI cannot pin the BLAS on macOS: the installer picks the Accelerate wheel "
        "on macOS 14 and newer and the OpenBLAS wheel on older macOS"
    )
    if blas in (Blas.MKL, Blas.BLIS, Blas.NETLIB):
        conda_platforms = CONDA_FORGE[blas][0]
        hint = (
            f"use conda-forge: npinit new NAME --manager conda --blas {blas.value}"
            if platform in conda_platforms
            else f"no conda-forge {blas.value} build exists for {platform.value} either; "
            "use --blas default"
        )
        raise InvalidInput(
            f"PyPI's numpy wheels carry OpenBLAS (Accelerate on macOS 14+), not {blas.label}",
            hint,
        )
    if blas is Blas.ACCELERATE:
        if not platform.is_macos:
            raise InvalidInput(
                f"Accelerate is Apple's BLAS and does not exist on {platform.value}",
                "use it only with --platform osx-arm64 or osx-64, or use --blas default",
            )
        if not release.accelerate_wheels:
            raise InvalidInput(
                f"NumPy {release.version} has no Accelerate wheels (they start with NumPy 2.0)",
                "choose --numpy 2.0 or newer, or --blas default",
            )
        return BlasChoice(platform, blas, "accelerate", (), (unpinnable,), also=("openblas",))
    if platform.is_macos and release.accelerate_wheels:
        return BlasChoice(platform, blas, default, (), (unpinnable,), also=("openblas",))
    return BlasChoice(platform, blas, "openblas", (), ())


def choose_for_platforms(
    channel: Channel, platforms: Iterable[Platform], blas: Blas, release: NumpyRelease
) -> tuple[BlasChoice, ...]:
    """:func:`choose_blas` for every platform; one InvalidInput naming every refusal."""
    choices: list[BlasChoice] = []
    refused: list[tuple[Platform, InvalidInput]] = []
    for platform in platforms:
        try:
            choices.append(choose_blas(channel, platform, blas, release))
        except InvalidInput as error:
            refused.append((platform, error))
    if not refused:
        return tuple(choices)
    if len(refused) == 1 or len({e.message for _, e in refused}) == 1:
        raise refused[0][1]
    names = ", ".join(p.value for p, _ in refused)
    raise InvalidInput(
        f"{blas.value} is not available on {names} from {channel.value}",
        refused[0][1].hint,
    )


def _notes(variant: str) -> tuple[str, ...]:
    return (SIZE_NOTE[variant],) if variant in SIZE_NOTE else ()
