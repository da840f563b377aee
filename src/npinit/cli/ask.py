"""``npinit new``'s questions: each answer is checked as it is typed, with the same reason
the option would be refused for, and the question is asked again; later questions offer only
what fits the earlier answers. Plain line prompts, so that a terminal, a pipe and an IDE
feeding stdin all get the same questions and defaults."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import click

from npinit.cli.common import MANAGERS, machine
from npinit.errors import InvalidInput
from npinit.model import Platform

T = TypeVar("T")


@dataclass(frozen=True)
class Answers:
    """The answers new asks for when they are not given as options."""

    name: str | None
    manager: str | None
    python: str | None
    numpy: str | None
    blas: str | None
    channel: str | None
    platforms: tuple[str, ...]
    threads: int | None
    with_packages: tuple[str, ...] = field(default_factory=tuple)
    ci: str | None = None


def _reason(error: InvalidInput) -> str:
    return error.message + (f" ({error.hint})" if error.hint else "")


def ask(text: str, check: Callable[[str], T], default: str | None = None, show: bool = True) -> T:
    """One question; an answer ``check`` refuses is answered with its reason and asked again."""

    def convert(value: str) -> T:
        try:
            return check(value)
        except InvalidInput as error:
            raise click.UsageError(_reason(error)) from None

    value: T = click.prompt(text, default=default, value_proc=convert, show_default=show)
    return value


def confirm(text: str) -> bool:
    """A yes/no question (Enter: yes); any other answer says why and asks again."""

    def check(value: str) -> bool:
        answer = value.strip().lower()
        if answer in ("", "y", "yes"):
            return True
        if answer in ("n", "no"):
            return False
        raise InvalidInput(f"'{value.strip()}' is neither yes nor no", "answer y or n (Enter: y)")

    return ask(f"{text} [Y/n]", check, default="", show=False)


def _one_of(values: Sequence[str], what: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        value = text.strip().lower()
        if value not in values:
            raise InvalidInput(
                f"unknown {what} '{text.strip()}'", f"choose one of {', '.join(values)}"
            )
        return value

    return check


def _target_check(output_dir: Path, force: bool) -> Callable[[str], str]:
    def check(text: str) -> str:
        from npinit import api

        name = text.strip()
        api.resolve_project(name, current_platform=machine().platform, platforms=["linux-64"])
        target = output_dir / name
        if target.is_dir() and any(target.iterdir()) and not force:
            raise InvalidInput(
                f"{target} already exists and is not empty",
                "choose another name, or add --force to write into it",
            )
        if target.exists() and not target.is_dir():
            raise InvalidInput(f"{target} exists and is not a directory", "choose another name")
        return name

    return check


def questions(given: Answers, output_dir: Path, force: bool) -> Answers:
    """Ask for every answer not given as an option, in the documented order."""
    from npinit import api

    target_check = _target_check(output_dir, force)
    if given.name is not None:
        target_check(given.name)  # an existing target is reported before any question
    name = given.name or ask("Project name", target_check, default="my-project")
    manager = given.manager or ask(
        f"Package manager ({', '.join(MANAGERS)})",
        _one_of(MANAGERS, "manager"),
        default=api.default_manager().value,
    )
    python = given.python or _ask_python()
    numpy_offer = api.numpy_offer(python)
    numpy = given.numpy or ask(
        f"NumPy version (latest = {numpy_offer.why}, X.Y or X.Y.Z)",
        lambda text: api.check_numpy(text, python),
        default="latest",
    )
    exact = api.check_numpy(numpy, python)
    platforms = given.platforms or _ask_platforms(name, manager, python, exact, given.channel)
    blas = given.blas or _ask_blas(name, manager, python, exact, given.channel, platforms)
    channel = given.channel
    if channel is None and manager in ("conda", "pixi"):
        channel = _ask_channel(manager, blas, platforms, exact)
    threads = given.threads
    if threads is None:
        threads = ask("BLAS threads (empty: the library decides)", _threads, default="")
    extras = list(given.with_packages) or _ask_extras(name, manager, python, channel)
    ci = given.ci or ask(
        "CI workflow that proves the lock on every platform (github, gitlab, none)",
        _one_of(("github", "gitlab", "none"), "CI"),
        default="github",
    )
    return Answers(
        name, manager, python, numpy, blas, channel, platforms, threads, tuple(extras), ci
    )


def _ask_python() -> str:
    """The Python question: the range of the table, the free-threaded ones, the default."""
    from npinit import api

    offer = api.python_offer()
    threaded = api.free_threaded_pythons()
    return ask(
        f"Python version ({offer.values[0]} to {offer.values[-1]}; "
        f"{threaded[0]} to {threaded[-1]}: free-threaded; default {offer.default}: "
        f"{offer.why})",
        api.check_python,
        default=offer.default,
    )


def _ask_channel(manager: str, blas: str, platforms: Sequence[str], numpy: str) -> str:
    """The conda channel, asked only when more than one has this BLAS."""
    from npinit import api

    offer = api.channel_offer(manager, blas, _platforms(platforms), numpy)
    if len(offer.values) == 1:
        return offer.default
    return ask(
        f"conda channel ({', '.join(offer.values)})",
        _one_of(offer.values, "channel with this BLAS"),
        default=offer.default,
    )


def _ask_extras(name: str, manager: str, python: str, channel: str | None) -> list[str]:
    """Extra packages, one a question, until an empty answer."""
    extras: list[str] = []
    while True:
        extra = ask(
            "Extra package (a conda or PEP 508 spec; empty when done)",
            lambda text: _extra(text, name, manager, python, channel, extras),
            default="",
        )
        if not extra:
            return extras
        extras.append(extra)


def _platforms(chosen: Sequence[str]) -> list[Platform]:
    """The platforms an answer names (none: this machine), ``all`` expanded."""
    from npinit import api

    here = machine().platform
    spec = api.resolve_project(
        "p", platforms=list(chosen) or [here.value if here else "linux-64"], current_platform=here
    )
    return list(spec.platforms)


def _ask_platforms(
    name: str, manager: str, python: str, numpy: str, channel: str | None
) -> tuple[str, ...]:
    """Platforms come before the BLAS, so the BLAS question offers what they all have."""
    from npinit import api

    here = machine().platform
    offer = api.platforms_offer(here)

    def check(text: str) -> tuple[str, ...]:
        values = tuple(p.strip() for p in text.split(",") if p.strip())
        chosen = () if values == (offer.default,) else values
        api.resolve_project(
            name,
            manager=manager,
            python=python,
            numpy=numpy,
            channel=channel,
            platforms=chosen,
            current_platform=here,
        )
        return chosen

    return ask(
        f"Platforms (this machine = {offer.default}, all, or a comma list)",
        check,
        default=offer.default,
    )


def _ask_blas(
    name: str,
    manager: str,
    python: str,
    numpy: str,
    channel: str | None,
    platforms: tuple[str, ...],
) -> str:
    """The BLAS, offering what exists on every chosen platform (pixi: or one per platform);
    any answer is checked as the option would be, so a refusal asks again."""
    from npinit import api

    here = machine().platform
    offer = api.blas_offer(manager, channel, _platforms(platforms), numpy)

    def check(text: str) -> str:
        value = text.strip().lower()
        # the option's own check first, for its reason (e.g. "MKL is not on PyPI...")
        api.resolve_project(
            name,
            manager=manager,
            python=python,
            numpy=numpy,
            blas=value,
            channel=channel,
            platforms=list(platforms) or ([here.value] if here else ["linux-64"]),
            current_platform=here,
        )
        if "," in value or "=" in value:
            return value  # one variant per platform, which resolve_project accepted (pixi)
        return _one_of(offer.values, "BLAS on every chosen platform")(value)

    return ask(
        f"BLAS ({', '.join(offer.values)}; default gives {offer.why})", check, default="default"
    )


def _threads(text: str) -> int | None:
    from npinit import api

    if not text.strip():
        return None
    try:
        count = int(text.strip())
    except ValueError:
        raise InvalidInput(
            f"'{text.strip()}' is not a number of threads", "give a whole number, e.g. 4"
        ) from None
    return api.resolve_project("p", threads=count, platforms=["linux-64"]).threads


def _extra(
    text: str, name: str, manager: str, python: str, channel: str | None, extras: list[str]
) -> str:
    from npinit import api

    value = text.strip()
    if value:
        api.resolve_project(
            name,
            manager=manager,
            python=python,
            channel=channel,
            with_packages=[*extras, value],
            platforms=["linux-64"],
        )
    return value
