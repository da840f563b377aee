"""The pixi.toml rules pixi documents in its manifest schema (prefix-dev/pixi,
schema/model.py: the Workspace, MatchspecTable, Target, Activation and task models),
written out as checks. pixi itself is not on PyPI, so generated manifests are proven
against these rules, and their dependency sets are solved with py-rattler."""

from __future__ import annotations

import re
from typing import Any

PLATFORMS = {
    "emscripten-wasm32",
    "linux-32",
    "linux-64",
    "linux-aarch64",
    "linux-armv6l",
    "linux-armv7l",
    "linux-ppc64",
    "linux-ppc64le",
    "linux-riscv32",
    "linux-riscv64",
    "linux-s390x",
    "noarch",
    "osx-64",
    "osx-arm64",
    "unknown",
    "wasi-wasm32",
    "win-32",
    "win-64",
    "win-arm64",
    "zos-z",
}
TOP = {
    "$schema",
    "workspace",
    "project",
    "package",
    "dependencies",
    "host-dependencies",
    "build-dependencies",
    "pypi-dependencies",
    "pypi-options",
    "tasks",
    "system-requirements",
    "environments",
    "feature",
    "activation",
    "target",
    "tool",
}
WORKSPACE = {
    "name",
    "version",
    "description",
    "authors",
    "channels",
    "channel-priority",
    "exclude-newer",
    "platforms",
    "license",
    "license-file",
    "readme",
    "homepage",
    "repository",
    "documentation",
    "conda-pypi-map",
    "pypi-options",
    "s3-options",
    "preview",
    "build-variants",
    "requires-pixi",
}
MATCHSPEC_TABLE = {
    "version",
    "build",
    "build-number",
    "file-name",
    "channel",
    "subdir",
    "license",
    "path",
    "url",
    "md5",
    "sha256",
    "git",
    "rev",
    "tag",
    "branch",
    "subdirectory",
}
TARGET = {
    "dependencies",
    "host-dependencies",
    "build-dependencies",
    "pypi-dependencies",
    "tasks",
    "activation",
}
ACTIVATION = {"scripts", "env"}
TASK_TABLE = {
    "cmd",
    "cwd",
    "depends-on",
    "depends_on",
    "inputs",
    "outputs",
    "env",
    "description",
    "clean-env",
    "args",
}
TASK_NAME = re.compile(r"^[^\s\$]+$")


class PixiManifestError(AssertionError):
    pass


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PixiManifestError(message)


def _non_empty(value: Any, where: str) -> None:
    _require(isinstance(value, str) and value != "", f"{where} must be a non-empty string")


def _only(table: Any, allowed: set[str], where: str) -> None:
    _require(isinstance(table, dict), f"{where} must be a table")
    extra = set(table) - allowed
    _require(not extra, f"{where} has unknown keys {sorted(extra)} (extra fields are forbidden)")


def _dependencies(deps: Any, where: str) -> None:
    _require(isinstance(deps, dict), f"{where} must be a table")
    for name, spec in deps.items():
        _non_empty(name, f"{where} key")
        if isinstance(spec, dict):
            _only(spec, MATCHSPEC_TABLE, f"{where}.{name}")
            for key, value in spec.items():
                _non_empty(value, f"{where}.{name}.{key}")
        else:
            _non_empty(spec, f"{where}.{name}")


def _activation(activation: Any, where: str) -> None:
    _only(activation, ACTIVATION, where)
    for key, value in activation.get("env", {}).items():
        _non_empty(key, f"{where}.env key")
        _non_empty(value, f"{where}.env.{key}")


def _tasks(tasks: Any, where: str) -> None:
    _require(isinstance(tasks, dict), f"{where} must be a table")
    for name, task in tasks.items():
        _require(bool(TASK_NAME.match(name)), f"{where}: task name {name!r} is not valid")
        if isinstance(task, dict):
            _only(task, TASK_TABLE, f"{where}.{name}")
        elif not isinstance(task, list):
            _non_empty(task, f"{where}.{name}")


def check_pixi_manifest(data: dict[str, Any]) -> None:
    """Raise PixiManifestError where ``data`` breaks pixi's documented manifest rules."""
    _only(data, TOP, "the manifest")
    _require(
        any(k in data for k in ("project", "workspace", "package")),
        "the manifest needs [workspace], [project] or [package]",
    )
    workspace: Any = data.get("workspace", data.get("project"))
    _only(workspace, WORKSPACE, "[workspace]")
    _require("channels" in workspace, "[workspace] needs channels")
    for channel in workspace["channels"]:
        _non_empty(channel, "[workspace].channels item")
    for platform in workspace.get("platforms", []):
        _require(platform in PLATFORMS, f"unknown platform {platform!r}")
    if "name" in workspace:
        _non_empty(workspace["name"], "[workspace].name")
    for key in ("dependencies", "host-dependencies", "build-dependencies"):
        if key in data:
            _dependencies(data[key], f"[{key}]")
    if "activation" in data:
        _activation(data["activation"], "[activation]")
    if "tasks" in data:
        _tasks(data["tasks"], "[tasks]")
    for name, target in data.get("target", {}).items():
        _non_empty(name, "[target] key")
        _only(target, TARGET, f"[target.{name}]")
        if "dependencies" in target:
            _dependencies(target["dependencies"], f"[target.{name}.dependencies]")
        if "activation" in target:
            _activation(target["activation"], f"[target.{name}.activation]")


def platform_specs(data: dict[str, Any], platform: str) -> list[str]:
    """The conda match specs pixi solves for ``platform``: [dependencies] merged with
    [target.<platform>.dependencies] (the target wins), as ``name version build``."""
    merged = dict(data.get("dependencies", {}))
    merged.update(data.get("target", {}).get(platform, {}).get("dependencies", {}))
    specs = []
    for name, spec in merged.items():
        if isinstance(spec, dict):
            specs.append(f"{name} {spec.get('version', '*')} {spec.get('build', '')}".strip())
        else:
            specs.append(f"{name} {spec}")
    return specs
