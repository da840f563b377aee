"""`npinit new` at a real terminal (a pseudo-terminal), as a workshop newcomer types: wrong
answers are asked again with the option's own reason, later questions offer only what fits,
Ctrl-C writes nothing; and a pipe gets the same questions as a terminal."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import tree

pytestmark = pytest.mark.e2e


class Terminal:
    """npinit on a pseudo-terminal: wait for text it prints, then type (no timing guesses)."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        env = {**os.environ, "TERM": "xterm", "COLUMNS": "200"}
        pid, fd = pty.fork()
        if pid == 0:  # the child: npinit, with default signal dispositions
            os.chdir(cwd)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.execvpe(sys.executable, [sys.executable, "-m", "npinit", *args], env)
        self.pid, self.fd, self.seen, self.mark = pid, fd, "", 0

    def expect(self, text: str, timeout: float = 60) -> str:
        """Everything printed since the last expect, up to and including ``text``."""
        while text not in self.seen[self.mark :]:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            assert ready, f"waited {timeout} s for {text!r}; the screen had:\n{self.seen[-2000:]}"
            try:
                chunk = os.read(self.fd, 4096).decode(errors="replace")
            except OSError:
                chunk = ""
            assert chunk, f"npinit ended before {text!r}:\n{self.seen[-2000:]}"
            self.seen += chunk.replace("\r\n", "\n")
        end = self.seen.index(text, self.mark) + len(text)
        found, self.mark = self.seen[self.mark : end], end
        return found

    def type(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\r")

    def _drain(self, deadline: float) -> bool:
        """Read what npinit printed until it closes the terminal or ``deadline``; True if closed."""
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return False
            try:
                chunk = os.read(self.fd, 4096).decode(errors="replace")
            except OSError:
                return True
            if not chunk:
                return True
            self.seen += chunk.replace("\r\n", "\n")
        return False

    def finish(self, timeout: float = 60) -> int:
        """npinit's exit code; a child still running after ``timeout`` is killed and fails."""
        closed = self._drain(time.monotonic() + timeout)
        if not closed:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            pytest.fail(f"npinit still ran after {timeout} s:\n{self.seen[-2000:]}")
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)

    def interrupt(self, timeout: float = 60) -> int:
        """Ctrl-C as the terminal sends it, again until npinit ends (a ^C typed while the
        terminal is still switching modes can be lost); npinit's exit code."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            os.write(self.fd, b"\x03")
            if self._drain(min(deadline, time.monotonic() + 1.0)):
                _, status = os.waitpid(self.pid, 0)
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        pytest.fail(f"npinit ignored Ctrl-C for {timeout} s:\n{self.seen[-2000:]}")


def test_wrong_answers_are_asked_again_with_the_reason(tmp_path: Path) -> None:
    term = Terminal(["new", "--platform", "linux-64"], tmp_path)
    term.expect("Project name [my-project]: ")
    term.type("demo")
    term.expect("Package manager (conda, pip, poetry, uv, pixi) [conda]: ")
    term.type("pip")
    term.expect("Python version (")
    term.type("2.7")
    said = term.expect("Python version (")
    assert "'2.7' is not a Python version of the form 3.X" in said
    term.type("3.7")
    assert "no NumPy release has wheels for Python 3.7" in term.expect("Python version (")
    term.type("3.12")
    term.expect("NumPy version (")
    term.type("3.12")  # a Python version where a NumPy release belongs
    said = term.expect("NumPy version (")
    assert "NumPy 3.12 is not a release line npinit knows" in said
    term.type("2.3")
    said = term.expect("[default]: ")
    question = said.splitlines()[-1]
    assert "openblas" in question
    for absent in ("mkl", "blis", "netlib", "accelerate"):
        assert absent not in question.split(";")[0]  # pip's BLAS list offers none of these
    term.type("mkl")
    said = term.expect("[default]: ")
    assert "not MKL" in said and "--manager conda --blas mkl" in said  # the option's reason
    term.type("")
    term.expect("BLAS threads")  # no platform question: --platform was given
    term.type("many")
    assert "'many' is not a number of threads" in term.expect("BLAS threads")
    term.type("")
    term.expect("Extra package")
    term.type("scipy>=1.14")
    term.expect("Extra package")
    term.type("")
    term.expect("(github, gitlab, none) [github]: ")
    term.type("travis")
    said = term.expect("(github, gitlab, none) [github]: ")
    assert "unknown CI 'travis' (choose one of github, gitlab, none)" in said
    term.type("gitlab")
    summary = term.expect("Write it? [Y/n]: ")
    assert "requirements.txt: numpy==2.3.5" in summary and "scipy>=1.14" in summary
    term.type("y")
    assert term.finish() == 0, term.seen[-2000:]
    assert "Next: cd demo && npinit create" in term.seen
    assert "source .venv/bin/activate" in term.seen
    requirements = (tmp_path / "demo/requirements.txt").read_text()
    assert "numpy==2.3.5" in requirements and "scipy>=1.14" in requirements


def test_ctrl_c_at_the_third_question_writes_nothing(tmp_path: Path) -> None:
    term = Terminal(["new"], tmp_path)
    term.expect("Project name [my-project]: ")
    term.type("demo")
    term.expect("Package manager")
    term.type("")
    term.expect("Python version (")
    assert term.interrupt() == 130
    assert "interrupted" in term.seen and "Traceback" not in term.seen
    assert list(tmp_path.iterdir()) == []


def test_the_defaults_to_the_end_make_a_valid_project(tmp_path: Path) -> None:
    term = Terminal(["new"], tmp_path)
    questions = ("Project name", "Package manager", "Python version", "NumPy version",
                 "Platforms", "BLAS (", "conda channel", "BLAS threads", "Extra package",
                 "CI workflow")  # fmt: skip
    for question in questions:
        term.expect(question)
        term.expect("]: ")
        term.type("")
    term.expect("Write it? [Y/n]: ")
    term.type("maybe")
    said = term.expect("Write it? [Y/n]: ")
    assert "'maybe' is neither yes nor no (answer y or n" in said
    term.type("")
    assert term.finish() == 0, term.seen[-2000:]
    project = tmp_path / "my-project"
    assert (project / "environment.yml").is_file() and (project / ".npinit.toml").is_file()
    assert (project / ".github/workflows/environment.yml").is_file()  # github by default
    assert "Next: cd my-project && npinit create" in term.seen
    assert "conda activate ./.conda" in term.seen


def test_an_existing_target_is_reported_before_any_question(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo/notes.txt").write_text("mine")
    term = Terminal(["new", "demo"], tmp_path)
    assert term.finish() == 2
    assert "already exists and is not empty" in term.seen and "Package manager" not in term.seen
    term = Terminal(["new"], tmp_path)
    term.expect("Project name [my-project]: ")
    term.type("demo")
    said = term.expect("Project name [my-project]: ")
    assert "already exists and is not empty" in said
    assert term.interrupt() == 130


ANSWERS = ["demo", "conda", "3.12", "2.4", "linux-64,win-64", "mkl", "conda-forge", "4",
           "scipy", "", "gitlab", "y"]  # fmt: skip
OPTIONS = ["demo", "--manager", "conda", "--python", "3.12", "--numpy", "2.4", "--blas", "mkl",
           "--channel", "conda-forge", "--platform", "linux-64", "--platform", "win-64",
           "--threads", "4", "--with", "scipy", "--ci", "gitlab"]  # fmt: skip


def test_a_pipe_gets_the_same_questions_and_writes_what_no_input_writes(tmp_path: Path) -> None:
    piped, flags = tmp_path / "piped", tmp_path / "flags"
    piped.mkdir()
    flags.mkdir()
    run = [sys.executable, "-m", "npinit", "new"]
    answered = subprocess.run(
        run, cwd=piped, input="\n".join(ANSWERS) + "\n", capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert answered.returncode == 0, answered.stdout + answered.stderr
    assert "Write it?" in answered.stdout
    given = subprocess.run(
        [*run, *OPTIONS, "--no-input"], cwd=flags, capture_output=True, text=True, timeout=120
    )
    assert given.returncode == 0, given.stderr
    assert tree(piped / "demo") == tree(flags / "demo")


def test_help_shows_three_examples_and_completion_works(tmp_path: Path) -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "npinit", "new", "--help"], capture_output=True, text=True
    ).stdout
    assert "npinit new demo --manager conda --blas mkl" in shown
    assert "npinit new demo --manager pip" in shown and "--platform all" in shown
    env = {**os.environ, "_NPINIT_COMPLETE": "bash_complete", "COMP_WORDS": "npinit new --manager ",
           "COMP_CWORD": "3"}  # fmt: skip
    completed = subprocess.run(
        [sys.executable, "-m", "npinit"], env=env, capture_output=True, text=True
    ).stdout.split()
    assert completed == [f"plain,{m}" for m in ("conda", "pip", "poetry", "uv", "pixi")]


def test_platforms_come_before_the_blas_so_no_answer_is_a_dead_end(tmp_path: Path) -> None:
    term = Terminal(["new", "kit", "--manager", "conda", "--numpy", "2.4.6"], tmp_path)
    term.expect("Python version (")
    python = term.expect("]: ")
    assert "default 3.12: npinit's default" in python and python.endswith("[3.12]: ")
    term.type("")
    term.expect("Platforms (")
    term.expect("]: ")
    term.type("all")
    question = term.expect("[default]: ").splitlines()[-1]
    offered = question.split("(", 1)[1].split(";")[0]
    assert "openblas" in offered and "mkl" not in offered  # not on osx-arm64
    assert "mkl on win-64" in question and "openblas on osx-arm64" in question
    term.type("mkl")  # the old dead end: refused with the reason, and asked again
    said = term.expect("[default]: ")
    assert "osx-arm64" in said
    term.type("")
    for question in ("conda channel", "BLAS threads", "Extra package", "CI workflow"):
        term.expect(question)
        term.expect("]: ")
        term.type("")
    term.expect("Write it? [Y/n]: ")
    term.type("y")
    assert term.finish() == 0, term.seen[-2000:]
    answers = (tmp_path / "kit/.npinit.toml").read_text()
    assert 'python = "3.12"' in answers
