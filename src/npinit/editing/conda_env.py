"""environment.yml: change the numpy, python and BLAS entries and nothing else.

ruamel.yaml's round-trip parser finds each dependency and its line; the edit then replaces
only those lines' text, so comments, blank lines, indentation, quoting, ``pip:`` sections and
the trailing newline stay exactly as they were. The result is parsed again to prove it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from npinit.errors import InvalidInput

BLAS_SELECTORS = {"libblas", "liblapack", "libcblas", "blas"}
_ENTRY = re.compile(
    r"^(?P<lead>\s*-\s*)(?P<quote>['\"]?)(?P<spec>[^'\"#]*?)(?P=quote)(?P<tail>\s*(#.*)?)$"
)


@dataclass(frozen=True)
class Entry:
    line: int  # index in the file's lines
    name: str
    spec: str


def parse(text: str, origin: str) -> tuple[dict[str, Any], list[Entry]]:
    """The file's data and its string dependencies with their line numbers."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "invalid YAML"
        raise InvalidInput(f"{origin} is not valid YAML ({first})", "fix the file") from None
    if not isinstance(data, dict):
        raise InvalidInput(
            f"{origin} is not an environment file (its top level is not a mapping)",
            "an environment.yml has name, channels and dependencies keys",
        )
    deps = data.get("dependencies")
    if deps is None:
        raise InvalidInput(f"{origin} has no dependencies list", "add a dependencies: list")
    if not isinstance(deps, list):
        raise InvalidInput(f"{origin}: dependencies is not a list", "make it a YAML list")
    entries = []
    for index, item in enumerate(deps):
        if isinstance(item, str):
            line, _ = deps.lc.item(index)  # type: ignore[attr-defined]
            entries.append(Entry(line, _name(item), item))
    return data, entries


def _name(spec: str) -> str:
    return re.split(r"[\s=<>!~\[]", spec.strip(), maxsplit=1)[0].lower()


def channel_of(data: dict[str, Any]) -> str:
    """The file's main channel (its first), ``conda-forge`` when none is listed."""
    channels = [str(c) for c in data.get("channels") or [] if str(c) != "nodefaults"]
    return channels[0] if channels else "conda-forge"


def python_of(entries: list[Entry]) -> str | None:
    """The ``3.X`` the file pins Python to, if it does."""
    for entry in entries:
        if entry.name == "python":
            match = re.search(r"(?:=|==|\s)(3\.\d+)(?:\.\*|\.\d+)?\s*$", entry.spec)
            if match:
                return match.group(1)
    return None


def _rewrite(raw: str, old_spec: str, spec: str) -> str:
    """``raw`` (one list entry's line) with its spec replaced, everything else kept."""
    body = raw.rstrip("\r\n")
    ending = raw[len(body) :]
    match = _ENTRY.match(body)
    if match is None:
        return raw.replace(old_spec, spec, 1)
    return f"{match['lead']}{match['quote']}{spec}{match['quote']}{match['tail']}{ending}"


def _sibling(raw: str, spec: str) -> str:
    """A new entry written like ``raw`` (same indentation and dash)."""
    match = _ENTRY.match(raw.rstrip("\r\n"))
    lead = match["lead"] if match else "  - "
    return f"{lead}{spec}"


def edit(
    text: str,
    origin: str,
    *,
    numpy: str | None = None,
    python: str | None = None,
    blas_lines: list[str] | None = None,
    drop_nomkl: bool = False,
) -> str:
    """Apply the requested changes; ``blas_lines`` replaces every BLAS selector line."""
    _, entries = parse(text, origin)
    if not entries:
        raise InvalidInput(f"{origin} has no conda dependencies to edit", "add some first")
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if text.count("\r\n") > text.count("\n") // 2 else "\n"
    # each original line becomes a list of output lines: replaced, emptied or extended
    slots: list[list[str]] = [[line] for line in lines]
    by_name = {e.name: e for e in entries}

    def replace(entry: Entry, spec: str) -> None:
        slots[entry.line][0] = _rewrite(lines[entry.line], entry.spec, spec)

    def insert_after(entry: Entry, specs: list[str]) -> None:
        slot = slots[entry.line]
        if slot and not slot[-1].endswith(("\n", "\r")):
            slot[-1] += newline
            new = [_sibling(lines[entry.line], s) + newline for s in specs]
            new[-1] = new[-1].rstrip("\r\n")
        else:
            new = [_sibling(lines[entry.line], s) + newline for s in specs]
        slot.extend(new)

    if numpy is not None:
        if "numpy" in by_name:
            replace(by_name["numpy"], f"numpy={numpy}")
        else:
            insert_after(by_name.get("python") or entries[-1], [f"numpy={numpy}"])
    if python is not None:
        if "python" in by_name:
            replace(by_name["python"], f"python={python}")
        else:
            insert_after(entries[0], [f"python={python}"])
    if blas_lines is not None:
        selectors = [
            e
            for e in entries
            if (e.name in BLAS_SELECTORS and e.spec.count("=") >= 2)
            or (e.name == "nomkl" and drop_nomkl)
        ]
        if selectors:
            first, rest = selectors[0], selectors[1:]
            if blas_lines:
                replace(first, blas_lines[0])
                if blas_lines[1:]:
                    insert_after(first, blas_lines[1:])
            else:
                slots[first.line].pop(0)
            for entry in rest:
                slots[entry.line].pop(0)
        elif blas_lines:
            insert_after(by_name.get("numpy") or entries[-1], blas_lines)
    result = "".join(line for slot in slots for line in slot)
    parse(result, origin)  # still a valid environment file
    return result


def set_channel(text: str, origin: str, channel: str) -> str:
    """Make ``channel`` the file's channel: its first channel entry is rewritten, and
    ``nodefaults`` goes when the channel becomes ``defaults``."""
    from ruamel.yaml import YAML

    data = YAML(typ="rt").load(text)
    channels = data.get("channels")
    lines = text.splitlines(keepends=True)
    if not isinstance(channels, list) or not channels:
        raise InvalidInput(f"{origin} has no channels list", "add channels: [conda-forge]")
    drop = set()
    for index, name in enumerate(channels):
        line, _ = channels.lc.item(index)  # type: ignore[attr-defined]
        if index == 0:
            lines[line] = _rewrite(lines[line], str(name), channel)
        elif str(name) == "nodefaults" and channel == "defaults":
            drop.add(line)
    result = "".join(line for i, line in enumerate(lines) if i not in drop)
    parse(result, origin)
    return result
