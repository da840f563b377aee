"""A template from the internet is hostile until trusted: it must not write outside its
project, nor run code, nor break npinit into a traceback. And ``--force`` never reaches
outside the target nor leaves it half-written."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import invoke
from tests.integration.test_templates import BASE, write_template

ESCAPES = {
    "globals": "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "self": "{{ self.__init__.__globals__.__builtins__.open('PWNED', 'w') }}",
    "joiner": "{{ joiner.__init__.__globals__.os.system('touch PWNED') }}",
    "namespace": "{{ namespace.__init__.__globals__.os.system('touch PWNED') }}",
    "lipsum": "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    "format": "{{ '{0.__class__.__mro__}'.format('') }}",
    "attr-filter": "{{ (cycler|attr('__init__')|attr('__globals__'))['os'].system('touch PWNED')"
    " }}",
}


def checksums(root: Path) -> dict[str, str]:
    """Every file and link below ``root``: content digest, link target, or 'dir'."""
    found = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_dir():
            found[key] = "dir"
        else:
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def new(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    template: Path,
    *extra: str,
    name: str = "proj",
) -> tuple[int, str, str]:
    return invoke(
        [
            "new",
            name,
            *BASE,
            "--template",
            str(template),
            "--output-dir",
            str(tmp_path / "out"),
            *extra,
        ],
        tmp_path,
        capsys,
    )


@pytest.fixture
def sibling(tmp_path: Path) -> Path:
    """A tree beside the project that must come out byte for byte the same."""
    root = tmp_path / "sibling"
    (root / "deep").mkdir(parents=True)
    (root / "victim.txt").write_text("precious\n")
    (root / "deep/data.csv").write_text("1,2,3\n")
    return root


@pytest.mark.parametrize(
    "evil",
    [
        "{sibling}/victim.txt",
        "{{{{ '.' ~ '.' }}}}/{{{{ '.' ~ '.' }}}}/sibling/victim.txt",
        "../../sibling/victim.txt",
        "a/../../../sibling/victim.txt",
        "\\..\\..\\sibling\\victim.txt",
    ],
)
def test_rendered_file_names_never_leave_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sibling: Path, evil: str
) -> None:
    template = write_template(
        tmp_path,
        {
            "{{cookiecutter.project_name}}/{{cookiecutter.f}}": "pwned\n",
            "{{cookiecutter.project_name}}/ok.txt": "ok\n",
        },
        {"project_name": "x", "f": evil.format(sibling=sibling)},
    )
    before = checksums(sibling)
    code, _, err = new(tmp_path, capsys, template)
    assert code == 2, err
    assert "outside the project" in err and len(err.strip().splitlines()) == 1
    assert checksums(sibling) == before
    assert not (tmp_path / "out/proj").exists()
    assert [p.name for p in (tmp_path / "out").iterdir()] == []  # no staging left


def test_a_project_folder_name_that_climbs_out_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sibling: Path
) -> None:
    template = write_template(
        tmp_path,
        {"{{cookiecutter.folder}}/victim.txt": "pwned\n"},
        {"project_name": "x", "folder": "../sibling"},
    )
    before = checksums(sibling)
    code, _, err = new(tmp_path, capsys, template)
    assert code == 2 and "outside the project" in err
    assert checksums(sibling) == before


@pytest.mark.parametrize("where", ["file", "name", "default"])
@pytest.mark.parametrize("escape", sorted(ESCAPES))
def test_the_classic_jinja_escapes_run_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], escape: str, where: str
) -> None:
    payload = ESCAPES[escape]
    files = {"{{cookiecutter.project_name}}/README.md": "fine\n"}
    context = {"project_name": "x", "v": "1"}
    if where == "file":
        files["{{cookiecutter.project_name}}/evil.txt"] = payload
    elif where == "name":
        files["{{cookiecutter.project_name}}/" + payload.replace("/", "") + ".txt"] = "x"
    else:
        context["v"] = payload
    template = write_template(tmp_path, files, context)
    code, _, err = new(tmp_path, capsys, template)
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "out/proj/PWNED").exists()
    assert not list(tmp_path.rglob("PWNED"))
    assert code == 2, err
    assert "sandbox" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out/proj").exists()


def test_trust_renders_outside_the_sandbox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--trust is consent: what the sandbox forbids runs (so the sandbox is what stopped it)."""
    template = write_template(
        tmp_path,
        {"{{cookiecutter.project_name}}/evil.txt": ESCAPES["globals"].replace("PWNED", "TRUSTED")},
    )
    code, _, err = new(tmp_path, capsys, template, "--trust")
    assert code == 0, err
    assert list(tmp_path.rglob("TRUSTED"))


