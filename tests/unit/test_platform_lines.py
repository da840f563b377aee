"""The requirement lines a pip project's resolution leaves out: those whose markers hold on
none of the recorded platforms (a ``\\``-continued requirement with its hashes as one)."""

from __future__ import annotations

from pathlib import Path

from npinit.knowledge.platforms import marker_environment
from npinit.model import Platform
from npinit.record.platform_lines import elsewhere_only, pyproject_lines, requirement_marker

TEXT = """\
# a comment; sys_platform == "win32"
-r base.txt
numpy>=2.1
numba==0.60.0 ; sys_platform == "win32" \\
    --hash=sha256:aaaa
pywin32; os_name == 'nt'  # Windows only
uvloop; sys_platform != "win32"
odd; python_version >= "3.9" and platform_machine == "arm64"
"""


def test_lines_for_no_recorded_platform_are_found_with_their_continuations() -> None:
    linux = [marker_environment(Platform.LINUX_64, "3.12")]
    assert elsewhere_only(TEXT, linux) == [3, 4, 5, 7]
    windows = [marker_environment(Platform.WIN_64, "3.12")]
    assert elsewhere_only(TEXT, windows) == [6, 7]
    both = [*linux, marker_environment(Platform.OSX_ARM64, "3.12"), *windows]
    assert elsewhere_only(TEXT, both) == []


def test_a_line_that_is_no_requirement_has_no_marker() -> None:
    assert requirement_marker('-r base.txt ; sys_platform == "win32"') == ""
    assert requirement_marker("# numpy; os_name == 'nt'") == ""
    assert requirement_marker("numpy ; os_name == 'nt' --hash=sha256:aa") == 'os_name == "nt"'


def test_a_pep621_file_without_the_lines_for_no_recorded_platform(tmp_path: Path) -> None:
    """Its ``[project]`` dependencies as a requirements file when some are left out; the
    file itself when none is, or when uv must read it (dynamic, [tool.uv.sources])."""
    linux = [marker_environment(Platform.LINUX_64, "3.12")]
    path, target = tmp_path / "pyproject.toml", tmp_path / "out.txt"
    text = '[project]\nname = "d"\ndependencies = ["numpy", "pywin32; os_name == \'nt\'"]\n'
    assert pyproject_lines(path, text, linux, target) == target
    assert target.read_text() == "numpy\n"
    windows = [marker_environment(Platform.WIN_64, "3.12")]
    assert pyproject_lines(path, text, windows, target) == path
    sources = text + '\n[tool.uv.sources]\nnumpy = { path = "numpy" }\n'
    assert pyproject_lines(path, sources, linux, target) == path
    dynamic = '[project]\nname = "d"\ndynamic = ["dependencies"]\n'
    assert pyproject_lines(path, dynamic, linux, target) == path
