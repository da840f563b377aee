"""Property tests: whatever comments, blank lines, indentation and quoting a file has, npinit
set changes only the numpy entry and the file still parses with its consumer's parser."""

from __future__ import annotations

import difflib
import tomllib
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.requirements import Requirement
from ruamel.yaml import YAML

from npinit.editing import conda_env, requirements, toml_files

COMMENT = st.text(alphabet="abc XYZ:#'\"[]-=", max_size=20).map(lambda t: "# " + t)
PACKAGES = st.sampled_from(["scipy", "pandas>=2.0", "matplotlib", "pytest==8.0", "requests"])
NUMPY_PEP508 = st.sampled_from(
    [
        "numpy",
        "NumPy",
        "numpy>=1.25",
        "numpy==1.26.4",
        "numpy[dev]>=2.0",
        "numpy ; python_version>'3.9'",
        "numpy>=2,<3",
    ]
)
NUMPY_CONDA = st.sampled_from(["numpy", "numpy=1.26", "numpy>=1.25", "numpy 2.0.*"])


def _changed(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            PACKAGES,
            COMMENT,
            st.just(""),
            st.just("-r base.txt"),
            PACKAGES.map(lambda p: p + "  # inline"),
        ),
        max_size=8,
    ),
    st.one_of(st.none(), NUMPY_PEP508),
    st.integers(min_value=0, max_value=8),
    st.booleans(),
)
def test_requirements(lines: Any, numpy: Any, position: Any, final_newline: bool) -> None:
    if numpy is not None:
        lines.insert(min(position, len(lines)), numpy)
    text = "\n".join(lines) + ("\n" if final_newline else "")
    result = requirements.set_numpy(text, "2.4.6", "requirements.txt")
    changed = _changed(text, result)
    assert all("numpy" in line.lower() for line in changed)
    assert len([c for c in changed if c.startswith("+")]) == 1
    pins = [
        Requirement(line.split("  #")[0])
        for line in result.splitlines()
        if line.strip() and not line.startswith(("#", "-"))
    ]
    assert any(r.name.lower() == "numpy" and str(r.specifier) == "==2.4.6" for r in pins)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(PACKAGES.map(lambda p: p.replace("==", "=")), COMMENT, st.just("")), max_size=6
    ),
    st.one_of(st.none(), NUMPY_CONDA),
    st.integers(min_value=0, max_value=6),
    st.sampled_from(["  - ", "- ", "    - "]),
    st.sampled_from(["", "'", '"']),
    st.one_of(st.just(""), COMMENT.map(lambda c: "  " + c)),
    st.booleans(),
)
def test_environment_yml(
    items: Any, numpy: Any, position: Any, lead: str, quote: str, inline: bool, pip_section: bool
) -> None:
    if numpy is not None:
        items.insert(min(position, len(items)), numpy)
    body = []
    for item in items:
        if item.startswith("#") or item == "":
            body.append(lead.split("-")[0] + item if item else "")
        else:
            body.append(f"{lead}{quote}{item}{quote}{inline if item == numpy else ''}")
    if not any(i and not i.startswith("#") for i in items):
        body.append(f"{lead}python=3.12")
    if pip_section:
        body += [f"{lead}pip:", f"{lead.split('-')[0]}    - numpy-stubs"]
    text = "# env\nname: x\nchannels:\n  - conda-forge\ndependencies:\n" + "\n".join(body) + "\n"
    result = conda_env.edit(text, "environment.yml", numpy="2.4.6")
    changed = _changed(text, result)
    assert all("numpy" in line.lower() for line in changed)
    deps = YAML(typ="safe").load(result)["dependencies"]
    assert "numpy=2.4.6" in deps


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(PACKAGES.map(lambda p: f'"{p}",'), COMMENT), max_size=5),
    st.one_of(st.none(), NUMPY_PEP508),
    st.integers(min_value=0, max_value=5),
    st.sampled_from(['"', "'"]),
)
def test_pyproject(items: Any, numpy: Any, position: Any, quote: str) -> None:
    if numpy is not None:
        quote = '"' if "'" in numpy else quote
        items.insert(min(position, len(items)), f"{quote}{numpy}{quote},  # the array core")
    array = "\n".join("  " + i for i in items)
    text = (
        f'# top\n[project]\nname = "x"  # name\nrequires-python = ">=3.11"\n'
        f"dependencies = [\n{array}\n]\n\n[tool.other]\nkey = 1\n"
    )
    result = toml_files.edit_pyproject(text, "pyproject.toml", numpy="2.4.6")
    changed = _changed(text, result)
    assert all("numpy" in line.lower() for line in changed)
    deps = [Requirement(d) for d in tomllib.loads(result)["project"]["dependencies"]]
    assert [str(r.specifier) for r in deps if r.name.lower() == "numpy"] == ["==2.4.6"]
