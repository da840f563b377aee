"""The one place npinit runs other programs. Tests can pass their own runner.

Every child runs in a process group of its own. When npinit is stopped while a child runs
(Ctrl-C, SIGTERM, SIGHUP, a timeout), the whole group is stopped and waited for before npinit
goes on to clean up: an installer must never keep writing into an environment that npinit is
removing, or after npinit has exited.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from npinit.errors import Failure

Runner = Callable[..., "subprocess.CompletedProcess[str]"]

GRACE = 5.0  # seconds a stopped child's group gets between SIGTERM and SIGKILL
HELD = 1.0  # seconds its pipes may stay open after the child exited (then they are cut)
SLICE = 0.5  # how often a running child is looked at while its output is read


class TimedOut(Failure):
    """A child did not finish within its timeout (it was stopped)."""


def _stop_group(process: subprocess.Popen[str]) -> None:
    """Stop ``process`` and every process of its group, and wait for the leader."""
    if os.name != "posix":  # pragma: no cover - Windows: the child itself
        process.kill()
        process.wait()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=GRACE)
    # whatever is left of the group, the leader included, must not outlive npinit
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    _wait_group_gone(process.pid)


def _wait_group_gone(pgid: int, limit: float = GRACE) -> None:
    """A killed process dies when it next runs: on a loaded machine a member of the group can
    still be running a moment after its leader was reaped. Wait, bounded, until none runs."""
    end = time.monotonic() + limit
    while _group_runs(pgid) and time.monotonic() < end:
        time.sleep(0.01)


def _group_runs(pgid: int) -> bool:
    """Whether a process of group ``pgid`` still runs (a zombie does not; without /proc,
    whether the group still has a member)."""
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    if not os.path.isdir("/proc"):
        return True
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] not in (b"Z", b"X"):
            return True
    return False


def _communicate(process: subprocess.Popen[str], timeout: float | None) -> tuple[str, str]:
    """The child's output, read until the pipes close, the deadline (TimeoutExpired), or
    :data:`HELD` seconds after the child itself exited while something it started (a daemon,
    a ``setsid`` child) still holds its pipes: that holder is stopped and the output so far is
    the child's output. Nothing the child starts can make npinit wait past its deadline."""
    deadline = None if timeout is None else time.monotonic() + timeout
    exited: float | None = None
    while True:
        left = SLICE if deadline is None else max(0.0, min(SLICE, deadline - time.monotonic()))
        try:
            return process.communicate(timeout=left)
        except subprocess.TimeoutExpired as expired:
            partial = expired
        now = time.monotonic()
        if process.poll() is not None:  # the child is gone; its pipes are held by another
            exited = exited if exited is not None else now
            if now - exited >= HELD:
                _stop_group(process)
                _stop_holders(process)
                return _decoded(process, partial.stdout), _decoded(process, partial.stderr)
        if deadline is not None and now >= deadline:
            raise partial


def _decoded(process: subprocess.Popen[str], data: bytes | str | None) -> str:
    if isinstance(data, str):
        return data
    encoding = getattr(process.stdout, "encoding", None) or "utf-8"
    text = (data or b"").decode(encoding, "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _stop_holders(process: subprocess.Popen[str]) -> None:
    """Kill what still holds the child's pipes after its group was stopped (a process it
    started in a session of its own), where this system shows it (Linux's /proc), then stop
    reading: close npinit's ends of the pipes."""
    pipes = [p for p in (process.stdout, process.stderr) if p is not None and not p.closed]
    wanted = {f"pipe:[{os.fstat(p.fileno()).st_ino}]" for p in pipes}
    for pid in _holders(wanted):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    _close_pipes(process)


def _holders(wanted: set[str]) -> list[int]:
    """The processes other than npinit with one of ``wanted`` among their open files."""
    if not wanted or not os.path.isdir("/proc"):
        return []
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError), os.scandir(f"/proc/{entry.name}/fd") as fds:
            if any(os.readlink(fd.path) in wanted for fd in fds):
                found.append(int(entry.name))
    return found


def _feed(process: subprocess.Popen[str], given: str) -> None:
    """Write ``given`` to the child's stdin, then close it, while its output is read: what
    the pipe takes at once is written now (an export fits: nothing waits), the rest from a
    thread of its own (a write from here could block on a full pipe, and communicate cannot
    go on writing after a slice's timeout: a resumed communicate leaves stdin out). The pipe
    is this function's (``process.stdin`` None: communicate leaves it alone); a child that
    stops reading or is stopped ends the write."""
    pipe, process.stdin = process.stdin, None
    if pipe is None:
        return
    encoding = getattr(pipe, "encoding", None) or "utf-8"  # the text pipe's, as _start made it
    data = memoryview(given.encode(encoding, "replace"))
    if os.name == "posix":
        os.set_blocking(pipe.fileno(), False)
        try:
            data = data[os.write(pipe.fileno(), data) :]
        except BlockingIOError:
            pass
        except OSError:  # the child closed its end: it reads nothing more
            data = data[:0]
        os.set_blocking(pipe.fileno(), True)
    if not data:
        with contextlib.suppress(OSError):
            pipe.close()
        return
    import threading

    def write() -> None:
        rest = data
        with contextlib.suppress(OSError, ValueError), pipe:  # a broken pipe: the child's end
            while rest:
                rest = rest[os.write(pipe.fileno(), rest) :]

    threading.Thread(target=write, name="npinit-stdin", daemon=True).start()


def _close_pipes(process: subprocess.Popen[str]) -> None:
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


_STOPS = ("SIGINT", "SIGTERM", "SIGHUP")  # what stops npinit (Ctrl-C, the CLI's handlers)


