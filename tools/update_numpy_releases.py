"""Regenerate src/npinit/knowledge/numpy_releases.json from PyPI's simple index.

python tools/update_numpy_releases.py            # asks PyPI (PEP 691 JSON)
python tools/update_numpy_releases.py page.json  # from a saved index page
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

from npinit.knowledge.releases import parse_simple_index, releases_to_data

INDEX = "https://pypi.org/simple/numpy/"
TARGET = Path(__file__).resolve().parents[1] / "src/npinit/knowledge/numpy_releases.json"


def main() -> None:
    if len(sys.argv) > 1:
        page = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    else:
        request = urllib.request.Request(
            INDEX, headers={"Accept": "application/vnd.pypi.simple.v1+json"}
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


if __name__ == "__main__":
    main()
