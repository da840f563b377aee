"""BLAS selectors in every spelling a real conda file uses: ``libblas=*=*mkl``,
``libblas[build=*mkl]``, ``conda-forge::libblas=*=*openblas``, ``libblas * *mkl``,
``blas=*=mkl``, ``blas[build=mkl]``, ``blas=1.0=openblas``, and ``blas-devel``,
``liblapack``, ``liblapacke`` with a build."""

from __future__ import annotations

import re

BLAS_SELECTORS = {"libblas", "liblapack", "libcblas", "liblapacke", "blas", "blas-devel"}


_BUILD = re.compile(
    r"\[[^\[\]]*\bbuild\s*=\s*['\"]?(?P<bracket>[^'\",\]]+)"  # name[build=*mkl]
    r"|^[^=\s\[]+(?:=|\s+)[^=\s]+(?:=|\s+)(?P<third>\S+)\s*$"  # name=*=*mkl, name * *mkl
)


def blas_build(spec: str) -> str | None:
    """The build a selector asks for (``*mkl`` in ``libblas=*=*mkl``, ``libblas[build=*mkl]``,
    ``conda-forge::libblas * *mkl``; ``openblas`` in ``blas=1.0=openblas``), or None. By
    py-rattler's MatchSpec where it is installed, else by the same two spellings' grammar."""
    text = spec.strip()
    try:
        import rattler
    except ImportError:
        match = _BUILD.search(text.rsplit("::", 1)[-1])
        return (match["bracket"] or match["third"]) if match else None
    try:
        build = rattler.MatchSpec(text).build
    except Exception:  # not a MatchSpec at all: not a selector
        return None
    return str(build) if build else None
