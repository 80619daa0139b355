"""Memory limits of the spectral cross-check: estimate before a large allocation.

``heatbounds check`` works with dense D x D complex matrices, D the dimension
of the truncated Hilbert space: the product of the subsystem's factors (boson
levels per system boson, 2 per spin, N per N-level system) and of
``bath_levels`` per bath mode, for ``bath_modes`` modes in each of the two
baths. D grows exponentially with the modes (``--bath-modes 50`` at 10 levels
is 10^100 times the subsystem), so it is computed with Python integers (and
through its logarithm where even those would be absurd), and the bytes the
check needs are compared with the memory available *before* anything is
allocated. A refusal is a :class:`~heatbounds.numeric.errors.NumericInputError`
naming the options, the dimension and the GiB needed and available.

Light at import (no NumPy), like :mod:`.check_defaults`.

>>> hilbert_dimension([24], bath_modes=50, bath_levels=10) == 24 * 10**100
True
>>> format_count(24 * 10**100)
'2.40e+101'
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable

from heatbounds.numeric.errors import MemoryLimitError

__all__ = [
    "BYTES_COMPLEX",
    "HAMILTONIAN_ARRAYS",
    "SPECTRAL_ARRAYS",
    "available_memory",
    "check_dimension",
    "check_spectral_memory",
    "format_count",
    "hilbert_dimension",
    "log10_dimension",
    "refuse_beyond_memory",
    "require_memory",
    "spectral_check_bytes",
]

BYTES_COMPLEX = 16  # one complex128 matrix element
# Dense D x D complex arrays alive at once while H is built (H_s, H_B + H_SB and
# their sums; scipy's toarray and numpy's eigh copy as well).
HAMILTONIAN_ARRAYS = 4
# ... per matrix model of the spectral check (the A_n stay sparse): the
# eigenvectors, rho, eigh's copy and workspace, and the lines of one pair (A and
# B^dagger in the eigenbasis, p_a - p_b, weights, frequencies, omega^s, and the
# temporaries of their products). Measured: a peak of about 6 arrays of D'^2
# (complex H, D = 3072, D' = 4096) against the 9 D'^2 + 2 D^2 estimated.
SPECTRAL_ARRAYS = 9
GIB = 2**30
_HOPELESS_LOG10 = 4000.0  # dimensions above 10^4000 are refused without exact arithmetic
_OPTIONS = "--boson-levels, --bath-modes or --bath-levels"


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation, or None when unknown.

    MemAvailable of ``/proc/meminfo`` (Linux: free memory plus what the kernel
    can reclaim), else the free physical pages from :func:`os.sysconf`.

    Returns
    -------
    int or None
        Bytes available, None if neither source is readable.
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, OSError, ValueError):
        return None


def hilbert_dimension(system_sizes: Iterable[int], *, bath_modes: int, bath_levels: int) -> int:
    """D = prod(system sizes) * bath_levels^(2 bath_modes), as an exact Python int.

    Parameters
    ----------
    system_sizes:
        Dimension of each factor of the subsystem (boson levels, 2, N).
    bath_modes, bath_levels:
        Modes per bath (two baths) and Fock levels per mode.

    Returns
    -------
    int
        The dimension; never overflows (use :func:`log10_dimension` first for
        absurd sizes, whose exact value is itself a huge number).
    """
    return math.prod(int(s) for s in system_sizes) * int(bath_levels) ** (2 * int(bath_modes))


def log10_dimension(system_sizes: Iterable[int], *, bath_modes: int, bath_levels: int) -> float:
    """log10 of :func:`hilbert_dimension`, computed without forming the number."""
    system = sum(math.log10(int(s)) for s in system_sizes)
    return system + 2 * int(bath_modes) * math.log10(int(bath_levels))


def format_count(n: int) -> str:
    """An integer exactly below 10^15, else as ``2.40e+101`` (any size, from its digits).

    Parameters
    ----------
    n:
        A non-negative integer (a dimension, a number of bytes).

    Returns
    -------
    str
        The text.
    """
    if n < 10**15:
        return str(n)
    exponent = int(math.log10(n))
    while 10**exponent > n:  # log10 of a huge int can round up
        exponent -= 1
    mantissa = n // 10 ** (exponent - 3)  # four digits, no float overflow
    return f"{mantissa / 1000:.2f}e+{exponent}"


def _gib(n_bytes: int) -> str:
    if n_bytes >= 10**15 * GIB:
        return format_count(n_bytes // GIB)
    gib = n_bytes / GIB
    return f"{gib:.1f}" if gib >= 10 else f"{gib:.3g}"


def spectral_check_bytes(dimension: int, *, bigger_dimension: int | None = None) -> int:
    """Bytes the spectral check needs at its peak, for a D-dimensional model.

    Per matrix model: SPECTRAL_ARRAYS (9) dense complex D x D arrays, more than
    the HAMILTONIAN_ARRAYS (4) alive while H is built. The convergence run at 8
    more boson levels (dimension D') is made while the first run's
    eigenvectors and rho (2 arrays of D^2) are kept:

        bytes = 16 * max(9 D^2, 2 D^2 + 9 D'^2).

    Nothing else scales worse than D^2: the lines of each (s, pair) row are
    D^2 and made one row at a time, the expectation tables M^k numbers.

    Parameters
    ----------
    dimension:
        D of the requested model.
    bigger_dimension:
        D' of the convergence run, or None when there is none.

    Returns
    -------
    int
        Bytes (a Python int: no overflow for any D).
    """
    per_model = max(SPECTRAL_ARRAYS, HAMILTONIAN_ARRAYS)
    need = per_model * dimension**2
    if bigger_dimension is not None:
        need = max(need, 2 * dimension**2 + per_model * bigger_dimension**2)
    return BYTES_COMPLEX * need


def refuse_beyond_memory(
    need: int, what: str, advice: str, limit: int | None = None, *, purpose: str = ""
) -> None:
    """Raise :class:`MemoryLimitError` "WHAT needs about N GiB[ PURPOSE], more than the
    M GiB available; ADVICE" when ``need`` bytes exceed ``limit`` (default: the memory
    available; nothing is refused when that is unknown)."""
    have = available_memory() if limit is None else limit
    if have is not None and need > have:
        raise MemoryLimitError(
            f"{what} needs about {need / GIB:.1f} GiB{purpose}, more than the "
            f"{have / GIB:.1f} GiB available; {advice}"
        )


def require_memory(
    needed: int | None,
    *,
    dimension: int | None,
    log10_dim: float,
    what: str,
    settings: str,
    memory_limit: int | float | None = None,
) -> None:
    """Refuse (NumericInputError) when ``needed`` bytes exceed the memory available.

    Parameters
    ----------
    needed:
        Bytes needed, or None for a dimension above 10^4000 (refused outright:
        one dense matrix alone needs more than 10^7990 GiB).
    dimension:
        The Hilbert-space dimension (None when only its logarithm is known).
    log10_dim:
        log10 of the dimension (for the message when ``dimension`` is None).
    what:
        What the bytes are for ("the dense Hamiltonian, ...").
    settings:
        The options as given ("--boson-levels 24, --bath-modes 50, --bath-levels 10").
    memory_limit:
        Bytes allowed; None reads :func:`available_memory` (no limit if unknown).

    Raises
    ------
    NumericInputError
        "SETTINGS: the Hilbert space has dimension D; WHAT need(s) N GiB, more
        than the M GiB of memory available; lower --boson-levels, --bath-modes
        or --bath-levels".
    """
    limit = available_memory() if memory_limit is None else memory_limit
    if needed is not None and (limit is None or needed <= limit):
        return
    size = format_count(dimension) if dimension is not None else f"about 10^{log10_dim:.0f}"
    if needed is not None:
        amount = f"{_gib(needed)} GiB"
    else:  # at least one dense complex matrix
        amount = f"at least 10^{math.log10(BYTES_COMPLEX / GIB) + 2 * log10_dim:.0f} GiB"
    have = "unknown" if limit is None else f"{_gib(int(limit))} GiB"
    raise MemoryLimitError(
        f"{settings}: the Hilbert space has dimension {size}; {what} need {amount}, "
        f"more than the {have} of memory available; lower {_OPTIONS}"
    )


def check_dimension(
    system_sizes: list,
    *,
    bath_modes: int,
    bath_levels: int,
    settings: str,
    what: str,
    bytes_for,
    memory_limit: int | float | None = None,
) -> int:
    """The Hilbert-space dimension, after refusing a model too large for the memory.

    Parameters
    ----------
    system_sizes, bath_modes, bath_levels:
        As for :func:`hilbert_dimension`.
    settings, what, memory_limit:
        As for :func:`require_memory`.
    bytes_for:
        ``bytes_for(dimension) -> int``, the bytes a model of that dimension needs.

    Returns
    -------
    int
        The dimension D.

    Raises
    ------
    NumericInputError
        When the bytes needed exceed the limit (any D above 10^4000 does).
    """
    log10_dim = log10_dimension(system_sizes, bath_modes=bath_modes, bath_levels=bath_levels)
    if log10_dim > _HOPELESS_LOG10:
        require_memory(
            None,
            dimension=None,
            log10_dim=log10_dim,
            what=what,
            settings=settings,
            memory_limit=memory_limit,
        )
    dimension = hilbert_dimension(system_sizes, bath_modes=bath_modes, bath_levels=bath_levels)
    require_memory(
        bytes_for(dimension),
        dimension=dimension,
        log10_dim=log10_dim,
        what=what,
        settings=settings,
        memory_limit=memory_limit,
    )
    return dimension


def check_spectral_memory(
    system_factors: list,
    *,
    boson_levels: int,
    bath_modes: int,
    bath_levels: int,
    convergence: bool,
    memory_limit: int | float | None = None,
) -> int:
    """Refuse a spectral check whose dense arrays would not fit in the memory.

    Parameters
    ----------
    system_factors:
        ``(sector, size)`` of the subsystem (``MatrixJunction.factors`` without
        bath modes); a sector whose family's matrix form is ``truncated`` is a boson.
    boson_levels, bath_modes, bath_levels:
        The truncation.
    convergence:
        Whether a thermal state's convergence run at ``boson_levels + 8`` follows
        (made only when the subsystem has a boson).
    memory_limit:
        Bytes allowed (None: :func:`available_memory`).

    Returns
    -------
    int
        The dimension D of the model.

    Raises
    ------
    NumericInputError
        When :func:`spectral_check_bytes` exceeds the limit.
    """
    bosons = sum(1 for sector, _ in system_factors if sector.family.matrix_form.truncated)

    def bytes_for(dimension: int) -> int:
        bigger = None
        if convergence and bosons:
            bigger = dimension // boson_levels**bosons * (boson_levels + 8) ** bosons
        return spectral_check_bytes(dimension, bigger_dimension=bigger)

    return check_dimension(
        [size for _, size in system_factors],
        bath_modes=bath_modes,
        bath_levels=bath_levels,
        settings=(
            f"--boson-levels {boson_levels}, --bath-modes {bath_modes}, --bath-levels {bath_levels}"
        ),
        what="the dense Hamiltonian, its eigenvectors and the spectral arrays",
        bytes_for=bytes_for,
        memory_limit=memory_limit,
    )
