"""What building a project's environment takes (:class:`CreateContext`) and gives
(:class:`CreatedEnvironment`): the managers' side of ``create``."""

# no __future__ annotations: typing.NamedTuple compiles an annotation string (test_imports)

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from npinit.model_spec import ProjectSpec


class CreateContext(NamedTuple):
    """What building an environment needs, all passed in (no hidden environment reads)."""

    project: Path
    spec: ProjectSpec
    environ: Mapping[str, str]
    run: Callable[..., Any]
    progress: Callable[[str], None]
    channel_alias: str | None = None
    use_uv: bool = True
    windows: bool = False
    existing: bool = False  # install into the environment already there (sync: extras removed)

    def which(self, name: str) -> str | None:
        import shutil

        return shutil.which(name, path=self.environ.get("PATH"))


class CreatedEnvironment(NamedTuple):
    """An environment a manager installed from the lock."""

    prefix: Path
    python: Path | None
    tool: str
    activate: str
    env_vars: Mapping[str, str] = MappingProxyType({})  # the default: shared, so read-only
