"""BLAS selectors in every spelling a real conda file uses: ``libblas=*=*mkl``,
``libblas[build=*mkl]``, ``conda-forge::libblas=*=*openblas``, ``libblas * *mkl``,
``blas=*=mkl``, ``blas[build=mkl]``, ``blas=1.0=openblas``, and ``blas-devel``,
``liblapack``, ``liblapacke`` with a build."""

from __future__ import annotations

BLAS_SELECTORS = {"libblas", "liblapack", "libcblas", "liblapacke", "blas", "blas-devel"}


def blas_build(spec: str) -> str | None:
    """The build a selector asks for (``*mkl`` in ``libblas=*=*mkl``, ``libblas[build=*mkl]``,
    ``conda-forge::libblas * *mkl``; ``openblas`` in ``blas=1.0=openblas``), or None (read by
    :mod:`npinit.matchspec`)."""
    from npinit.matchspec import parse

    parsed = parse(spec)
    return parsed.build if parsed else None
