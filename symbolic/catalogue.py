"""The built-in models' command-line names and one-line descriptions, as plain data.

This module imports nothing heavy (no SymPy), so that ``heatbounds models``,
``heatbounds --help`` and the check whether a MODEL argument names a built-in
model stay fast. The factories that build the junctions live in
:mod:`heatbounds.symbolic.models`, which reads its descriptions from here.

>>> list(BUILTIN_MODEL_DESCRIPTIONS)[:2]
['harmonic', 'harmonic-bare']
"""

from __future__ import annotations

__all__ = ["BUILTIN_MODEL_DESCRIPTIONS"]

BUILTIN_MODEL_DESCRIPTIONS: dict[str, str] = {
    "harmonic": "harmonic junction, Eq. 13 (with the stabilising counterterm)",
    "harmonic-bare": "harmonic junction, Eq. 13 exactly as printed (no counterterm)",
    "anharmonic": "harmonic junction with lambda x^4 (Eq. 13 plus anharmonicity)",
    "spin-boson": "non-equilibrium spin-boson model, Eq. 16",
    "n-level": "N-level junction with symbolic N, Eq. 11-12",
    "three-level": "3-level junction with energies E_1, E_2, E_3, Eq. 11-12",
}