def _start(
    args: list[str], cwd: Path | None, env: Mapping[str, str] | None, given: bool = False
) -> tuple[subprocess.Popen[str], Callable[[], None]]:
    """The child, started in a process group of its own (its stdin a pipe when ``given``,
    else /dev/null), and the function that releases the stops held meanwhile
    (:func:`_hold_stops`): the caller calls it once it would stop the child's group on a
    stop. Popen returns only after the child runs, and a stop acted on in between would
    leave that group running, with nothing to stop it."""
    release = _hold_stops()
    try:
        process = subprocess.Popen(
            args,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.PIPE if given else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=os.name == "posix",
        )
    except BaseException:
        release()
        raise
    from npinit.faults import checkpoint

    try:
        checkpoint("child-started")  # the test-only hook: a stop exactly here, the child running
    except BaseException:  # its injected failure: the child must not outlive it
        _stop_group(process)
        _close_pipes(process)
        release()
        raise
    return process, release


def _hold_stops() -> Callable[[], None]:
    """Until the returned function is called, a stop (:data:`_STOPS`, where Python handles it)
    is noted instead of acted on; calling it puts the handlers back and calls the one of the
    first stop noted (KeyboardInterrupt, or the CLI's Terminated). Only the main thread
    handles signals: elsewhere nothing is held."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    noted: list[int] = []
    held: dict[int, Callable[[int, Any], object]] = {}

    def release() -> None:
        for number, handler in held.items():
            signal.signal(number, handler)
        if noted:
            held[noted[0]](noted[0], None)

    try:
        for name in _STOPS:
            number: int | None = getattr(signal, name, None)
            if number is None:  # not on this system (Windows has no SIGHUP)
                continue
            handler = signal.getsignal(number)
            if callable(handler):  # not SIG_DFL or SIG_IGN: those the caller chose stay
                held[number] = handler
                signal.signal(number, lambda signum, frame: noted.append(signum))
    except BaseException:  # a stop came while holding: nothing started, every handler back
        release()
        raise
    return release


def run(
    cmd: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    what: str = "",
    timeout: float | None = None,
    check: bool = True,
    given: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` quietly; a non-zero exit becomes a Failure quoting its last output line
    (unless ``check`` is false), a timeout a :class:`TimedOut`. ``given``: the text its
    stdin reads (None: /dev/null).

    KeyboardInterrupt and npinit's termination signals are not caught: the child's group is
    stopped first, then the caller cleans up and the CLI exits 130, 143 or 129.
    """
    args = [str(c) for c in cmd]
    try:
        process, release = _start(args, cwd, env, given is not None)
    except (FileNotFoundError, PermissionError, NotADirectoryError):
        raise Failure(f"{args[0]} could not be started", "check that it is installed") from None
    try:
        release()  # a stop that came while the child started acts here: its group is stopped
        if given is not None:
            _feed(process, given)
        stdout, stderr = _communicate(process, timeout)
    except subprocess.TimeoutExpired:
        _stop_group(process)
        _stop_holders(process)
        raise TimedOut(
            f"{what or args[0]} did not finish within {timeout:g} s and was stopped", ""
        ) from None
    except BaseException:
        _stop_group(process)
        _close_pipes(process)
        raise
    result = subprocess.CompletedProcess(args, process.returncode, stdout, stderr)
    return _checked(result, what) if check else result


def _checked(
    result: subprocess.CompletedProcess[str], what: str
) -> subprocess.CompletedProcess[str]:
    """``result``, or a Failure quoting its last output line when it exited non-zero."""
    if result.returncode != 0:
        args = result.args
        lines = (result.stderr.strip() or result.stdout.strip() or "no output").splitlines()
        raise Failure(
            f"{what or ' '.join(args[:3])} failed (exit {result.returncode}): {lines[-1][:300]}",
            "the full command was: " + " ".join(args),
        )
    return result


def start(
    cmd: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    what: str = "",
) -> Started:
    """Start ``cmd`` as :func:`run` starts it and leave it running while npinit does other
    work (:class:`Started`: its caller waits for it, or stops it)."""
    args = [str(c) for c in cmd]
    try:
        process, release = _start(args, cwd, env)
    except (FileNotFoundError, PermissionError, NotADirectoryError):
        raise Failure(f"{args[0]} could not be started", "check that it is installed") from None
    return Started(process, release, args, what)


class Started:
    """A child :func:`start` left running. The stops that come meanwhile are held until
    :meth:`watch`: call it first inside the ``try`` whose ``except BaseException`` calls
    :meth:`stop`, so that nothing can stop npinit and leave the child running.
    :meth:`wait` collects it as :func:`run` would (a non-zero exit is a Failure)."""

    def __init__(
        self,
        process: subprocess.Popen[str],
        release: Callable[[], None],
        args: list[str],
        what: str,
    ) -> None:
        self.process = process
        self.args = args
        self.what = what
        self._release: Callable[[], None] | None = release
        self._ended = False

    def watch(self) -> None:
        """Act on the stops held since the child started (the first call only)."""
        release, self._release = self._release, None
        if release is not None:
            release()

    def wait(self) -> subprocess.CompletedProcess[str]:
        """Its output, once it ended (a Failure quoting it when it exited non-zero)."""
        self.watch()
        stdout, stderr = _communicate(self.process, None)
        self._ended = True
        result = subprocess.CompletedProcess(self.args, self.process.returncode, stdout, stderr)
        return _checked(result, self.what)

    def stop(self) -> None:
        """Stop its whole group and wait for it (nothing if it was waited for already)."""
        if not self._ended:
            self._ended = True
            _stop_group(self.process)
            _close_pipes(self.process)
        self.watch()
