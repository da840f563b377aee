"""The hot commands' usual forms, run without click (loading click and building its command
costs more than some whole commands): ``npinit lock --from-env``, ``npinit lock
--channel-alias URL``, ``npinit create --no-check``... A form is taken only when every word
is one of the command's flags or text options, each given once, each text value a separate
word that is not an option; anything else (``--help``, a path, ``--opt=value``, a choice, an
unknown word) goes to click, which reads it and reports what is wrong.

The options come from click's own commands: ``tools/update_fast_help.py`` writes each
command's flags, text options and defaults into :mod:`npinit.cli.fast_options` (``OPTIONS``,
``DEFAULTS``), and a test fails when they differ from the click command's, or when a form
taken here gives other values than click gives for it. The command then runs the same code
as through click (``RUNNERS``), and :func:`npinit.cli.main` reports its errors the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# the commands run here: name -> the function taking their parameters (as click names them)
RUNNERS = {
    "lock": "npinit.cli.lock_run:run",
    "create": "npinit.cli.create_run:run",
}


def recognised(args: list[str]) -> Callable[[], None] | None:
    """The command ``args`` asks for, ready to run, when this module knows its form; None
    for anything else (click reads it)."""
    if not args or args[0] not in RUNNERS:
        return None
    values = parse(args[0], args[1:])
    if values is None:
        return None
    module, _, name = RUNNERS[args[0]].partition(":")

    def run() -> None:
        import importlib

        getattr(importlib.import_module(module), name)(**values)

    return run


def parse(command: str, words: list[str]) -> dict[str, Any] | None:
    """The parameters click would give ``command`` for ``words``, or None when the form is
    not one this module takes (a flag sets True, a text option takes the next word)."""
    from npinit.cli.fast_options import DEFAULTS, OPTIONS

    options = OPTIONS.get(command, {})
    values: dict[str, Any] = dict(DEFAULTS[command])
    seen: set[str] = set()
    index = 0
    while index < len(words):
        found = options.get(words[index])
        if found is None or found[0] in seen:
            return None
        name, takes_text = found
        seen.add(name)
        if takes_text:
            if index + 1 >= len(words) or words[index + 1].startswith("-"):
                return None
            values[name] = words[index + 1]
            index += 2
        else:
            values[name] = True
            index += 1
    return values
