"""The one detector of a BLAS family in a build string, a library file name, a show_config
name or a threadpoolctl internal_api: below the BLAS matrix (:mod:`npinit.knowledge.blas`,
which hands it on), so that reading an environment's BLAS loads no matrix. The generated
tests/test_environment.py keeps a copy of :data:`FAMILIES` (it runs without npinit), and a
test holds the two in agreement."""

FAMILIES = ("newaccelerate", "accelerate", "openblas", "netlib", "blis", "nvpl", "mkl", "flexiblas")


def family_of(text: str) -> str:
    """The BLAS family ``text`` names (``20_linux64_openblas``, ``libscipy_openblas64_.so``,
    ``scipy-openblas``, ``mkl_rt``, ``accelerate``), or ``unknown``."""
    lowered = text.lower()
    for name in FAMILIES:
        if name in lowered:
            return "accelerate" if name == "newaccelerate" else name
    return "unknown"


def variant_from_build(build: str) -> str:
    """The BLAS variant a conda ``libblas``/``blas`` build string selects, or ``unknown``."""
    return family_of(build)
