"""Regenerate src/npinit/knowledge/numpy_releases.json from PyPI's simple index.

python tools/update_numpy_releases.py            # asks the index (PEP 691 JSON)
python tools/update_numpy_releases.py page.json  # from a saved index page
python tools/update_numpy_releases.py --table    # the release table from the data file alone

Every final release from NumPy 1.17.0 on, with the Pythons (free-threaded ones too) and
platforms its wheel file names carry (read with packaging.utils.parse_wheel_filename) and
its requires-python (the index's data-requires-python); nothing is typed by hand. The simple
index is enough: no per-version JSON API and no PEP 658 metadata are needed.
NPINIT_NUMPY_INDEX names another simple index (a mirror) than PyPI's.
Then it writes the file's rows as Python, src/npinit/knowledge/release_table.py (what npinit
reads at run time: releases.table_source), from the file it wrote.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from pathlib import Path

from npinit.knowledge.releases import (
    parse_simple_index,
    read_data_file,
    releases_to_data,
    table_source,
)

INDEX = "https://pypi.org/simple/numpy/"
TARGET = Path(__file__).resolve().parents[1] / "src/npinit/knowledge/numpy_releases.json"
TABLE = TARGET.with_name("release_table.py")


def write_table() -> None:
    """The release table, from the data file as it is now."""
    TABLE.write_text(table_source(read_data_file()), "utf-8")
    print(f"wrote {TABLE}")


def main() -> None:
    if sys.argv[1:] == ["--table"]:
        write_table()
        return
    if len(sys.argv) > 1:
        page = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    else:
        request = urllib.request.Request(
            os.environ.get("NPINIT_NUMPY_INDEX", INDEX),
            headers={"Accept": "application/vnd.pypi.simple.v1+json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            page = json.load(response)
    data = {
        "source": INDEX,
        "regenerate": "python tools/update_numpy_releases.py",
        "releases": releases_to_data(parse_simple_index(page)),
    }
    releases = data.pop("releases")
    rows = ",\n  ".join(json.dumps(row) for row in releases)
    head = json.dumps(data, indent=1)[:-2]
    TARGET.write_text(f'{head},\n "releases": [\n  {rows}\n ]\n}}\n', "utf-8")
    print(f"wrote {len(releases)} releases to {TARGET}")
    write_table()


if __name__ == "__main__":
    main()
