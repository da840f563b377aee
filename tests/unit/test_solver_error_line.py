"""A solver's reason too long for one line is cut between words and said to be cut
(black-box: pixi lock's error ended "...conflicts with the versi (change the specs...")."""

from __future__ import annotations

from npinit.record.resolve_conda import error_line


def test_a_long_reason_is_cut_between_words() -> None:
    words = " ".join(f"v{n}x" for n in range(200))
    line = error_line(RuntimeError(f"numpy ==2.5.0 conflicts with the {words}"))
    assert line.endswith(" ...") and len(line) <= 404
    assert line.removesuffix(" ...").split(" ")[-1] in words.split(" ")
    assert error_line(RuntimeError("short reason")) == "short reason"
