"""``.npinit.toml`` is checked against its shipped JSON Schema when it is read (issue 30):
what only the schema says (a [blas] table's values, one-line texts, the channel and CI
choices) is refused in one line naming the field, before any command uses the answers."""

from __future__ import annotations

import pytest

from npinit.errors import InvalidInput
from npinit.tomlio import load_answers

GOOD = '[project]\nname = "p"\nmanager = "pip"\npython = "3.12"\nplatforms = ["linux-64"]\n'


def test_the_answers_npinit_writes_are_read() -> None:
    blas = '[blas.linux-64]\nvariant = "openblas"\nacceptable = ["openblas"]\n'
    assert load_answers(GOOD + blas, ".npinit.toml")["manager"] == "pip"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ('[blas.linux-64]\nvariant = "mkl; rm -rf ~"\n', "blas.linux-64.variant"),
        ('[blas.linux-64]\nvariant = "mkl"\nsource = "x"\n', "blas.linux-64"),
        ('[blas."LINUX 64"]\nvariant = "mkl"\n', "blas"),
        ('[blas.linux-64]\nacceptable = "mkl"\n', "blas.linux-64.acceptable"),
    ],
)
def test_a_wrong_blas_table_is_refused_naming_it(extra: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_answers(GOOD + extra, ".npinit.toml")
    assert str(caught.value.message).startswith(f".npinit.toml: {field}"), caught.value.message


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('description = "a\\u001b[2Jb"', "project.description"),
        ('author = "x\\ny"', "project.author"),
        ('channel = "bioconda"', "project.channel"),
        ('ci = "jenkins"', "project.ci"),
        ("threads = 0", "project.threads"),
        ('package = "not a name"', "project.package"),
    ],
)
def test_a_wrong_project_field_is_refused_naming_it(line: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_answers(GOOD + line + "\n", ".npinit.toml")
    assert str(caught.value.message).startswith(f".npinit.toml: {field}"), caught.value.message
