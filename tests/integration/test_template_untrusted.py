"""What an untrusted --template may not do (issue 24, items 2, 5, 7, 11 and 13): run its code
through --create, plant a repository or an environment, hang npinit on a FIFO, break it into a
traceback, or render without bound. Each is one line, exit 2, and nothing is written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import invoke
from tests.integration.test_templates import BASE, write_template

P = "{{cookiecutter.project_name}}"


def new(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], template: Path, *extra: str,
    name: str = "proj",
) -> tuple[int, str, str]:  # fmt: skip
    out = str(tmp_path / "out")
    return invoke(
        ["new", name, *BASE, "--template", str(template), "--output-dir", out, *extra],
        tmp_path,
        capsys,
    )


def refused(code: int, out: str, err: str) -> bool:
    """Exit 2 with one line on stderr and no traceback."""
    return code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in out + err


# -- item 2: --create runs the template's code ---------------------------------------------


def test_create_with_an_untrusted_template_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "template-code-ran"
    code = f"from pathlib import Path\nPath({str(marker)!r}).write_text('yes')\n"
    template = write_template(
        tmp_path,
        {
            f"{P}/tests/test_environment.py": code + "def test_it():\n    pass\n",
            f"{P}/tests/conftest.py": code,
            f"{P}/conftest.py": code,
        },
    )
    code_, out, err = new(tmp_path, capsys, template, "--create")
    assert refused(code_, out, err), err
    for what in ("tests/test_environment.py", "conftest.py", "build backend", "--trust"):
        assert what in err
    assert not marker.exists()
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_create_is_refused_before_any_question(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write_template(tmp_path, {f"{P}/a.txt": "a\n"})
    code, out, err = invoke(
        ["new", "--template", str(template), "--create", "--output-dir", str(tmp_path / "o")],
        tmp_path,
        capsys,
        stdin="proj\n",
    )
    assert refused(code, out, err), err
    assert out == ""  # no question was asked


def test_an_untrusted_project_says_that_create_runs_its_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write_template(tmp_path, {f"{P}/a.txt": "a\n"})
    code, out, err = new(tmp_path, capsys, template)
    assert code == 0, err
    assert "note: npinit create runs code this template wrote" in out
    code, out, err = new(tmp_path, capsys, template, "--trust", name="trusted")
    assert code == 0, err
    assert "npinit create runs code" not in out


# -- item 5: no repository, no environment from an untrusted template ----------------------

PLANTED = {
    f"{P}/.git/config": "[core]\n\tfsmonitor = touch PWNED\n",
    f"{P}/.venv/bin/python": "#!/bin/sh\ntouch PWNED\n",
    f"{P}/.conda/conda-meta/history": "",
    f"{P}/.pixi/envs/default/bin/python": "#!/bin/sh\ntouch PWNED\n",
    f"{P}/sub/.git": "gitdir: /elsewhere\n",
    f"{P}/.Venv/bin/python": "#!/bin/sh\ntouch PWNED\n",
    f"{P}/.hg/hgrc": "[hooks]\npre-status = touch PWNED\n",
    f"{P}/kept.txt": "kept\n",
    f"{P}/sub/kept.txt": "kept\n",
}


def test_repositories_and_environments_are_left_out_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write_template(tmp_path, PLANTED)
    code, out, err = new(tmp_path, capsys, template, "--json")
    assert code == 0, err
    project = tmp_path / "out/proj"
    written = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    assert written == ["kept.txt", "sub", "sub/kept.txt"]
    (note,) = [n for n in json.loads(out)["warnings"] if "left out" in n]
    for name in (".git", ".venv", ".conda", ".pixi", ".hg", "sub/.git", ".Venv"):
        assert name in note


def test_trust_keeps_what_the_template_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write_template(tmp_path, PLANTED)
    code, out, err = new(tmp_path, capsys, template, "--trust")
    assert code == 0, err
    assert (tmp_path / "out/proj/.git/config").is_file()
    assert (tmp_path / "out/proj/.venv/bin/python").is_file()
    assert "left out" not in out


def test_every_environment_folder_of_a_manager_is_left_out() -> None:
    from npinit.managers import REGISTRY, module_for
    from npinit.template_render import LEFT_OUT

    assert {module_for(m).ENV_DIR for m in REGISTRY} <= set(LEFT_OUT)
    assert ".git" in LEFT_OUT


# -- item 7: a FIFO in a template ----------------------------------------------------------


@pytest.mark.timeout(60)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_a_template_is_refused_without_hanging(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write_template(tmp_path, {f"{P}/a.txt": "a\n"})
    os.mkfifo(template / P / "pipe")
    code, out, err = new(tmp_path, capsys, template)
    assert refused(code, out, err), err
    assert "pipe is not a regular file" in err
    assert not (tmp_path / "out/proj").exists()


# -- item 11: hostile names and values -----------------------------------------------------


def _loop(template: Path) -> None:
    os.symlink("loop", template / P / "loop")


def _pair(template: Path) -> None:
    os.symlink("b", template / P / "a")
    os.symlink("a", template / P / "b")


@pytest.mark.parametrize(
    ("context", "change", "said"),
    [
        ({"f": "a\u0000b"}, None, "control character"),
        ({"f": "a\nb"}, None, "control character"),
        ({"f": "d/" * 2000 + "x"}, None, "too long"),
        ({"f": "x" * 300}, None, "too long"),
        ({}, _loop, "loops"),
        ({}, _pair, "loops"),
        ({"_new_lines": 5}, None, "_new_lines"),
        ({"_new_lines": "\t"}, None, "_new_lines"),
        ({"_new_lines": ["\n"]}, None, "_new_lines"),
    ],
    ids=["nul", "newline", "deep-name", "long-name", "link-loop", "link-pair", "nl-int",
         "nl-tab", "nl-list"],
)  # fmt: skip
def test_hostile_template_input_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], context: dict[str, object],
    change: object, said: str,
) -> None:  # fmt: skip
    template = write_template(
        tmp_path, {f"{P}/{{{{cookiecutter.f}}}}": "x\n"}, {"project_name": "x", "f": "f", **context}
    )
    if callable(change):
        change(template)
    code, out, err = new(tmp_path, capsys, template)
    assert refused(code, out, err), err
    assert said in err
    assert not (tmp_path / "out/proj").exists()


@pytest.mark.parametrize("depth", [600, 100_000])  # rendered recursively; too deep to parse
def test_deeply_nested_cookiecutter_json_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], depth: int
) -> None:
    template = write_template(tmp_path, {f"{P}/a.txt": "a\n"})
    (template / "cookiecutter.json").write_text(
        '{"project_name": "x", "deep": ' + "[" * depth + "]" * depth + "}"
    )
    code, out, err = new(tmp_path, capsys, template)
    assert refused(code, out, err), err
    assert "nested" in err


# -- item 13: bounded rendering ------------------------------------------------------------


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "text",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{{ random_ascii_string(10**10) }}",
    ],
    ids=["nested-loops", "random-string"],
)
def test_rendering_has_a_deadline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("NPINIT_TEMPLATE_TIMEOUT", "3")
    template = write_template(tmp_path, {f"{P}/a.txt": text})
    code, out, err = new(tmp_path, capsys, template)
    assert refused(code, out, err), err
    assert "within 3 s" in err or "memory" in err
    assert not (tmp_path / "out/proj").exists()


@pytest.mark.timeout(120)
def test_the_child_stops_itself_when_no_parent_enforces_the_deadline(tmp_path: Path) -> None:
    """A parent killed by SIGKILL never stops its child: the child's own CPU limit does."""
    import subprocess

    from npinit.errors import InvalidInput
    from npinit.template_fetch import Limits
    from npinit.template_process import render_bounded

    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    template = write_template(tmp_path, {f"{P}/a.txt": loop})
    (tmp_path / "out").mkdir()

    def no_deadline(command: list[str], cwd: Path, **_: object) -> object:
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=110)

    with pytest.raises(InvalidInput, match="renderer ended with exit -24"):
        render_bounded(
            template, {"project_name": "proj"}, tmp_path / "out", Limits(seconds=1), run=no_deadline
        )


