import random
import re
import subprocess
import sys
from typing import Any

import pytest

from npinit import spec
from npinit.errors import InvalidInput
from npinit.knowledge import releases
from npinit.model import Manager, Platform
from npinit.model_spec import Blas, Channel, ProjectSpec
from npinit.spec import build_spec, check_name, detect_platform, parse_platforms


@pytest.mark.parametrize(
    ("name", "package"),
    [("my-project", "my_project"), ("My.Project", "my_project"), ("a", "a"), ("x__y--z", "x_y_z")],
)
def test_package_name_derived(name: str, package: str) -> None:
    assert check_name(name) == (name, package)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "  ",
        "a/b",
        "a\\b",
        "..",
        "../x",
        "2fast",
        "-x",
        "x-",
        "my project",
        "con",
        "NUL",
        "com1",
        "numpy",
        "json",
        "class",
        "x" * 101,
        "café",
        "tests",
    ],
)
def test_bad_names_refused(name: str) -> None:
    with pytest.raises(InvalidInput):
        check_name(name)


def test_platforms_all_and_dedup() -> None:
    assert parse_platforms(["all", "linux-64"], None) == (
        Platform.LINUX_64,
        Platform.OSX_ARM64,
        Platform.WIN_64,
    )
    assert parse_platforms([], Platform.OSX_64) == (Platform.OSX_64,)
    with pytest.raises(InvalidInput):
        parse_platforms([], None)
    with pytest.raises(InvalidInput, match="unknown platform"):
        parse_platforms(["linux-32"], None)


@pytest.mark.parametrize(
    ("system", "machine", "platform"),
    [
        ("Linux", "x86_64", Platform.LINUX_64),
        ("Linux", "aarch64", Platform.LINUX_AARCH64),
        ("Darwin", "arm64", Platform.OSX_ARM64),
        ("Darwin", "x86_64", Platform.OSX_64),
        ("Windows", "AMD64", Platform.WIN_64),
        ("Linux", "ppc64le", None),
        ("SunOS", "sparc", None),
    ],
)
def test_detect_platform(system: str, machine: str, platform: Any) -> None:
    assert detect_platform(system, machine) is platform


def test_defaults_resolve_to_exact_values() -> None:
    spec = build_spec(name="p", manager="conda", current_platform=Platform.LINUX_64)
    assert (spec.python, spec.numpy, spec.channel, spec.blas) == (
        "3.12",
        "2.5.5",
        Channel.CONDA_FORGE,
        Blas.DEFAULT,
    )
    assert spec.blas_choices[0].variant == "openblas"


def test_python_follows_numpy_when_not_given() -> None:
    spec = build_spec(name="p", manager="pip", numpy="2.0", current_platform=Platform.LINUX_64)
    assert (spec.python, spec.numpy, spec.manager) == ("3.12", "2.0.2", Manager.PIP)


def test_channel_with_pip_refused() -> None:
    with pytest.raises(InvalidInput, match="applies to conda"):
        build_spec(name="p", manager="pip", channel="defaults", current_platform=Platform.LINUX_64)


@pytest.mark.parametrize(
    ("manager", "extra", "ok"),
    [
        ("pip", "scipy>=1.14", True),
        ("pip", "scipy; python_version>'3'", True),
        ("pip", "numpy", False),
        ("pip", "sci py", False),
        ("conda", "scipy=1.14", True),
        ("conda", "libblas", False),
        ("conda", "scipy; rm -rf", False),
    ],
)
def test_with_packages(manager: str, extra: str, ok: bool) -> None:
    def make() -> ProjectSpec:
        return build_spec(
            name="p", manager=manager, with_packages=[extra], current_platform=Platform.LINUX_64
        )

    if ok:
        assert make().with_packages == (extra,)
    else:
        with pytest.raises(InvalidInput):
            make()


@pytest.mark.parametrize("threads", ["0", "-1", "x", "2000"])
def test_bad_threads(threads: Any) -> None:
    with pytest.raises(InvalidInput):
        build_spec(name="p", manager="conda", threads=threads, current_platform=Platform.LINUX_64)


# names the plain test must decide as the pattern does: runs, ends, a trailing newline (which
# the pattern's $ lets through), non-ASCII letters and digits, other separators
ODD_NAMES = ["my-project", "a", "x.y_z-w", "a--b", "a._-b", "-a", "a-", ".a", "_", "", "a b"]
ODD_NAMES += ["a\n", "\u00e9t\u00e9", "a\u0660", "\uff21", "a/b", "a\t", "9-9", "A1.B2"]


def test_a_plain_name_is_one_the_pattern_takes() -> None:
    """spec.plain_name tells a plainly valid project name without compiling the pattern: each
    name it takes, the pattern takes."""
    chars = "aZ09-_. \n\u00e9\u0660/"
    rng = random.Random(30)
    names = ODD_NAMES + ["".join(rng.choices(chars, k=rng.randint(0, 6))) for _ in range(4000)]
    plain = [name for name in names if spec.plain_name(name)]
    assert len(plain) > 200 and len(plain) < len(names) / 2
    for name in plain:
        assert re.match(spec._PROJECT_NAME, name), name


def test_a_plain_project_compiles_no_pattern_to_check_its_answers() -> None:
    """A project of plain answers (the usual ones) is checked without compiling the name,
    Python or NumPy patterns: a fresh interpreter, re's compiler spied."""
    from tests.helpers import npinit_environ

    code = (
        "import re\ncompiled = []\nreal = re._compile\n"
        "def spy(pattern, flags):\n    compiled.append(pattern)\n    return real(pattern, flags)\n"
        "re._compile = spy\nfrom npinit.spec import build_spec\n"
        "build_spec(name='my-project', manager='pip', python='3.12', numpy='2.4.6',"
        " platforms=['linux-64'])\nprint(compiled)"
    )
    env = npinit_environ({})
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    patterns = {spec._PROJECT_NAME, releases._PYTHON, releases._VERSION}
    assert patterns & set(eval(done.stdout)) == set()
