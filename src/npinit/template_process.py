"""Render an untrusted template in a child process with bounds, so that no template can make
npinit run forever or grow without limit (``{{ random_ascii_string(10**10) }}``, nested
``range`` loops, a string repeated a billion times):

- a deadline: the child runs through npinit's runner, which stops its whole process group
  when the time is up (``NPINIT_TEMPLATE_TIMEOUT``, default 60 s);
- memory: the child limits its own address space (1 GiB) before it reads the template;
- CPU time: the child also limits its own CPU time to the deadline and a little more, so that
  a child whose parent was killed (and so never enforces the deadline) still stops;
- output: the renderer writes each file in pieces and stops past ``NPINIT_TEMPLATE_MAX_BYTES``
  (default 100 MB).

The child is npinit's own renderer (:func:`npinit.template_render.render`) in the same
interpreter; it writes only into the staging folder it is given, and answers with one JSON
line: the project folder and notes, or the error to raise.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from npinit.errors import Failure, InvalidInput
from npinit.template_fetch import Limits

BOOT = (
    "import sys; sys.path[0:1] = [sys.argv[1]]; "
    "from npinit.template_process import child; child(sys.argv[2])"
)
HINT = "do not use this template, or raise NPINIT_TEMPLATE_TIMEOUT if you trust it"


def render_bounded(
    template: Path,
    answers: Mapping[str, str],
    output_dir: Path,
    limits: Limits,
    run: Any = None,
) -> tuple[Path, list[str]]:
    """Render ``template`` into ``output_dir`` in a bounded child; (project folder, notes)."""
    from npinit.runner import TimedOut
    from npinit.runner import run as default_run

    request = {
        "template": str(template.resolve()),
        "answers": dict(answers),
        "output": str(output_dir.resolve()),
        "bytes": limits.bytes,
        "memory": limits.memory,
        "seconds": limits.seconds,
    }
    package_root = str(Path(__file__).resolve().parent.parent)
    command = [sys.executable, "-c", BOOT, package_root, json.dumps(request)]
    try:
        result = (run or default_run)(
            command,
            cwd=output_dir.parent,
            what="rendering the template",
            timeout=limits.seconds,
            check=False,
        )
    except TimedOut:
        raise InvalidInput(
            f"the template did not finish rendering within {limits.seconds:g} s and was "
            "stopped (a loop or a value without bound)",
            HINT,
        ) from None
    lines = str(result.stdout).strip().splitlines()
    try:
        reply = json.loads(lines[-1]) if lines else None
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        said = (str(result.stderr).strip().splitlines() or ["no output"])[-1][:300]
        raise InvalidInput(
            f"the template could not be rendered (the renderer ended with exit "
            f"{result.returncode}: {said})",
            "do not use this template",
        )
    if "error" in reply:
        kind = InvalidInput if reply.get("kind") == "invalid" else Failure
        raise kind(str(reply["error"]), str(reply.get("hint", "")))
    return Path(reply["project"]), [str(note) for note in reply["notes"]]


def _limit_resources(size: int, seconds: float) -> None:
    """Address space, no core file, and CPU time past the deadline (SIGXCPU ends the child)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: the deadline still holds
        return
    cpu = int(seconds) + 2
    for limit, value in (
        (resource.RLIMIT_AS, size),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_CPU, cpu),
    ):
        _, hard = resource.getrlimit(limit)
        if hard == resource.RLIM_INFINITY or value < hard:
            resource.setrlimit(limit, (value, hard))


def child(request_text: str) -> None:
    """The child's side: render with the bounds, print one JSON line."""
    from npinit import template_render

    request = json.loads(request_text)
    _limit_resources(int(request["memory"]), float(request.get("seconds", 60)))
    reply: dict[str, Any]
    try:
        project, notes = template_render.render(
            Path(request["template"]),
            request["answers"],
            Path(request["output"]),
            trust=False,
            max_bytes=int(request["bytes"]),
        )
        reply = {"project": str(project), "notes": notes}
    except InvalidInput as error:
        reply = {"kind": "invalid", "error": error.message, "hint": error.hint}
    except Failure as error:
        reply = {"kind": "failure", "error": error.message, "hint": error.hint}
    except MemoryError:
        reply = {
            "kind": "invalid",
            "error": f"the template needs more than {request['memory'] >> 20} MiB of memory "
            "to render",
            "hint": "do not use this template",
        }
    except OSError as error:
        reply = {
            "kind": "failure",
            "error": f"could not write the rendered template: {error.strerror or error}",
            "hint": "",
        }
    sys.stdout.write("\n" + json.dumps(reply) + "\n")
