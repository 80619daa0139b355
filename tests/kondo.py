"""The paper's Kondo temperature from its closed form, for the tests.

T_K = g_alpha Delta (Delta/omega_c)^(alpha/(1 - alpha)) with
g_alpha = [Gamma(1 - 2 alpha) cos(pi alpha)]^(1/(2(1 - alpha))) (after Eq. 18),
computed here with mpmath, independently of
:func:`heatbounds.numeric.spin_boson_reference.kondo_temperature`, so that no
test types in its value.
"""

from __future__ import annotations

import mpmath as mp

# The paper's Figure 4: alpha = 0.2, omega_c = 10 Delta (reduced units, Delta = 1).
FIGURE4_ALPHA = 0.2
FIGURE4_OMEGA_C = 10.0


def kondo_temperature_closed_form(alpha: float, omega_c: float, delta: float = 1.0) -> float:
    """T_K of the Ohmic spin-boson model for 0 <= alpha < 1/2 (the paper's g_alpha formula)."""
    with mp.workdps(30):
        a = mp.mpf(alpha)
        g = (mp.gamma(1 - 2 * a) * mp.cos(mp.pi * a)) ** (1 / (2 * (1 - a)))
        return float(g * delta * (mp.mpf(delta) / omega_c) ** (a / (1 - a)))


FIGURE4_KONDO_TEMPERATURE = kondo_temperature_closed_form(FIGURE4_ALPHA, FIGURE4_OMEGA_C)
