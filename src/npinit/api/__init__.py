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
  :func:`snapshot_environment`, :func:`lock_project`, :func:`preview_lock` |
| diff | :func:`diff_locks` |
| doctor | :func:`doctor` |
| set | :func:`plan_set`, :func:`apply_set` |
| versions, recommend | :func:`versions`, :func:`recommend` |
| report | :func:`class_report`, :func:`write_report_html` |
| bundle | :func:`make_bundle`, :func:`check_bundle` |
| (where) | :func:`find_project`, :func:`project_environment`, :func:`resolve_target` |

The submodules load on first use, so that importing the API (and starting the CLI) stays
light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "BundleResult": "bundle",
    "make_bundle": "bundle",
    "BundleCheck": "bundle_check",
    "check_bundle": "bundle_check",
    "NewResult": "new",
    "answers_for": "new",
    "check_template_create": "new",
    "resolve_project": "new",
    "new_project": "new",
    "describe": "new",
    "activation": "new",
    "Offer": "questions",
    "python_offer": "questions",
    "check_python": "questions",
    "free_threaded_pythons": "questions",
    "numpy_offer": "questions",
    "check_numpy": "questions",
    "blas_offer": "questions",
    "channel_offer": "questions",
    "platforms_offer": "questions",
    "CreateResult": "create",
    "ENV_DIRS": "create",
    "INCOMPLETE": "create",
    "create_environment": "create",
    "half_built": "create",
    "read_project_spec": "create",
    "DEFAULT_LOCK_NAMES": "lock",
    "LockResult": "lock",
    "PROBE_TIMEOUT": "lock",
    "VerifyResult": "lock",
    "lock_environment": "lock",
    "snapshot_environment": "lock",
    "verify_environment": "lock",
    "doctor": "doctor",
    "init_candidates": "init",
    "init_root": "init",
    "solve_for_project": "pins",
    "solve_set_python": "pins",
    "pythons_to_try": "pins",
    "plan_init": "init",
    "apply_init": "init",
    "ProjectLockResult": "reproduce",
    "LockDiff": "changes",
    "diff_locks": "changes",
    "preview_lock": "changes",
    "export_lock": "reproduce",
    "check_lock": "reproduce",
    "lock_from_env": "reproduce",
    "lock_project": "reproduce",
    "apply_set": "edit",
    "plan_set": "edit",
    "EXPERIENCES": "info",
    "OSES": "info",
    "default_manager": "info",
    "class_report": "report",
    "ClassReport": "report",
    "write_report_html": "report",
    "read_roster": "report",
    "report_target": "report",
    "find_project": "info",
    "project_environment": "info",
    "recommend": "info",
    "resolve_target": "info",
    "versions": "info",
}
_MACHINE = (
    "this_machine", "cache_dir", "conda_envs_dirs", "gpus", "os_name", "probe_timeout", "stamp"
)  # fmt: skip

__all__ = [
    "DEFAULT_LOCK_NAMES",
    "ENV_DIRS",
    "EXPERIENCES",
    "INCOMPLETE",
    "OSES",
    "PROBE_TIMEOUT",
    "BundleCheck",
    "BundleResult",
    "ClassReport",
    "CreateResult",
    "LockDiff",
    "LockResult",
    "NewResult",
    "Offer",
    "ProjectLockResult",
    "VerifyResult",
    "activation",
    "answers_for",
    "apply_init",
    "apply_set",
    "blas_offer",
    "cache_dir",
    "channel_offer",
    "check_bundle",
    "check_lock",
    "check_numpy",
    "check_python",
    "check_template_create",
    "class_report",
    "conda_envs_dirs",
    "create_environment",
    "default_manager",
    "describe",
    "diff_locks",
    "doctor",
    "export_lock",
    "find_project",
    "free_threaded_pythons",
    "gpus",
    "half_built",
    "init_candidates",
    "init_root",
    "lock_environment",
    "lock_from_env",
    "lock_project",
    "make_bundle",
    "new_project",
    "numpy_offer",
    "os_name",
    "plan_init",
    "plan_set",
    "platforms_offer",
    "preview_lock",
    "probe_timeout",
    "project_environment",
    "python_offer",
    "pythons_to_try",
    "read_project_spec",
    "read_roster",
    "recommend",
    "report_target",
    "resolve_project",
    "resolve_target",
    "snapshot_environment",
    "solve_for_project",
    "solve_set_python",
    "stamp",
    "this_machine",
    "verify_environment",
    "versions",
    "write_report_html",
]

if TYPE_CHECKING:
    from npinit.api.bundle import BundleResult, make_bundle
    from npinit.api.bundle_check import BundleCheck, check_bundle
    from npinit.api.changes import LockDiff, diff_locks, preview_lock
    from npinit.api.create import (
        ENV_DIRS,
        INCOMPLETE,
        CreateResult,
        create_environment,
        half_built,
        read_project_spec,
    )
    from npinit.api.doctor import doctor
    from npinit.api.edit import apply_set, plan_set
    from npinit.api.info import (
        EXPERIENCES,
        OSES,
        default_manager,
        find_project,
        project_environment,
        recommend,
        resolve_target,
        versions,
    )
    from npinit.api.init import apply_init, init_candidates, init_root, plan_init
    from npinit.api.lock import (
        DEFAULT_LOCK_NAMES,
        PROBE_TIMEOUT,
        LockResult,
        VerifyResult,
        lock_environment,
        snapshot_environment,
        verify_environment,
    )
    from npinit.api.new import (
        NewResult,
        activation,
        answers_for,
        check_template_create,
        describe,
        new_project,
        resolve_project,
    )
    from npinit.api.pins import pythons_to_try, solve_for_project, solve_set_python
    from npinit.api.questions import (
        Offer,
        blas_offer,
        channel_offer,
        check_numpy,
        check_python,
        free_threaded_pythons,
        numpy_offer,
        platforms_offer,
        python_offer,
    )
    from npinit.api.report import (
        ClassReport,
        class_report,
        read_roster,
        report_target,
        write_report_html,
    )
    from npinit.api.reproduce import (
        ProjectLockResult,
        check_lock,
        export_lock,
        lock_from_env,
        lock_project,
    )
    from npinit.machine import (
        cache_dir,
        conda_envs_dirs,
        gpus,
        os_name,
        probe_timeout,
        stamp,
        this_machine,
    )


if not TYPE_CHECKING:  # type checkers see the imports above; Python loads on first use

    def __getattr__(name: str) -> Any:
        if name in _WHERE:
            module = importlib.import_module(f"npinit.api.{_WHERE[name]}")
        elif name in _MACHINE:
            module = importlib.import_module("npinit.machine")
        else:
            raise AttributeError(f"module 'npinit.api' has no attribute {name!r}")
        value = getattr(module, name)
        globals()[name] = value
        return value
