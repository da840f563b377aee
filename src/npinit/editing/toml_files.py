"""pyproject.toml (PEP 621 and Poetry), pixi.toml and .npinit.toml, edited with tomlkit,
which keeps comments, whitespace, key order and quoting of everything it is not told to
change."""

from __future__ import annotations

from typing import Any

from npinit.editing.requirement_pins import meets, repin
from npinit.errors import InvalidInput
from npinit.reading import parse_bounded


def parse(text: str, origin: str) -> Any:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        return parse_bounded(tomlkit.parse, text, origin)
    except (TOMLKitError, ValueError) as error:
        raise InvalidInput(f"{origin} is not valid TOML ({error})", "fix the file") from None


def _requirement_name(text: str) -> str | None:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        return str(canonicalize_name(Requirement(text).name))
    except InvalidRequirement:
        return None


def _set_string(container: Any, key: Any, value: str) -> None:
    """Replace a string item, keeping its quoting style (basic or literal)."""
    import tomlkit

    old = container[key]
    literal = getattr(getattr(old, "_t", None), "name", "") in ("SLL", "MLL")
    container[key] = tomlkit.string(value, literal=literal)


def workspace_table(doc: Any, origin: str) -> Any:
    """pixi.toml's ``[workspace]`` (``[project]`` in older manifests), or None."""
    return table_at(doc, ("workspace",), origin) or table_at(doc, ("project",), origin)


def table_at(doc: Any, path: tuple[str, ...], origin: str) -> Any:
    """The table at ``path`` (None when absent); a value of another type is refused."""
    current = doc
    for depth, key in enumerate(path):
        if not isinstance(current, dict):
            return None
        current = current.get(key)
        if current is None:
            return None
        if not isinstance(current, dict):
            where = ".".join(path[: depth + 1])
            raise InvalidInput(
                f"{origin}: {where} is not a table (it is {_kind(current)})", "fix the file"
            )
    return current


def _array(table: Any, key: str, where: str, origin: str) -> Any:
    value = table.get(key) if table is not None else None
    if value is not None and not isinstance(value, list):
        raise InvalidInput(
            f"{origin}: {where} is not an array of requirements (it is {_kind(value)})",
            "fix the file",
        )
    return value


def _kind(value: Any) -> str:
    for kind, name in (
        (bool, "a boolean"),
        (int, "a number"),
        (float, "a number"),
        (str, "a string"),
        (list, "an array"),
    ):
        if isinstance(value, kind):
            return name
    return f"a {type(value).__name__}"


def _requirement_arrays(doc: Any, origin: str) -> list[tuple[str, Any]]:
    """Every PEP 508 array a pyproject holds: dependencies, optional-dependencies, and
    ``[dependency-groups]`` (whose ``{include-group = ...}`` tables are skipped)."""
    arrays = []
    project = table_at(doc, ("project",), origin)
    if project is not None:
        deps = _array(project, "dependencies", "project.dependencies", origin)
        if deps is not None:
            arrays.append(("project.dependencies", deps))
        extras = table_at(doc, ("project", "optional-dependencies"), origin)
        for name in extras or {}:
            where = f"project.optional-dependencies.{name}"
            arrays.append((where, _array(extras, name, where, origin) or []))
    groups = table_at(doc, ("dependency-groups",), origin)
    for name in groups or {}:
        where = f"dependency-groups.{name}"
        arrays.append((where, _array(groups, name, where, origin) or []))
    return arrays


def _poetry_tables(doc: Any, origin: str) -> list[tuple[str, Any]]:
    """Poetry's dependency tables: main, legacy dev, and every group's."""
    tables = []
    for path in (("tool", "poetry", "dependencies"), ("tool", "poetry", "dev-dependencies")):
        table = table_at(doc, path, origin)
        if table is not None:
            tables.append((".".join(path), table))
    groups = table_at(doc, ("tool", "poetry", "group"), origin)
    for name in groups or {}:
        table = table_at(doc, ("tool", "poetry", "group", name, "dependencies"), origin)
        if table is not None:
            tables.append((f"tool.poetry.group.{name}.dependencies", table))
    return tables


def edit_pyproject(
    text: str,
    origin: str,
    *,
    numpy: str | None = None,
    python: str | None = None,
    marked_for: str | None = None,
) -> str:
    """PEP 621 ``[project]`` (dependencies, optional-dependencies), ``[dependency-groups]``,
    and Poetry's main, dev and group dependency tables: every numpy pin among them (added to
    the main dependencies where there is none; ``marked_for``: of the entries with Python
    markers, or Poetry ``python`` keys, only those for this Python); the Python bound."""
    import tomlkit

    doc = parse(text, origin)
    project = table_at(doc, ("project",), origin)
    arrays = _requirement_arrays(doc, origin)
    poetry_tables = _poetry_tables(doc, origin)
    poetry = table_at(doc, ("tool", "poetry", "dependencies"), origin)
    if project is None and poetry is None:
        raise InvalidInput(
            f"{origin} has no [project] or [tool.poetry] table",
            "npinit edits PEP 621 and Poetry projects",
        )
    if numpy is not None:
        # the pin's place: the main dependencies, else an extra, else a group; the others'
        # numpy ranges the pin meets are constraints, kept (adopt_pins.pinned_entries)
        pinned = False
        for some_arrays, some_tables in _places(arrays, poetry_tables):
            # | and not or: both kinds are pinned
            pinned = (
                _pin_arrays(some_arrays, numpy, marked_for, pinned)
                | _pin_poetry(some_tables, numpy, origin, marked_for, pinned)
                or pinned
            )
        if not pinned:
            _add_numpy(project, poetry, numpy)
    if python is not None:
        _bound_python(project, poetry, python)
    result = tomlkit.dumps(doc)
    parse(result, origin)
    return result


