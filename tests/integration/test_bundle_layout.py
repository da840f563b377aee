"""The bundle's rules, each on its own: credentials removed from what is written, a lock's
URL that is no plain file name refused, bundle.json's paths kept inside the bundle, the
index a lock was made with, and a repodata record equal to the one py-rattler's own indexer
writes for the same archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from npinit.errors import InvalidInput
from npinit.model import Source
from npinit.record import bundle
from npinit.record.bundle_channel import record
from npinit.record.snapshot import Package


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("--index-url https://me:s3cret@host/simple", "--index-url https://host/simple"),
        ("-i http://token@host:8080/x", "-i http://host:8080/x"),
        ("git+https://user:pw@github.com/a/b", "git+https://github.com/a/b"),
        ("ssh://git@github.com/a/b", "ssh://git@github.com/a/b"),  # a user, no secret: kept
        ("ftp://a:b@h/f and https://c:d@e/f", "ftp://h/f and https://e/f"),
        ("no url here: a@b", "no url here: a@b"),
    ],
)
def test_redact_removes_credentials_only(text: str, expected: str) -> None:
    assert bundle.redact(text) == expected


@pytest.mark.parametrize(
    "url",
    ["https://h/a/..", "https://h/pkg/", "https://h/.hidden.whl",
     "https://h/a%2F..%2Fb.whl", "https://h/x.whl.npinit-part"],
)  # fmt: skip
def test_a_url_that_is_no_plain_file_name_is_refused(url: str) -> None:
    package = Package("x", "1", Source.PYPI, url=url, sha256="0" * 64)
    with pytest.raises(InvalidInput, match="does not end in a file name"):
        bundle.file_name(url, package)


def test_a_plain_file_name_is_taken() -> None:
    url = "https://files.example/p/numpy-2.3.5-cp312-cp312-win_amd64.whl#sha256=abc"
    package = Package("numpy", "2.3.5", Source.PYPI, url=url)
    assert bundle.file_name(url, package) == "numpy-2.3.5-cp312-cp312-win_amd64.whl"


@pytest.mark.parametrize("path", ["/etc/passwd", "../x", "a/../../x", "a\\..\\x", ""])
def test_bundle_json_paths_stay_inside(tmp_path: Path, path: str) -> None:
    with pytest.raises(InvalidInput):
        bundle.inside(tmp_path, path)
    assert bundle.inside(tmp_path, "linux-64/pypi/a.whl") == tmp_path / "linux-64/pypi/a.whl"


def test_conda_urls_follow_the_channel_alias() -> None:
    """The bundle fetches a locked conda URL by the one alias rule."""
    from npinit.knowledge.channels import fetch_url

    url = "https://conda.anaconda.org/conda-forge/linux-64/numpy-2.4.6-py312_0.conda"
    assert fetch_url(url, "file:///mirror/") == (
        "file:///mirror/conda-forge/linux-64/numpy-2.4.6-py312_0.conda"
    )
    assert fetch_url(url, None) == url
    # defaults solved through an alias is <alias>/defaults; the lock records pkgs/main
    main = "https://repo.anaconda.com/pkgs/main/linux-64/x.conda"
    assert fetch_url(main, "file:///mirror") == "file:///mirror/defaults/linux-64/x.conda"
    other = "https://example.org/channel/linux-64/x.conda"
    assert fetch_url(other, "file:///mirror") == other


def test_the_index_the_lock_was_made_with_and_its_credentials() -> None:
    lines = [
        "--index-url https://u:p@mirror.example/simple",
        "numpy",
        "dev.txt: --extra-index-url=https://extra.example/simple",
    ]
    inputs = {"requirements": lines}
    found = bundle.indexes_of(inputs, {"UV_INDEX_URL": "https://env.example/simple"})
    assert found == [
        "https://u:p@mirror.example/simple",
        "https://extra.example/simple",
        "https://env.example/simple",
        "https://pypi.org/simple",
    ]
    headers = bundle.auth_headers("https://mirror.example/files/a.whl", found)
    assert headers == (("Authorization", "Basic dTpw"),)
    assert bundle.auth_headers("https://files.pythonhosted.org/a.whl", found) == ()


def _specs(depends: list[str]) -> list[str]:
    import rattler

    return [str(rattler.MatchSpec(d)) for d in depends]


def test_repodata_records_equal_the_ones_rattler_indexes(channel: Path) -> None:
    """Our record of each archive (its index.json, the lock's hashes, its size) is what
    py-rattler's own indexer wrote for the same file (tests/channels.py runs it)."""
    checked = 0
    for subdir in ("linux-64", "noarch"):
        indexed = json.loads((channel / "conda-forge" / subdir / "repodata.json").read_text())
        for name, theirs in indexed["packages"].items():
            ours = record(channel / "conda-forge" / subdir / name, theirs["sha256"], theirs["md5"])
            theirs = {k: v for k, v in theirs.items() if k != "indexed_timestamp"}
            # the indexer rewrites `libblas 3.11.0 B` as `libblas ==3.11.0 B`: the same spec
            assert _specs(ours.pop("depends")) == _specs(theirs.pop("depends")), name
            assert ours == theirs, name
            checked += 1
    assert checked == 8


def test_a_lock_without_its_files_has_the_index_asked_for_them(tmp_path: Path) -> None:
    """A lock made before it kept every file names some only by hash: the index the lock
    was made with (credentials and all) is asked for their URLs."""
    import hashlib

    from tests.local_index import serve, wheel

    made = wheel(tmp_path / "wheels", "tinypkg", "1.0")
    sha = hashlib.sha256(made.read_bytes()).hexdigest()
    with serve(tmp_path / "wheels", "u", "pw") as server:
        index = server.url.replace("//", "//u:pw@") + "/simple"
        found = bundle.other_files({"tinypkg": {sha}}, ["http://127.0.0.1:9/none", index])
        assert found == {sha: f"{server.url}/files/{made.name}"}
        assert server.refused == 0


def test_secrets_files_are_never_carried_into_the_bundle(tmp_path: Path) -> None:
    """A .env or .netrc holds secrets as a whole: left out, while the project's own files
    (a file merely named like one, in a folder) are carried."""
    from npinit.record.bundle_project import project_files

    for name in (".env", ".env.local", ".netrc", "_netrc", ".pypirc", ".git-credentials"):
        (tmp_path / name).write_text("TOKEN=secret\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src/env.py").write_text("x = 1\n")
    (tmp_path / "requirements.txt").write_text("numpy\n")
    assert project_files(tmp_path, None) == ["requirements.txt", "src/env.py"]
