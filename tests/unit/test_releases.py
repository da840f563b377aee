import importlib.util
import json
import re
from itertools import product
from pathlib import Path

import pytest

from npinit.errors import InvalidInput
from npinit.knowledge import releases
from npinit.model import Platform


def test_table_covers_every_patch_from_1_17_0() -> None:
    versions = [r.version for r in releases.all_releases()]
    assert versions[0] == "1.17.0"
    lines = [("1.17", 5), ("1.18", 5), ("1.19", 5), ("1.20", 3), ("1.21", 6), ("1.22", 4)]
    lines += [("1.23", 5), ("1.24", 4), ("1.25", 2), ("1.26", 4), ("2.0", 2), ("2.1", 3)]
    for line, last in [*lines, ("2.2", 6), ("2.3", 5), ("2.4", 6)]:
        assert [v for v in versions if v.startswith(line + ".")] == [
            f"{line}.{i}" for i in range(last + 1)
        ]
    assert "2.5.5" in versions


@pytest.mark.parametrize(
    ("version", "python", "supported"),
    [
        ("1.26.4", "3.9", True),
        ("1.26.4", "3.13", False),
        ("2.0.2", "3.12", True),
        ("2.1.3", "3.9", False),
        ("2.2.6", "3.13", True),
        ("2.3.1", "3.14", False),  # 3.14 wheels from 2.3.2 (DOMAIN.md)
        ("2.3.2", "3.14", True),
        ("2.4.6", "3.10", False),
        ("2.5.0", "3.11", False),
        ("2.5.5", "3.12", True),
    ],
)
def test_support_matches_domain_table(version: str, python: str, supported: bool) -> None:
    (release,) = [r for r in releases.all_releases() if r.version == version]
    assert release.supports(python) is supported


def test_accelerate_wheels_start_with_numpy_2() -> None:
    table = {r.version: r.accelerate_wheels for r in releases.all_releases()}
    assert table["1.26.4"] is False
    assert table["2.0.0"] is True


def test_resolve_latest_line_and_exact() -> None:
    assert releases.resolve_numpy("latest", "3.11").version == "2.4.6"
    assert releases.resolve_numpy("2.3", "3.12").version == "2.3.5"
    assert releases.resolve_numpy("1.26", "3.9").version == "1.26.4"
    assert releases.resolve_numpy("2.4.5", "3.12").version == "2.4.5"


def test_resolve_refusal_names_what_fits() -> None:
    with pytest.raises(InvalidInput) as caught:
        releases.resolve_numpy("1.26.4", "3.13")
    assert "3.9, 3.10, 3.11, 3.12" in caught.value.message
    assert "2.1 to 2.5" in caught.value.hint


@pytest.mark.parametrize("bad", ["2.4.99", "7.1", "two", "2.4.6rc1"])
def test_resolve_rejects_unknown_versions(bad: str) -> None:
    with pytest.raises(InvalidInput):
        releases.resolve_numpy(bad, "3.12")


@pytest.mark.parametrize("bad", ["3", "3.x", "2.7", "3.99", "python3.12"])
def test_check_python_rejects(bad: str) -> None:
    with pytest.raises(InvalidInput):
        releases.check_python(bad)


def test_default_python_prefers_3_12() -> None:
    assert releases.default_python(None) == "3.12"
    (old,) = [r for r in releases.all_releases() if r.version == "1.26.0"]
    assert releases.default_python(old) == "3.12"


def test_parse_simple_index_reads_wheel_tags() -> None:
    page = {
        "files": [
            {
                "filename": "numpy-2.4.6-cp312-cp312-"
                "manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
                "requires-python": ">=3.11",
                "upload-time": "2026-05-18T10:00:00Z",
            },
            {
                "filename": "numpy-2.4.6-cp313-cp313t-macosx_14_0_arm64.whl",
                "requires-python": ">=3.11",
                "upload-time": "2026-05-18T09:00:00Z",
            },
            {"filename": "numpy-2.4.6-cp311-cp311-win_amd64.whl", "yanked": True},
            {"filename": "numpy-1.16.6-cp37-cp37m-win_amd64.whl"},
            {"filename": "numpy-2.4.6.tar.gz"},
            {"filename": "numpy-2.4.6rc1-cp312-cp312-win_amd64.whl"},
        ]
    }
    (release,) = releases.parse_simple_index(page)
    assert release.pythons == ("3.11", "3.12")
    assert release.free_threaded == ("3.13",)
    assert release.platforms == (Platform.LINUX_64, Platform.OSX_ARM64, Platform.WIN_64)
    assert release.yanked == ""  # one yanked wheel does not yank the release
    assert release.accelerate_wheels is True
    assert release.date == "2026-05-18"
    # the wheel tags per Python: each CPython (and free-threaded one) with its platforms
    assert dict(release.wheels) == {
        "3.11": (Platform.WIN_64,),
        "3.12": (Platform.LINUX_64,),
        "3.13t": (Platform.OSX_ARM64,),
    }


