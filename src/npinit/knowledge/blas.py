"""The BLAS matrix: channel x platform x variant -> spec lines, or why it cannot be done.

Facts from DOMAIN.md section 2 (conda-forge's libblas build-string switch, Anaconda
defaults' ``blas`` metapackage, the BLAS inside PyPI's numpy wheels). Everything that
writes a BLAS spec line asks :func:`choose_blas`; nothing else spells one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from npinit.errors import InvalidInput
from npinit.knowledge.blas_families import FAMILIES as FAMILIES
from npinit.knowledge.blas_families import family_of as family_of
from npinit.knowledge.blas_families import variant_from_build as variant_from_build
from npinit.model import Platform
from npinit.model_spec import Blas, BlasChoice, Channel

if TYPE_CHECKING:  # the release table is big: read it only where a release is chosen
    from npinit.knowledge.releases import NumpyRelease

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

SIZE_NOTE = {
    "mkl": "MKL is about 700 MB on disk (OpenBLAS about 30 MB) and is not open source: "
    "bundling it in an application you redistribute needs care.",
}


def default_variant(channel: Channel, platform: Platform, release: NumpyRelease) -> str:
    """The BLAS a channel or PyPI installs on ``platform`` when nothing selects one."""
    if channel is not Channel.PYPI:
        return conda_default(channel, platform)
    if platform.is_macos and release.accelerate_wheels:
        return "accelerate"
    return "openblas"


def conda_default(channel: Channel, platform: Platform) -> str:
    """The BLAS a conda channel installs on ``platform`` when nothing selects one."""
    if channel is Channel.CONDA_FORGE:
        return "mkl" if platform is Platform.WIN_64 else "openblas"
    return "mkl" if platform in DEFAULTS[Blas.MKL][0] else "openblas"


def request_as_solved(
    request: str, solved: Mapping[str, str], channel: str | None, per_platform: bool
) -> str:
    """The BLAS request to record once a solve has said what each platform gets (a file's
    ``nomkl`` keeps MKL off win-64, a package may need MKL): the one variant every
    platform got, else (a manager that can say a BLAS per platform) ``request`` with the
    solved variant for each platform it differs on; "" when ``request`` gives what was
    solved (a platform the solve names no BLAS for counts as given), nothing was solved,
    or the ``channel`` is not a conda one."""
    if not solved or channel not in ("conda-forge", "defaults"):
        return ""
    common, overrides = parse_request(request)
    known = {Platform(p): v for p, v in solved.items() if v in {b.value for b in Blas}}

    def gives(platform: Platform) -> str:
        wanted = overrides.get(platform, common)
        default = conda_default(Channel(channel), platform)
        return default if wanted is Blas.DEFAULT else wanted.value

    differ = {p: v for p, v in known.items() if gives(p) != v}
    if not differ:
        return ""
    if len(known) == len(solved) and len(set(known.values())) == 1:
        return next(iter(known.values()))
    if not per_platform:
        return ""
    every = {**{p: b.value for p, b in overrides.items()}, **differ}
    return ",".join(
        [
            common.value,
            *(f"{p.value}={v}" for p, v in sorted(every.items(), key=lambda i: i[0].value)),
        ]
    )


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
    channel: Channel,
    platforms: Iterable[Platform],
    blas: Blas,
    release: NumpyRelease,
    overrides: Mapping[Platform, Blas] | None = None,
    per_platform: bool = False,
) -> tuple[BlasChoice, ...]:
    """:func:`choose_blas` for every platform; one InvalidInput naming every refusal.

    ``overrides`` asks for another variant on some platforms. With ``per_platform`` (a
    manager that can say a BLAS per platform: pixi), a platform where the common request does
    not exist gets its default instead, with a note; an explicit override is never replaced.
    """
    overrides = overrides or {}
    choices: list[BlasChoice] = []
    refused: list[tuple[Platform, InvalidInput]] = []
    for platform in platforms:
        requested = overrides.get(platform, blas)
        try:
            choices.append(choose_blas(channel, platform, requested, release))
        except InvalidInput as error:
            if per_platform and platform not in overrides:
                fallback = choose_blas(channel, platform, Blas.DEFAULT, release)
                note = (
                    f"{requested.value} is not built for {platform.value}: "
                    f"it gets the default ({fallback.variant}) there"
                )
                choices.append(fallback._replace(notes=(note, *fallback.notes)))
            elif per_platform:  # an explicit PLATFORM=VARIANT that platform cannot have
                refused.append(
                    (
                        platform,
                        InvalidInput(
                            error.message,
                            f"drop {platform.value}={requested.value} from --blas, or give "
                            f"{platform.value} one it has, e.g. {platform.value}="
                            f"{choose_blas(channel, platform, Blas.DEFAULT, release).variant}",
                        ),
                    )
                )
            else:
                refused.append((platform, error))
    if not refused:
        return tuple(choices)
    several = len(choices) + len(refused) > 1
    pixi = (
        "; or --manager pixi, which selects the BLAS per platform"
        if several and channel is Channel.CONDA_FORGE and not per_platform
        else ""
    )
    if len(refused) == 1 or len({e.message for _, e in refused}) == 1:
        raise InvalidInput(refused[0][1].message, refused[0][1].hint + pixi)
    names = ", ".join(p.value for p, _ in refused)
    raise InvalidInput(
        f"{blas.value} is not available on {names} from {channel.value}",
        refused[0][1].hint + pixi,
    )


def parse_request(text: str) -> tuple[Blas, dict[Platform, Blas]]:
    """``mkl`` or ``mkl,osx-arm64=accelerate`` -> the common variant and per-platform ones."""
    common = Blas.DEFAULT
    overrides: dict[Platform, Blas] = {}
    for part in (p.strip() for p in (text or "default").split(",")):
        if not part:
            continue
        platform_name, sep, variant_name = part.rpartition("=")
        try:
            variant = Blas(variant_name.strip().lower())
        except ValueError:
            names = ", ".join(b.value for b in Blas)
            raise InvalidInput(f"unknown BLAS '{variant_name}'", f"choose one of {names}") from None
        if not sep:
            common = variant
            continue
        try:
            overrides[Platform(platform_name.strip())] = variant
        except ValueError:
            raise InvalidInput(
                f"unknown platform '{platform_name}' in --blas {text}",
                "write PLATFORM=VARIANT with a conda subdir, e.g. osx-arm64=accelerate",
            ) from None
    return common, overrides


def _notes(variant: str) -> tuple[str, ...]:
    return (SIZE_NOTE[variant],) if variant in SIZE_NOTE else ()


def _pixi_table(line: str) -> tuple[str, dict[str, str]]:
    """A conda spec line ``libblas=*=*mkl`` as pixi's ``libblas = { version, build }``."""
    name, version, build = ([*line.split("=", 2), "", ""])[:3]
    table = {"version": version or "*"}
    if build:
        table["build"] = build
    return name, table


def pixi_tables(
    choices: tuple[BlasChoice, ...],
) -> tuple[dict[str, dict[str, str]], dict[str, Any]]:
    """How pixi spells the BLAS choices of a set of platforms: the entries common to every
    platform for ``[dependencies]``, else one ``[target.<platform>.dependencies]`` each.
    (Here, below both the pixi manager and ``npinit set``, which both write them.)"""
    lines = {c.platform.value: c.spec_lines for c in choices}
    if len(set(lines.values())) == 1:
        common = next(iter(lines.values()), ())
        return dict(_pixi_table(line) for line in common), {}
    targets = {
        platform: {"dependencies": dict(_pixi_table(line) for line in platform_lines)}
        for platform, platform_lines in lines.items()
        if platform_lines
    }
    return {}, targets
