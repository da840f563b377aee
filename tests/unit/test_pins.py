"""The one line that says which package held a choice back, read from the resolvers' own
words (uv's output as uv 0.13 prints it for tensorflow 2.14 on Python 3.12)."""

from __future__ import annotations

from npinit.api.pins import held_back

UV_SAID = (
    "error: No solution found when resolving dependencies cause: Because "
    "tensorflow>=2.14.0,<=2.14.1 has no wheels with a matching Python version tag (e.g., "
    "`cp312`) and only the following versions of tensorflow are available: "
    "tensorflow<=2.14.1 tensorflow>=2.15 we can conclude that tensorflow>=2.14.0,<2.15 "
    "cannot be used. And because you require tensorflow>=2.14.0,<2.15, we can conclude that "
    "your requirements are unsatisfiable. hint: Wheels are available for `tensorflow` "
    "(v2.14.1) with the following Python ABI tags: `cp39`, `cp310`, `cp311`"
)


def test_the_package_without_wheels_is_named() -> None:
    assert held_back(UV_SAID, "3.12") == (
        "tensorflow>=2.14.0,<=2.14.1 has no wheels for Python 3.12"
    )


def test_other_reasons_are_said_in_the_resolvers_words() -> None:
    said = "linux-64 cannot be solved: No candidates were found for python 3.15.*"
    assert held_back(said, "3.15") == f"Python 3.15 does not resolve: {said}"
    assert held_back(said, "3.15", said=False) == said


def test_a_numpy_cap_without_wheels_is_said_package_first() -> None:
    """pins_pypi's reason when the package that caps NumPy keeps it to releases without
    wheels for a Python: the line starts with that package (as the brief's 'tensorflow
    2.14 has no wheels for 3.12' does), not 'Python 3.13 does not resolve'."""
    said = (
        "Because numba==0.60.0 needs numpy>=1.22,<2.1, and no NumPy it allows has wheels for "
        "Python 3.13"
    )
    assert held_back(said, "3.13") == said.removeprefix("Because ")
