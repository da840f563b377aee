"""npinit: start a NumPy project on a reproducible environment, BLAS included."""

__version__ = "0.1.0"
