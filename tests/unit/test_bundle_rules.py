"""The one rule for a conda channel token in a URL's path (knowledge.channels.strip_token),
which the bundle's redaction (record.bundle.redact) applies with a URL's password."""

from __future__ import annotations

import pytest

from npinit.knowledge.channels import strip_token
from npinit.record.bundle import redact


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("https://conda.anaconda.org/t/tk-12-ab/conda-forge/linux-64/x.conda",
         "https://conda.anaconda.org/conda-forge/linux-64/x.conda"),
        ("channel_alias: https://conda.anaconda.org/t/tk-12-ab\n",
         "channel_alias: https://conda.anaconda.org\n"),
        ("- https://mirror.example/conda/t/tk-12-ab/main  # and http://b.example/t/q/c",
         "- https://mirror.example/conda/main  # and http://b.example/c"),
        ("a path/t/not-a-url/stays and https://host/t/", "a path/t/not-a-url/stays and https://host/t/"),
    ],
)  # fmt: skip
def test_a_token_in_a_url_path_is_removed_and_nothing_else(text: str, clean: str) -> None:
    assert strip_token(text) == clean


def test_the_bundle_redaction_removes_a_token_and_a_password_together() -> None:
    text = "--extra-index-url https://me:pw@host.example/t/tk-9/simple/\n"
    assert redact(text) == "--extra-index-url https://host.example/simple/\n"
