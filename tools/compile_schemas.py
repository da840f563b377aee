"""Write the schemas' validators ahead of time (``src/npinit/schemas/compiled_*.py``), from
the schema files with fastjsonschema's ``compile_to_code``: run after changing a schema
(a test fails until then).

python tools/compile_schemas.py
"""

from __future__ import annotations

from pathlib import Path

from npinit import schemas

HERE = Path(schemas.__file__).resolve().parent


def main() -> None:
    for name, module in schemas.COMPILED.items():
        path = HERE / f"{module}.py"
        path.write_text(schemas.compiled_source(name), "utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
