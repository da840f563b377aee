"""The embedded conda engine: py-rattler solves environment.yml against its channels and
installs into a prefix, for machines with no conda, mamba or micromamba."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from npinit.errors import Failure, InvalidInput, ToolMissing

DEFAULT_ALIAS = "https://conda.anaconda.org"
DEFAULTS = ("https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/r")


def channel_urls(channels: list[str], alias: str | None) -> list[str]:
    """conda's channel names as URLs; ``alias`` plays conda's ``channel_alias``."""
    urls: list[str] = []
    for channel in channels:
        if channel == "nodefaults":
            continue
        if "://" in channel:
            urls.append(channel)
        elif channel == "defaults" and alias is None:
            urls.extend(DEFAULTS)
        else:
            urls.append(f"{(alias or DEFAULT_ALIAS).rstrip('/')}/{channel}")
    return urls


def read_environment(path: Path) -> dict[str, Any]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe").load(path.read_text("utf-8"))
    except (OSError, YAMLError) as error:
        raise InvalidInput(
            f"cannot read {path}: {error}", "fix the file or regenerate it"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("dependencies"), list):
        raise InvalidInput(f"{path} has no dependencies list", "fix the file or regenerate it")
    return data


def install(env_file: Path, prefix: Path, *, alias: str | None, cache: Path) -> dict[str, str]:
    """Solve and install ``env_file`` into ``prefix``; returns its ``variables``."""
    try:
        import rattler
    except ImportError:
        raise ToolMissing(
            "no conda, mamba or micromamba on PATH, and the embedded engine (py-rattler) "
            "is not installed",
            "pip install 'npinit[conda]', or install micromamba or Miniforge",
        ) from None
    data = read_environment(env_file)
    if any(not isinstance(d, str) for d in data["dependencies"]):
        raise InvalidInput(
            f"{env_file} has a pip: section, which the embedded engine cannot install",
            "install conda, mamba or micromamba, or move those packages to conda specs",
        )
    specs = [d for d in data["dependencies"] if d != "pip"]
    urls = channel_urls([str(c) for c in data.get("channels") or ["conda-forge"]], alias)
    platform = rattler.Subdir.current()

    async def build() -> None:
        virtual = [v.into_generic() for v in rattler.VirtualPackage.detect()]
        records = await rattler.solve(
            sources=[rattler.Channel(url) for url in urls],
            specs=[rattler.MatchSpec(s) for s in specs],
            gateway=rattler.Gateway(cache_dir=cache / "repodata"),
            platforms=[platform, "noarch"],
            virtual_packages=virtual,
        )
        await rattler.install(records, prefix, cache_dir=cache / "pkgs", show_progress=False)

    try:
        asyncio.run(build())
    except Exception as error:  # rattler reports solve and fetch errors as its own types
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise Failure(
            f"the embedded conda engine failed: {first[:300]}",
            "check the channels and specs in environment.yml",
        ) from None
    variables = {str(k): str(v) for k, v in (data.get("variables") or {}).items()}
    write_variables(prefix, variables)
    return variables


def write_variables(prefix: Path, variables: dict[str, str]) -> None:
    """What conda writes for environment.yml ``variables``: it sets them on activation."""
    if variables:
        (prefix / "conda-meta" / "state").write_text(json.dumps({"env_vars": variables}))