def test_legacy_releases_carry_their_wheel_tags_and_pythons() -> None:
    """1.17.0 came before Python 3.8 (wheels for 3.5 to 3.7 only); 1.22.4 had 3.8 to 3.10,
    and 1.24.4 3.8 to 3.11 on every platform, osx-arm64 included; requires-python is the
    index's own."""
    table = {r.version: r for r in releases.all_releases()}
    assert table["1.17.0"].pythons == ("3.5", "3.6", "3.7")
    assert table["1.22.4"].pythons == ("3.8", "3.9", "3.10")
    assert table["1.22.4"].requires_python == ">=3.8"
    assert dict(table["1.24.4"].wheels)["3.8"] == tuple(sorted(Platform, key=lambda p: p.value))
    assert releases.known_pythons()[0] == "3.8"  # the oldest Python npinit supports
    assert releases.resolve_numpy("latest", "3.8").version == "1.24.4"
    with pytest.raises(InvalidInput, match=r"no NumPy release has wheels for Python 3\.7"):
        releases.check_python("3.7")


def test_the_release_table_is_the_data_file_written_as_python() -> None:
    """What commands read (knowledge/release_table.py) is the data file's rows, written by
    tools/update_numpy_releases.py: the same text as a fresh write, the same releases."""
    from npinit.knowledge import release_table

    path = Path(__file__).resolve().parents[2] / "tools" / "update_numpy_releases.py"
    spec = importlib.util.spec_from_file_location("update_numpy_releases", path)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    shipped = Path(release_table.__file__).read_text("utf-8")
    from_file = releases.read_data_file()
    fix = "run python tools/update_numpy_releases.py --table and commit what it writes"
    assert shipped == tool.table_source(from_file), fix
    assert releases.all_releases() == from_file and len(from_file) > 80
    assert releases.all_releases()[-1].platforms[0] is Platform.LINUX_64


def test_data_file_round_trips() -> None:
    data = releases.releases_to_data(list(releases.all_releases()))
    assert releases._from_data(json.loads(json.dumps(data))) == releases.all_releases()


def test_yanked_release_is_never_chosen_and_refused_by_name() -> None:
    assert releases.resolve_numpy("2.4", "3.12").version == "2.4.6"
    with pytest.raises(InvalidInput) as caught:
        releases.resolve_numpy("2.4.0", "3.12")
    assert "yanked" in caught.value.message and "2.4.6" in caught.value.hint


def test_a_plain_python_or_release_is_one_the_pattern_takes() -> None:
    """releases.plain_python and plain_version tell a plainly valid answer without compiling
    the pattern: each they take, the pattern takes (a trailing newline, Arabic-Indic digits,
    a part missing or extra go to the pattern)."""
    parts = ("", "1", "12", "123", "\u0661", "1a")
    ends = ("", "t", "tt", "\n", "t\n", " ")
    pythons = [a + b + c for a in ("3.", "2.", "3", "") for b in parts for c in ends]
    versions = [".".join(p) for n in (1, 2, 3, 4) for p in product(parts, repeat=n)]
    versions = [v + end for v in versions for end in ("", "\n", " ")]
    taken = [p for p in pythons if releases.plain_python(p)]
    assert len(taken) == 4 and all(re.match(releases._PYTHON, p) for p in taken), taken
    taken = [v for v in versions if releases.plain_version(v)]
    assert len(taken) == 3**2 + 3**3 and all(re.fullmatch(releases._VERSION, v) for v in taken)
