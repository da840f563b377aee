'A NumPy project'

import os

# BLAS thread count chosen with `npinit new --threads 2`. These variables
# only take effect if they are set before NumPy is first imported, so import this package
# first (the tests' conftest.py sets them too). conda sets them on activation instead.
os.environ.setdefault('OMP_NUM_THREADS', '2')
os.environ.setdefault('OPENBLAS_NUM_THREADS', '2')
os.environ.setdefault('MKL_NUM_THREADS', '2')
os.environ.setdefault('VECLIB_MAXIMUM_THREADS', '2')
os.environ.setdefault('BLIS_NUM_THREADS', '2')

__version__ = "0.1.0"
