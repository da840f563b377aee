"""The embedded conda engine's helpers: environment.yml read as data, conda channel names as
URLs (:mod:`npinit.knowledge.channels`: a lock records canonical URLs, an alias is applied
when fetching), and the activation variables conda would record (the solving and installing is in
:mod:`npinit.record.resolve_conda`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from npinit.errors import InvalidInput
from npinit.knowledge.channels import channel_urls as channel_urls  # used by the managers


def read_environment(path: Path) -> dict[str, Any]:
    """An environment file as data, by ``set``'s strict line scanner (ruamel.yaml when the
    scanner is not sure): the same data either way, a tenth of the start-up. A plain file
    with its dependencies list is read by the scanner alone; any other goes through
    :func:`npinit.editing.conda_env.parse`, which names what is wrong."""
    from npinit.editing.conda_scan import scan
    from npinit.tomlio import read_regular

    try:
        text = read_regular(path, path.name).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text", "fix the file") from None
    scanned = scan(text)
    data = scanned[0] if scanned is not None else None
    if data is None or not isinstance(data.get("dependencies"), list):
        from npinit.editing import conda_env

        data, _ = conda_env.parse(text, str(path))
    if not isinstance(data, dict) or not isinstance(data.get("dependencies"), list):
        raise InvalidInput(f"{path} has no dependencies list", "fix the file or regenerate it")
    return data


def write_variables(prefix: Path, variables: dict[str, str]) -> None:
    """What conda writes for environment.yml ``variables``: it sets them on activation."""
    import json

    if variables:
        (prefix / "conda-meta" / "state").write_text(json.dumps({"env_vars": variables}))
