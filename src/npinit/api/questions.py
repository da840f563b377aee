"""What ``npinit new``'s questions may offer, given the answers before them: the same facts
and checks as the options, so that an interactive answer is refused (and asked again) for
exactly the reason the option would be."""

from __future__ import annotations

from dataclasses import dataclass

from npinit.model import Blas, Channel, Manager, Platform


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


def python_offer(this_python: str | None) -> Offer:
    """The Pythons some NumPy release supports; default: this machine's when it is one of
    them, else the newest the newest NumPy supports."""
    from npinit.knowledge import releases

    pythons = releases.known_pythons()
    newest = max(
        releases.all_releases()[-1].pythons, key=lambda p: tuple(int(x) for x in p.split("."))
    )
    if this_python in pythons:
        return Offer(pythons, this_python, "the Python running npinit")
    return Offer(
        pythons, newest, f"the newest Python NumPy {releases.all_releases()[-1].version} supports"
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


def blas_offer(manager: str, channel: str | None, platform: Platform | None, numpy: str) -> Offer:
    """The BLAS variants this manager and channel have on ``platform`` (this machine's, or
    linux-64 when npinit has none for it); the default names the variant it gives and why."""
    from npinit.errors import InvalidInput
    from npinit.knowledge import blas as facts
    from npinit.knowledge import releases

    where = platform or Platform.LINUX_64
    source = _channel(manager, channel)
    release = next(r for r in releases.all_releases() if r.version == numpy)
    values = []
    for variant in Blas:
        try:
            facts.choose_blas(source, where, variant, release)
        except InvalidInput:
            continue
        values.append(variant.value)
    default = facts.default_variant(source, where, release)
    owner = "PyPI's numpy wheel" if source is Channel.PYPI else source.value
    return Offer(tuple(values), "default", f"{default} ({owner}'s default on {where.value})")


def channel_offer(manager: str, blas: str, platform: Platform | None, numpy: str) -> Offer:
    """The channels that have ``blas`` (conda: conda-forge and defaults; pixi: conda-forge)."""
    from npinit.errors import InvalidInput
    from npinit.knowledge import blas as facts
    from npinit.knowledge import releases

    if Manager(manager) is Manager.PIXI:
        return Offer(("conda-forge",), "conda-forge", "pixi uses conda-forge")
    release = next(r for r in releases.all_releases() if r.version == numpy)
    values = []
    for channel in (Channel.CONDA_FORGE, Channel.DEFAULTS):
        try:
            common, _ = facts.parse_request(blas)
            facts.choose_blas(channel, platform or Platform.LINUX_64, common, release)
        except InvalidInput:
            continue
        values.append(channel.value)
    return Offer(tuple(values), values[0] if values else "conda-forge", "")


def platforms_offer(platform: Platform | None) -> Offer:
    """This machine, ``all``, or a comma list of conda subdirs."""
    here = platform.value if platform is not None else "linux-64"
    return Offer((here, "all", *[p.value for p in Platform if p.value != here]), here)