def _places(arrays: list[Any], tables: list[Any]) -> list[tuple[list[Any], list[Any]]]:
    """The requirement arrays and Poetry tables by place: main, extras, groups."""
    main = "tool.poetry.dependencies"
    return [
        (
            [a for a in arrays if a[0] == "project.dependencies"],
            [t for t in tables if t[0] == main],
        ),
        ([a for a in arrays if a[0].startswith("project.optional-dependencies.")], []),
        (
            [a for a in arrays if a[0].startswith("dependency-groups.")],
            [t for t in tables if t[0] != main],
        ),
    ]


def _pin_arrays(
    arrays: list[tuple[str, Any]], numpy: str, marked_for: str | None, keep_met: bool = False
) -> bool:
    """Pin numpy in every PEP 508 array that names it (``marked_for``: where its marker
    holds for that Python; ``keep_met``: not where its range allows ``numpy`` already);
    whether one did."""
    from packaging.requirements import Requirement

    from npinit.editing.pythons import marker_holds

    done = False
    for _, deps in arrays:
        for index, item in enumerate(deps):
            if isinstance(item, str) and _requirement_name(item) == "numpy":
                requirement = Requirement(str(item))
                marker = requirement.marker
                if marked_for and marker and not marker_holds(str(marker), marked_for):
                    continue
                if keep_met and meets(str(requirement.specifier), numpy, requirement.url):
                    continue
                _set_string(deps, index, repin(str(item), numpy))
                done = True
    return done


def _pin_poetry(
    tables: list[tuple[str, Any]],
    numpy: str,
    origin: str,
    marked_for: str | None,
    keep_met: bool = False,
) -> bool:
    """Pin numpy in every Poetry dependency table that names it (a string, or a table's
    ``version``; ``marked_for``: of a list of constraints, or tables with a ``python`` key,
    those for that Python; ``keep_met``: not where its range allows ``numpy`` already);
    whether one did."""
    from npinit.editing.adopt_poetry import entry_marker
    from npinit.editing.pythons import marker_holds, poetry_to_pep440

    done = False
    for where, table in tables:
        for key in list(table):
            if _requirement_name(str(key)) != "numpy":
                continue
            entry = table[key]
            if isinstance(entry, str):
                if not (keep_met and meets(poetry_to_pep440(entry), numpy)):
                    _set_string(table, key, f"=={numpy}")
                    done = True
                continue
            several = isinstance(entry, list) and all(isinstance(e, dict) for e in entry)
            if not isinstance(entry, dict) and not (several and marked_for):
                raise InvalidInput(
                    f"{origin}: {where}.{key} has several constraints",
                    "give --python 3.X to pin the one for that Python (an npinit project's: "
                    "its recorded Python), or pin numpy there by hand",
                )
            for each in entry if several else [entry]:
                met = keep_met and meets(poetry_to_pep440(str(each.get("version", ""))), numpy)
                if (not marked_for or marker_holds(entry_marker(each), marked_for)) and not met:
                    each["version"] = f"=={numpy}"
                    done = True
    return done


def _add_numpy(project: Any, poetry: Any, numpy: str) -> None:
    """No numpy anywhere: add the pin to ``[project]``'s dependencies, else Poetry's."""
    import tomlkit

    if project is None:
        poetry["numpy"] = f"=={numpy}"
        return
    deps = project.get("dependencies")
    if deps is None:
        deps = tomlkit.array()
        deps.append(f"numpy=={numpy}")
        project["dependencies"] = deps
    else:
        deps.append(f"numpy=={numpy}")


def _bound_python(project: Any, poetry: Any, python: str) -> None:
    """``requires-python`` (set, or added) and Poetry's ``python`` (where it is) to the one
    minor release ``python`` names (PEP 440 has no free-threaded ABI: 3.13t is 3.13)."""
    from npinit.editing.pythons import minor_range

    bound = minor_range(python)
    if project is not None:
        if "requires-python" in project:
            _set_string(project, "requires-python", bound)
        else:
            project["requires-python"] = bound
    if poetry is not None and "python" in poetry:
        _set_string(poetry, "python", bound)


