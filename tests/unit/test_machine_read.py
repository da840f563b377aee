"""This machine's platform is read without importing ``platform`` where ``os.uname`` says the
same, and is what ``platform`` says."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import npinit
from npinit.machine import detect_platform

ENV = {**os.environ, "PYTHONPATH": str(Path(npinit.__file__).resolve().parents[1])}


def test_the_platform_read_is_platforms() -> None:
    assert detect_platform() is detect_platform(platform.system(), platform.machine())


def test_linux_reads_it_without_importing_platform() -> None:
    code = (
        "import sys\nfrom npinit.machine import detect_platform\ndetect_platform()\n"
        "print('platform' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV)
    assert done.stdout.strip() == str(sys.platform != "linux"), done.stderr
