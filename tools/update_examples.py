"""Regenerate examples/ from examples/examples.json with the installed npinit.

python tools/update_examples.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def main() -> None:
    spec = json.loads((EXAMPLES / "examples.json").read_text("utf-8"))["examples"]
    for name, args in spec.items():
        shutil.rmtree(EXAMPLES / name, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "npinit",
                "new",
                name,
                *args,
                "--no-input",
                "--output-dir",
                str(EXAMPLES),
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