def edit_pixi(
    text: str,
    origin: str,
    *,
    numpy: str | None = None,
    python: str | None = None,
    blas: tuple[dict[str, Any], dict[str, Any]] | None = None,
) -> str:
    """pixi.toml (or a pyproject.toml's ``[tool.pixi]``, where pixi reads it):
    ``[dependencies]`` numpy/python, and the BLAS tables (common ones in ``[dependencies]``,
    per-platform ones in ``[target.<platform>.dependencies]``)."""
    import tomlkit

    whole = parse(text, origin)
    doc = pixi_body(whole, origin)
    for platform in table_at(doc, ("target",), origin) or {}:
        table_at(doc, ("target", platform, "dependencies"), origin)
    # numpy is pinned where it is: [dependencies], a target's, a feature's
    placed = _numpy_tables(doc, origin) if numpy is not None else []
    for table in placed:  # a string, or an inline table's version: its quotes kept
        entry = table if isinstance(table["numpy"], str) else table["numpy"]
        _set_string(entry, "numpy" if entry is table else "version", f"=={numpy}")
    if numpy is not None and not placed:  # a PyPI numpy pixi takes from [project]: pinned
        main = [a for a in _requirement_arrays(whole, origin) if a[0] == "project.dependencies"]
        placed = [main] if _pin_arrays(main, numpy, None) else []
    add = numpy is not None and not placed  # numpy nowhere: a conda one is added
    if table_at(doc, ("dependencies",), origin) is None and (add or python or blas):
        doc["dependencies"] = tomlkit.table()
    deps = doc.get("dependencies", {})
    if add:
        deps["numpy"] = f"=={numpy}"
    if python is not None:
        key = "python-freethreading" if python.endswith("t") else "python"
        other = "python" if key != "python" else "python-freethreading"
        if other in deps:
            del deps[other]
        deps[key] = f"{python.removesuffix('t')}.*"
    if blas is not None:
        common, targets = blas
        from npinit.editing.selectors import BLAS_SELECTORS

        for name in list(deps):
            if name in BLAS_SELECTORS:
                del deps[name]
        for target in doc.get("target", {}).values():
            for name in list(target.get("dependencies", {})):
                if name in BLAS_SELECTORS:
                    del target["dependencies"][name]
        for name, table in common.items():
            deps[name] = _inline(table)
        for platform, target in targets.items():
            doc.setdefault("target", tomlkit.table(is_super_table=True))
            place = doc["target"].setdefault(platform, tomlkit.table(is_super_table=True))
            place.setdefault("dependencies", tomlkit.table())
            for name, table in target["dependencies"].items():
                place["dependencies"][name] = _inline(table)
    result = tomlkit.dumps(whole)
    parse(result, origin)
    return result


def pixi_body(doc: Any, origin: str) -> Any:
    """Where pixi's tables are: a pyproject.toml's ``[tool.pixi]``, else the whole file."""
    return table_at(doc, ("tool", "pixi"), origin) or doc


def _numpy_tables(doc: Any, origin: str) -> list[Any]:
    """The pixi dependency tables (conda's and PyPI's) that hold numpy: the main ones, each
    target's, and those of the features the default environment includes (and targets')."""
    default = (table_at(doc, ("environments",), origin) or {}).get("default") or []
    names = default.get("features", []) if isinstance(default, dict) else default
    features = table_at(doc, ("feature",), origin) or {}
    bodies = [doc, *(features.get(name) for name in names if isinstance(name, str))]
    found = []
    for body in bodies:
        if not isinstance(body, dict):
            continue
        tables: list[Any] = []
        for kind in ("dependencies", "pypi-dependencies"):  # numpy stays conda's or PyPI's
            tables += [body.get(kind)] + [t.get(kind) for t in (body.get("target") or {}).values()]
        found += [t for t in tables if isinstance(t, dict) and "numpy" in t]
    return found


def _inline(table: dict[str, str]) -> Any:
    import tomlkit

    inline = tomlkit.inline_table()
    inline.update(table)
    return inline


def edit_answers(
    text: str,
    origin: str,
    *,
    numpy: str | None,
    python: str | None,
    blas: str | None,
    blas_by_platform: dict[str, tuple[str, list[str]]] | None,
    channel: str | None = None,
) -> str:
    """.npinit.toml: the recorded answers follow the files (``channel``: a conda project's)."""
    import tomlkit

    doc = parse(text, origin)
    project = doc.get("project")
    if project is None:
        raise InvalidInput(f"{origin} has no [project] table", "regenerate the project")
    for key, value in (("numpy", numpy), ("python", python), ("blas", blas), ("channel", channel)):
        if value is not None:
            project[key] = value
    if blas_by_platform is not None:
        tables = doc.setdefault("blas", tomlkit.table(is_super_table=True))
        for platform, (variant, acceptable) in blas_by_platform.items():
            entry = tables.setdefault(platform, tomlkit.table())
            entry["variant"] = variant
            entry["acceptable"] = acceptable
    return tomlkit.dumps(doc)