def test_rendered_output_has_a_size_bound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NPINIT_TEMPLATE_MAX_BYTES", "1000000")
    template = write_template(
        tmp_path,
        {
            f"{P}/a.txt": "{% for i in range(2000) %}{{ 'x' * 10000 }}{% endfor %}",
            f"{P}/b.txt": "small\n",
        },
    )
    code, out, err = new(tmp_path, capsys, template)
    assert refused(code, out, err), err
    assert "more than 1 MB" in err
    assert not (tmp_path / "out/proj").exists()
    monkeypatch.delenv("NPINIT_TEMPLATE_MAX_BYTES")
    code, _, err = new(tmp_path, capsys, template, name="within")  # 20 MB fits the default
    assert code == 0, err
    assert (tmp_path / "out/within/a.txt").stat().st_size == 20_000_000


def test_rendering_has_a_memory_bound(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """2 GB in one value: the renderer's address space is bounded below that."""
    template = write_template(tmp_path, {f"{P}/a.txt": "{{ 'x' * 2000000000 }}"})
    code, out, err = new(tmp_path, capsys, template)
    assert refused(code, out, err), err
    assert "a.txt needs more memory than npinit allows" in err
    assert not (tmp_path / "out/proj").exists()


def test_a_relative_template_path_renders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bounded renderer runs elsewhere: a path relative to where npinit runs still works."""
    write_template(tmp_path, {f"{P}/a.txt": "{{ cookiecutter.project_name }}\n"})
    code, _, err = invoke(
        ["new", "proj", *BASE, "--template", "tpl", "--output-dir", "out"], tmp_path, capsys
    )
    assert code == 0, err
    assert (tmp_path / "out/proj/a.txt").read_text() == "proj\n"