def test_extensions_are_imported_only_with_trust(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    module_dir = tmp_path / "modules"
    module_dir.mkdir()
    marker = tmp_path / "imported"
    (module_dir / "evil_ext.py").write_text(
        "from pathlib import Path\n"
        f"Path({str(marker)!r}).write_text('yes')\n"
        "from jinja2.ext import Extension\n"
        "class Shout(Extension):\n"
        "    def __init__(self, environment):\n"
        "        super().__init__(environment)\n"
        "        environment.filters['shout'] = lambda s: s.upper()\n"
    )
    monkeypatch.syspath_prepend(str(module_dir))
    template = write_template(
        tmp_path,
        {"{{cookiecutter.project_name}}/a.txt": "{{ 'hi' | shout }}\n"},
        {"project_name": "x", "_extensions": ["evil_ext.Shout"]},
    )
    code, _, err = new(tmp_path, capsys, template)
    assert code == 2 and "--trust" in err and "Traceback" not in err
    assert not marker.exists()
    sys.modules.pop("evil_ext", None)
    code, _, err = new(tmp_path, capsys, template, "--trust", name="trusted")
    assert code == 0, err
    assert marker.exists()
    assert (tmp_path / "out/trusted/a.txt").read_text() == "HI\n"
    sys.modules.pop("evil_ext", None)


def test_cookiecutter_features_still_render_in_the_sandbox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Choices, derived defaults, private variables, dict variables, cookiecutter's own
    filters, copy-without-render and binary files: what real templates use."""
    template = write_template(
        tmp_path,
        {
            "{{cookiecutter.project_name}}/{{cookiecutter.module}}/__init__.py": (
                "# {{ cookiecutter.license }} {{ cookiecutter.meta.year }}\n"
            ),
            "{{cookiecutter.project_name}}/slug.txt": "{{ cookiecutter.title | slugify }}\n",
            "{{cookiecutter.project_name}}/static/{{raw}}.js": "{{ not rendered }}",
        },
        {
            "project_name": "x",
            "title": "My Great Project",
            "module": "{{ cookiecutter.title.lower().replace(' ', '_') }}",
            "license": ["BSD-3-Clause", "MIT"],
            "meta": {"year": "2026"},
            "_copy_without_render": ["static"],
        },
    )
    (template / "{{cookiecutter.project_name}}/logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00{{")
    code, _, err = new(tmp_path, capsys, template)
    assert code == 0, err
    project = tmp_path / "out/proj"
    assert (project / "my_great_project/__init__.py").read_text() == "# BSD-3-Clause 2026\n"
    assert (project / "slug.txt").read_text() == "my-great-project\n"
    assert (project / "static/{{raw}}.js").read_text() == "{{ not rendered }}"
    assert (project / "logo.png").read_bytes() == b"\x89PNG\r\n\x1a\n\x00{{"


@pytest.mark.parametrize(
    ("context_text", "files", "said"),
    [
        ('{"project_name": "x",', {}, "not valid JSON"),
        ('["project_name"]', {}, "not a JSON object"),
        ('{"project_name": "x", "license": []}', {}, "'license' has no choices"),
        ('{"project_name": "x", "_copy_without_render": 5}', {}, "_copy_without_render"),
        ('{"project_name": "x"}', {"a.txt": "{% if %}"}, "a.txt line 1 is not valid Jinja"),
        ('{"project_name": "x"}', {"a.txt": "{{ 1/0 }}"}, "ZeroDivisionError"),
        ('{"project_name": "x"}', {"a.txt": "{{ cookiecutter.nope }}"}, "a.txt could not be"),
        ('{"project_name": "x", "v": "{{ 1/0 }}"}', {"a.txt": "a"}, "variable 'v'"),
        ('{"project_name": "x", "v": "{% for %}"}', {"a.txt": "a"}, "variable 'v'"),
    ],
)
def test_broken_templates_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], context_text: str, files: Any, said: str
) -> None:
    template = write_template(
        tmp_path, {f"{{{{cookiecutter.project_name}}}}/{k}": v for k, v in files.items()}
    )
    (template / "cookiecutter.json").write_text(context_text)
    code, out, err = new(tmp_path, capsys, template)
    assert code == 2, err
    assert said in err and "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out/proj").exists()


def test_a_failing_hook_is_one_line(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    template = write_template(
        tmp_path,
        {
            "{{cookiecutter.project_name}}/a.txt": "a\n",
            "hooks/post_gen_project.py": "import sys\nprint('noise')\nraise SystemExit('no way')\n",
        },
    )
    code = None
    try:
        from npinit.cli import main

        os.chdir(tmp_path)
        main(
            [
                "new",
                "proj",
                *BASE,
                "--template",
                str(template),
                "--trust",
                "--output-dir",
                str(tmp_path / "out"),
            ]
        )
    except SystemExit as stop:
        code = stop.code
    out, err = capfd.readouterr()
    assert code == 1
    assert err.strip().splitlines() == [
        "npinit: error: the template's post_gen_project hook failed (exit 1): no way "
        "(the project was not written)"
    ]
    assert "noise" not in out and not (tmp_path / "out/proj").exists()


def test_summary_names_no_environment_file_the_template_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write_template(tmp_path, {"{{cookiecutter.project_name}}/a.txt": "a\n"})
    code, out, err = new(tmp_path, capsys, template, "--json")
    data = json.loads(out)
    assert code == 0, err
    assert data["files"] == ["a.txt"]
    assert data["spec_file"] is None and data["spec_lines"] == []
    code, out, _ = new(tmp_path, capsys, template, name="text")
    assert "requirements.txt" not in out and "wrote no environment file" in out


def test_a_zip_template_leaves_no_temporary_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    template = write_template(tmp_path, {"{{cookiecutter.project_name}}/a.txt": "a\n"})
    archive = tmp_path / "tpl.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("tpl/", "")
        for path in template.rglob("*"):
            zf.write(path, Path("tpl") / path.relative_to(template))
    for name in ("one", "two"):
        code, _, err = new(tmp_path, capsys, archive, name=name)
        assert code == 0, err
    assert list(scratch.iterdir()) == []


# -- --force -------------------------------------------------------------------------------


def _bundled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    return invoke(
        ["new", "a3", *BASE, "--output-dir", str(tmp_path), "--force", *extra], tmp_path, capsys
    )


def test_force_never_writes_through_a_symlink_out_of_the_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "a3").mkdir(parents=True)
    (elsewhere / "a3/__init__.py").write_text("mine\n")
    target = tmp_path / "a3"
    target.mkdir()
    (target / "notes.txt").write_text("keep\n")
    (target / "src").symlink_to(elsewhere)
    before, before_target = checksums(elsewhere), checksums(target)
    code, _, err = _bundled(tmp_path, capsys)
    assert code == 2, err
    assert "symlink" in err and "outside the project" in err
    assert checksums(elsewhere) == before and checksums(target) == before_target


def test_force_with_a_symlink_inside_the_target_is_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "a3"
    (target / "real").mkdir(parents=True)
    (target / "src").symlink_to("real")
    code, _, err = _bundled(tmp_path, capsys)
    assert code == 0, err
    assert (target / "real/a3/__init__.py").is_file()


@pytest.mark.parametrize(
    ("blocker", "kind"), [("src", "file"), ("README.md", "dir"), ("tests", "file")]
)
def test_force_checks_every_path_before_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], blocker: str, kind: str
) -> None:
    target = tmp_path / "a3"
    target.mkdir()
    (target / "keep.txt").write_text("keep\n")
    if kind == "file":
        (target / blocker).write_text("in the way\n")
    else:
        (target / blocker).mkdir()
        (target / blocker / "inside.txt").write_text("x\n")
    before = checksums(tmp_path)
    code, _, err = _bundled(tmp_path, capsys)
    assert code == 2, err
    assert blocker in err and len(err.strip().splitlines()) == 1
    assert checksums(tmp_path) == before  # not one file written, no staging left


@pytest.mark.parametrize("nth", [1, 4, 8])  # 8 files: the last one fails
def test_force_puts_everything_back_when_a_move_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, nth: int
) -> None:
    """A failure after some files went in (injected at the n-th move) restores the old
    files and removes the new ones and the folders made for them."""
    import npinit.faults

    target = tmp_path / "a3"
    target.mkdir()
    (target / "README.md").write_text("my own readme\n")
    (target / "keep.txt").write_text("keep\n")
    before = checksums(tmp_path)
    monkeypatch.setenv("NPINIT_TEST_FAULT", f"force-move#{nth}")
    monkeypatch.setattr(npinit.faults, "_passed", {})
    code, _, err = _bundled(tmp_path, capsys)
    assert code == 1 and "injected fault" in err
    assert checksums(tmp_path) == before
    monkeypatch.delenv("NPINIT_TEST_FAULT")
    code, _, err = _bundled(tmp_path, capsys)
    assert code == 0 and (target / "keep.txt").read_text() == "keep\n"
    assert (target / "README.md").read_text() != "my own readme\n"
