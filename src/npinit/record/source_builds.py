"""The rule for packages a resolution would build from their sdists, for ``npinit init``'s
solve and ``npinit lock`` alike: a release that has wheels for one of the platforms, but
for other Pythons only (scipy 1.6.1: cp37 to cp39), would be built, or fail to build, for
this one; it counts as having no wheels. A release with no wheels for the platforms at all
(an sdist-only package) is built everywhere, as its authors meant."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from npinit.errors import InvalidInput


def built_from_source(sections: Iterable[Any]) -> frozenset[str]:
    """The releases (``name==version``) of the sections' packages that come from an sdist."""
    return frozenset(
        f"{p.name}=={p.version}"
        for section in sections
        for p in section.packages
        if p.url and not p.url.endswith(".whl")
    )


@cache
def _files(index: str, name: str) -> tuple[Any, ...]:
    """A project's files on the index (its PEP 691 page), asked once per run."""
    from npinit.record.index import project_page

    return tuple(project_page(index, name).get("files", []))


def wheeled_elsewhere(
    built: Iterable[str], platforms: Iterable[Any], environ: Mapping[str, str]
) -> set[str]:
    """Which of the releases built from source (``name==version``) have wheels for one of
    ``platforms``, for some Python (the index's project page says): built for this Python,
    such a release has no wheels for it."""
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    from npinit.knowledge.platforms import wheel_fits
    from npinit.record.bundle import indexes_of

    platforms = list(platforms)
    found = set()
    for release in built:
        name, _, version = release.partition("==")
        try:
            files = _files(indexes_of(None, environ)[0], name)
        except (OSError, ValueError, InvalidInput):
            continue  # the index cannot tell: counted as uv resolved it
        for entry in files:
            try:
                _, found_version, _, tags = parse_wheel_filename(str(entry.get("filename")))
            except InvalidWheelFilename:
                continue
            if str(found_version) == version and any(
                wheel_fits(p, t.platform) for p in platforms for t in tags
            ):
                found.add(release)
    return found


def resolve_with_wheels(requirements: Any, python: str, platforms: list[Any], **kwargs: Any) -> Any:
    """:func:`npinit.record.resolve_pypi.resolve`, with the packages it would build from
    source that have wheels for other Pythons (see :func:`wheeled_elsewhere`) resolved
    again from wheels only (uv's ``--only-binary``): uv takes a release with wheels, or
    says which pins leave none (exit 2, uv's words: "because you require numpy==2.4.6 and
    scipy<1.15")."""
    from npinit.record.resolve_pypi import resolve

    sections = resolve(requirements, python, platforms, **kwargs)
    built = built_from_source(sections.values())
    wheeled = wheeled_elsewhere(built, platforms, kwargs["environ"]) if built else set()
    if not wheeled:
        return sections
    names = tuple(sorted(r.partition("==")[0] for r in wheeled))
    try:
        return resolve(requirements, python, platforms, only_binary=names, **kwargs)
    except InvalidInput as error:
        said = error.message.split(" hint: ")[0]  # uv's hint names its own flag
        raise InvalidInput(
            f"{said} ({', '.join(sorted(wheeled))} has no wheels for Python {python}: "
            "npinit does not lock a build from source)",
            error.hint,
        ) from None
