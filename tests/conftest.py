"""Settings for the whole test suite, made before any test module imports NumPy.

The suite runs one pytest-xdist worker per core (``-n auto`` in pyproject), so
every core is already busy: a BLAS that starts threads of its own in each
worker oversubscribes the machine. OpenBLAS then spins waiting for a core, and
one ``eigh`` of a 1280-dimensional Hamiltonian took 12 s instead of 0.4 s on
the 2-core machine. One BLAS thread per worker keeps each linear-algebra call
at its serial speed. A value the caller set is kept.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
