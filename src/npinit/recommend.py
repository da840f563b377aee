"""The install guide's decision (DOMAIN.md section 6): who should use which manager."""

from __future__ import annotations

from npinit.model import Manager


def default_manager() -> Manager:
    """The manager ``npinit new`` uses when none is given.

    The guide's default answer (a beginner, any OS) is the Anaconda distribution, i.e. conda.
    """
    return Manager.CONDA
