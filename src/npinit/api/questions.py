"""What ``npinit new``'s questions may offer, given the answers before them: the same facts
and checks as the options, so that an interactive answer is refused (and asked again) for
exactly the reason the option would be."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from npinit.model import Manager, Platform
from npinit.model_spec import Blas, Channel


@dataclass(frozen=True)
class Offer:
    """The values a question offers, its default, and why that default."""

    values: tuple[str, ...]
    default: str
    why: str = ""


def _channel(manager: str, channel: str | None) -> Channel:
    if Manager(manager).uses_pypi:
        return Channel.PYPI
    return Channel(channel or "conda-forge")


def python_offer(this_python: str | None = None) -> Offer:
    """The Pythons some NumPy release supports; default: the one ``--no-input`` takes (the
    same whether asked or not), with its reason. ``this_python`` is kept for callers that
    name the running interpreter; it no longer decides the default."""
    from npinit.knowledge import releases

    pythons = releases.known_pythons()
    newest = releases.all_releases()[-1]
    default = releases.default_python(newest)
    return Offer(
        pythons,
        default,
        f"npinit's default: NumPy {newest.version} supports it and every manager has it",
    )


def free_threaded_pythons() -> tuple[str, ...]:
    """``3.13t``, ``3.14t``...: the free-threaded Pythons some NumPy release has wheels for."""
    from npinit.knowledge import releases

    found = {p for r in releases.all_releases() for p in r.free_threaded}
    return tuple(f"{p}t" for p in sorted(found, key=releases.version_key))


def check_python(text: str) -> str:
    """``3.X`` (or ``3.Xt``) if some NumPy release has wheels for it (InvalidInput
    otherwise)."""
    from npinit.knowledge import releases

    return releases.check_python(text.strip())


def numpy_offer(python: str) -> Offer:
    """The releases with wheels for ``python``, newest first; default the newest."""
    from npinit.knowledge import releases

    fitting = [r.version for r in reversed(releases.releases_for_python(python))]
    return Offer(tuple(fitting), "latest", f"NumPy {fitting[0]}" if fitting else "")


def check_numpy(text: str, python: str) -> str:
    """The exact release ``latest``, ``X.Y`` or ``X.Y.Z`` means for ``python``."""
    from npinit.knowledge import releases

    return releases.resolve_numpy(text.strip() or "latest", python).version


def blas_offer(
    manager: str,
    channel: str | None,
    platform: Platform | Sequence[Platform] | None,
    numpy: str,
) -> Offer:
    """The BLAS variants this manager and channel have on every platform given (this
    machine's, or linux-64 when npinit has none for it); the default names what it gives on
    each and why. pixi can also take one variant per platform (``mkl,osx-arm64=accelerate``):
    the reason says so."""
    from npinit.errors import InvalidInput
    from npinit.knowledge import blas as facts
    from npinit.knowledge import releases

    if platform is None or isinstance(platform, Platform):
        wheres: list[Platform] = [platform or Platform.LINUX_64]
    else:
        wheres = list(platform) or [Platform.LINUX_64]
    source = _channel(manager, channel)
    release = next(r for r in releases.all_releases() if r.version == numpy)
    values = []
    for variant in Blas:
        try:
            for where in wheres:
                facts.choose_blas(source, where, variant, release)
        except InvalidInput:
            continue
        values.append(variant.value)
    owner = "PyPI's numpy wheel" if source is Channel.PYPI else source.value
    gives = ", ".join(
        f"{facts.default_variant(source, where, release)} on {where.value}" for where in wheres
    )
    why = f"{gives} ({owner}'s default)"
    if Manager(manager) is Manager.PIXI and len(wheres) > 1:
        why += "; pixi also takes one per platform: VARIANT,PLATFORM=VARIANT"
    return Offer(tuple(values), "default", why)


def channel_offer(
    manager: str, blas: str, platform: Platform | Sequence[Platform] | None, numpy: str
) -> Offer:
    """The channels that have ``blas`` on every platform given (conda: conda-forge and
    defaults; pixi: conda-forge)."""
    from npinit.errors import InvalidInput
    from npinit.knowledge import blas as facts
    from npinit.knowledge import releases

    if Manager(manager) is Manager.PIXI:
        return Offer(("conda-forge",), "conda-forge", "pixi uses conda-forge")
    if platform is None or isinstance(platform, Platform):
        wheres: list[Platform] = [platform or Platform.LINUX_64]
    else:
        wheres = list(platform) or [Platform.LINUX_64]
    release = next(r for r in releases.all_releases() if r.version == numpy)
    values = []
    for channel in (Channel.CONDA_FORGE, Channel.DEFAULTS):
        try:
            common, overrides = facts.parse_request(blas)
            for where in wheres:
                facts.choose_blas(channel, where, overrides.get(where, common), release)
        except InvalidInput:
            continue
        values.append(channel.value)
    return Offer(tuple(values), values[0] if values else "conda-forge", "")


def platforms_offer(platform: Platform | None) -> Offer:
    """This machine, ``all``, or a comma list of conda subdirs."""
    here = platform.value if platform is not None else "linux-64"
    return Offer((here, "all", *[p.value for p in Platform if p.value != here]), here)
