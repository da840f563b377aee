"""conda's MatchSpec, read in one place: every module that reads a conda spec imports from
here, and py-rattler's parser (``rattler.MatchSpec``, ``rattler.NamelessMatchSpec``) decides
what a spec is. Kept beside it only what rattler cannot do:

- read a spec where py-rattler is not installed: it is the ``conda`` extra, and a plain
  ``pip install npinit`` still reads ``libblas=*=*mkl`` (``npinit set --blas`` on an
  environment.yml) and checks ``--with 'scipy>=1.14,<2'`` for a conda project. That is
  :func:`parse_without_rattler`, one grammar, held by the tests to rattler's answers on the
  same tables of real specs (tests/integration/test_with_specs.py for names and pixi's
  values, test_set_real_world.py for BLAS selectors' builds);
- name an entry of a conda file that is no MatchSpec at all, as real files hold:
  ``nbconvert[execute]`` (pip's extras; rattler: "invalid bracket"). :func:`entry_name`
  reads the name an entry starts with, whatever follows, without importing rattler (some
  0.4 s) to read a file.
"""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

import re
from typing import NamedTuple

_OP = r"(?:==|>=|<=|!=|~=|=|>|<)"
_VERSION = r"[A-Za-z0-9_.*+!]+"
_CONSTRAINT = rf"(?:{_OP}\s*)?{_VERSION}"
# the fallback's patterns, compiled when first used (re's cache): reading a conda file's
# entry names (entry_name) needs neither
_GRAMMAR = (
    r"^(?:(?P<channel>[A-Za-z0-9_./-]+)::)?"
    r"(?P<name>[A-Za-z0-9_][A-Za-z0-9_.-]*)"
    r"(?P<brackets>\[[^\[\]]*\])?"
    rf"(?:(?:\s+|(?=[=<>!~*+]))(?P<version>{_CONSTRAINT}(?:\s*[,|]\s*{_CONSTRAINT})*)"
    rf"(?:(?:=|\s+)(?P<build>[A-Za-z0-9_.*+]+))?)?"
    r"(?P<after>\[[^\[\]]*\])?$"
)
_BRACKET_BUILD = r"\bbuild\s*=\s*['\"]?(?P<build>[^'\",\]]+)"  # [build=*mkl]
_ENTRY_NAME = re.compile(r"[^\s=<>!~\[]*")


class MatchSpec(NamedTuple):
    """What npinit reads of a spec: the package name (normalized), the build asked for, and
    the spec without its name as pixi.toml writes it (``scipy>=1.14,<2`` -> ``>=1.14,<2``,
    ``scipy=1.14`` -> ``1.14.*``, ``scipy`` -> ``*``)."""

    name: str
    build: str | None = None
    nameless: str = "*"


def parse(text: str) -> MatchSpec | None:
    """``text`` read as a MatchSpec (``scipy>=1.14,<2``, ``conda-forge::libblas=*=*mkl``,
    ``libblas[build=*mkl]``, ``scipy 1.14.*``), or None when it is not one."""
    try:
        import rattler
    except ImportError:
        return parse_without_rattler(text)
    try:
        spec = rattler.MatchSpec(text.strip())
        nameless = str(rattler.NamelessMatchSpec.from_match_spec(spec))
    except Exception:  # py-rattler raises its own parse errors
        return None
    build = str(spec.build) if spec.build else None
    return MatchSpec(str(spec.name.normalized), build, nameless)


def parse_without_rattler(text: str) -> MatchSpec | None:
    """:func:`parse` where py-rattler is not installed (linear in the text's length)."""
    match = re.match(_GRAMMAR, text.strip())
    if match is None:
        return None
    build = match["build"]
    for brackets in (match["brackets"], match["after"]):
        found = re.search(_BRACKET_BUILD, brackets or "")
        if found:
            build = found["build"]
    rest = text.strip()[match.end("name") :].strip()
    if rest.startswith("=") and not rest.startswith("=="):
        rest = rest[1:] + ".*"  # conda's ``=1.14`` is 1.14.*
    return MatchSpec(match["name"].lower(), build, rest or "*")


def entry_name(text: str) -> str:
    """The package name an entry of a conda file starts with (``conda-forge::libblas=*=*mkl``
    -> ``libblas``, ``nbconvert[execute]`` -> ``nbconvert``), lowercased; ``""`` if none."""
    match = _ENTRY_NAME.match(text.strip().rsplit("::", 1)[-1])
    return match.group().lower() if match else ""
