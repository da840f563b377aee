"""npinit's Python API: what the CLI, an IDE or a test calls. Returns results, never prints,
and reads nothing of the machine it was not given (:func:`this_machine` reads it, for a
caller to pass down).

Every command of the CLI has its function here:

| command | functions |
|---|---|
| new | :func:`resolve_project`, :func:`new_project`, :func:`describe`, :func:`activation` |
| new's questions | :func:`python_offer`, :func:`numpy_offer`, :func:`blas_offer`, ... |
| create | :func:`create_environment`, :func:`read_project_spec`, :func:`half_built` |
| lock, verify | :func:`lock_environment`, :func:`verify_environment`,
  :func:`snapshot_environment`, :func:`lock_project`, :func:`preview_lock` (both
  resolving by :class:`LockOptions`) |
| diff | :func:`diff_locks` |
| bundle | :func:`make_bundle`, :func:`check_bundle` |
| doctor | :func:`doctor` |
| set | :func:`plan_set`, :func:`apply_set` |
| versions, recommend | :func:`versions`, :func:`recommend` |
| report | :func:`class_report`, :func:`write_report_html` |
| (where) | :func:`find_project`, :func:`project_environment`, :func:`resolve_target` |

The submodules load on first use, so that importing the API (and starting the CLI) stays
light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from npinit.api.bundle import BundleResult as BundleResult
    from npinit.api.bundle import make_bundle as make_bundle
    from npinit.api.bundle_check import BundleCheck as BundleCheck
    from npinit.api.bundle_check import check_bundle as check_bundle
    from npinit.api.changes import LockDiff as LockDiff
    from npinit.api.changes import diff_locks as diff_locks
    from npinit.api.changes import preview_lock as preview_lock
    from npinit.api.create import ENV_DIRS as ENV_DIRS
    from npinit.api.create import INCOMPLETE as INCOMPLETE
    from npinit.api.create import create_environment as create_environment
    from npinit.api.create import half_built as half_built
    from npinit.api.create_result import CreateResult as CreateResult
    from npinit.api.diagnose import doctor as doctor
    from npinit.api.edit import apply_set as apply_set
    from npinit.api.edit import plan_set as plan_set
    from npinit.api.from_env import ProjectLockResult as ProjectLockResult
    from npinit.api.from_env import lock_from_env as lock_from_env
    from npinit.api.info import default_manager as default_manager
    from npinit.api.info import find_project as find_project
    from npinit.api.info import project_environment as project_environment
    from npinit.api.info import recommend as recommend
    from npinit.api.info import resolve_target as resolve_target
    from npinit.api.info import versions as versions
    from npinit.api.init import apply_init as apply_init
    from npinit.api.init import init_candidates as init_candidates
    from npinit.api.init import init_root as init_root
    from npinit.api.init import plan_init as plan_init
    from npinit.api.lock import DEFAULT_LOCK_NAMES as DEFAULT_LOCK_NAMES
    from npinit.api.lock import LockResult as LockResult
    from npinit.api.lock import VerifyResult as VerifyResult
    from npinit.api.lock import lock_environment as lock_environment
    from npinit.api.lock import verify_environment as verify_environment
    from npinit.api.new import NewResult as NewResult
    from npinit.api.new import activation as activation
    from npinit.api.new import answers_for as answers_for
    from npinit.api.new import check_template_create as check_template_create
    from npinit.api.new import describe as describe
    from npinit.api.new import new_project as new_project
    from npinit.api.new import resolve_project as resolve_project
    from npinit.api.pins import pythons_to_try as pythons_to_try
    from npinit.api.pins import solve_for_project as solve_for_project
    from npinit.api.pins import solve_set_python as solve_set_python
    from npinit.api.questions import Offer as Offer
    from npinit.api.questions import blas_offer as blas_offer
    from npinit.api.questions import channel_offer as channel_offer
    from npinit.api.questions import check_numpy as check_numpy
    from npinit.api.questions import check_python as check_python
    from npinit.api.questions import free_threaded_pythons as free_threaded_pythons
    from npinit.api.questions import numpy_offer as numpy_offer
    from npinit.api.questions import platforms_offer as platforms_offer
    from npinit.api.questions import python_offer as python_offer
    from npinit.api.report import ClassReport as ClassReport
    from npinit.api.report import class_report as class_report
    from npinit.api.report import read_roster as read_roster
    from npinit.api.report import report_target as report_target
    from npinit.api.report import write_report_html as write_report_html
    from npinit.api.reproduce import LockOptions as LockOptions
    from npinit.api.reproduce import check_lock as check_lock
    from npinit.api.reproduce import export_lock as export_lock
    from npinit.api.reproduce import lock_project as lock_project
    from npinit.machine import cache_dir as cache_dir
    from npinit.machine import conda_envs_dirs as conda_envs_dirs
    from npinit.machine import gpus as gpus
    from npinit.machine import os_name as os_name
    from npinit.machine import probe_timeout as probe_timeout
    from npinit.machine import stamp as stamp
    from npinit.machine import this_machine as this_machine
    from npinit.recommend import EXPERIENCES as EXPERIENCES
    from npinit.recommend import OSES as OSES
    from npinit.record.environment import PROBE_TIMEOUT as PROBE_TIMEOUT
    from npinit.record.environment import snapshot_environment as snapshot_environment
    from npinit.spec import read_project_spec as read_project_spec


def _block() -> str:
    """The imports under ``if TYPE_CHECKING:`` above, each line beginning with a newline (the
    one list of the API's names, ``from module import name as name``), read once a run."""
    if not _BLOCK:
        with open(__file__, encoding="utf-8") as source:  # no Path: a few lines, read once
            text = source.read()
        block = text.split("\nif TYPE_CHECKING:\n", 1)[1].split("\n\n", 1)[0]
        _BLOCK.append(f"\n{block}\n")
    return _BLOCK[0]


_BLOCK: list[str] = []
FROM = "\n    from "


def _module_of(name: str) -> str | None:
    """The module the API takes ``name`` from (found in the list when first asked for: a
    command asks for one or two names, not for the table of them all), None for no name."""
    block = _block()
    at = block.find(f" import {name} as {name}\n") if name.isidentifier() else -1
    if at < 0:
        return None
    return block[block.rfind(FROM, 0, at) + len(FROM) : at]


def _names() -> list[str]:
    """Every name of the API, sorted (``__all__``)."""
    names = (line.rpartition(" as ")[2].strip() for line in _block().split(FROM)[1:])
    return sorted(name for name in names if _module_of(name))


if TYPE_CHECKING:
    __all__: list[str]
else:  # type checkers see the imports above; Python loads on first use

    def __getattr__(name: str) -> Any:
        if name == "__all__":
            value: Any = _names()
        else:
            module = _module_of(name)
            if module is None:
                raise AttributeError(f"module 'npinit.api' has no attribute {name!r}")
            value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value
