"""The standalone NumPy module of a fermionic junction (``heatbounds emit`` of a dot model).

Same printer, checks, header and template as :func:`~heatbounds.codegen.emit.emit_module`;
the functions are

* ``sum_rule``: the weighted spectral moment sum_{nn'} h_{n'n} mu^(k)_{nn'}
  (:mod:`heatbounds.symbolic.fermion_derivation`), lead sums over arrays of
  the lead modes' energies and tunnelling amplitudes;
* ``current_bound``: (c_0/hbar) k_B abs(T_L - T_R) Gamma_eff sum h mu^(0), the
  bound on abs(J_Q) for either order of the temperatures (wide-band leads
  coupled proportionally, zero bias);
* ``conductance_bound``: (c_0/hbar) k_B Gamma_eff sum h mu^(0);
* ``quantum_of_conductance``: pi^2 k_B^2 T/(3h), one open electronic channel.

c_0 = max_x x^2 e^x/(1 + e^x)^2 is written into the module as a number
(:func:`fermi_window_constant`, 30 digits by mpmath).
"""

from __future__ import annotations

from functools import cache

import mpmath
from sympy import Float, Symbol, pi

from heatbounds.codegen.emit import FunctionSpec, _render, either_order
from heatbounds.codegen.emit_text import glossary
from heatbounds.codegen.numpy_printer import CodegenError
from heatbounds.codegen.provenance import source_lines
from heatbounds.codegen.units import UNIT_SYSTEMS, output_unit
from heatbounds.symbolic.bounds import T
from heatbounds.symbolic.fermion_derivation import derive_fermion
from heatbounds.symbolic.fermion_junction import FermionJunction
from heatbounds.symbolic.parameters import hbar, k_B, symbol

__all__ = ["emit_fermion_module", "fermi_window_constant"]

CURRENT_NOTES = (
    "J_Q <= (c_0/hbar) k_B (T_L - T_R) Gamma_eff sum h mu^(0) holds for T_L >= T_R; the leads "
    "enter symmetrically (Gamma_eff is symmetric in Gamma_L, Gamma_R), so for either order "
    "|J_Q| <= (c_0/hbar) k_B |T_L - T_R| Gamma_eff sum h mu^(0), which this returns."
)
CONDITIONS = (
    "The bounds hold for wide-band leads coupled proportionally (Gamma_R^{nn'} a multiple of "
    "Gamma_L^{nn'}) at zero bias; c_0 = max_x x^2 e^x/(1 + e^x)^2 at x tanh(x/2) = 2. Their "
    "proof is on the docs page 'Electronic junctions'."
)


@cache
def fermi_window_constant(digits: int = 30) -> Float:
    """c_0 = x*^2 e^x*/(1 + e^x*)^2 with x* tanh(x*/2) = 2, to ``digits`` digits (mpmath)."""
    with mpmath.workdps(digits + 10):
        x = mpmath.findroot(lambda y: y * mpmath.tanh(y / 2) - 2, 2.4)
        value = x**2 * mpmath.exp(x) / (1 + mpmath.exp(x)) ** 2
        return Float(mpmath.nstr(value, digits), digits)


def emit_fermion_module(
    junction: FermionJunction, *, units: str = "reduced", moment: int = 0, command: str
) -> str:
    """The numeric module of a fermionic junction's sum rule and bounds, as text.

    ``units`` must be "reduced" (hbar = k_B = 1): the SI unit of each model
    parameter is not fixed by a fermionic model file yet.
    """
    if units not in UNIT_SYSTEMS:
        raise CodegenError(f"unknown units {units!r}; choose from {', '.join(UNIT_SYSTEMS)}")
    if units != "reduced":
        raise CodegenError("a fermionic model is emitted in reduced units only (--units reduced)")
    d = derive_fermion(junction, moment=moment)
    c_0 = {symbol("c_0"): fermi_window_constant()}
    temperature = T if isinstance(T, Symbol) else symbol("T")
    specs = [
        FunctionSpec(
            "sum_rule",
            d.sum_rule,
            (),
            f"weighted spectral moment M_{moment} = sum h mu^({moment}) of the {d.model} "
            "model, mu^(k)_{nn'} = <{L^k A_n, A_n'^dag}>",
            output_unit("sum_rule", units, moment),
        ),
        FunctionSpec(
            "current_bound",
            either_order(d.current_bound.xreplace(c_0)),
            ("T_L", "T_R"),
            f"Sum-rule bound on |J_Q|, the magnitude of the electronic heat current of the "
            f"{d.model} model, for either order of the temperatures",
            output_unit("current_bound", units),
            notes=CURRENT_NOTES,
        ),
        FunctionSpec(
            "conductance_bound",
            d.conductance_bound.xreplace(c_0),
            (),
            f"Sum-rule bound on the zero-bias heat conductance kappa of the {d.model} model",
            output_unit("conductance_bound", units),
        ),
        FunctionSpec(
            "quantum_of_conductance",
            pi * k_B**2 * temperature / (6 * hbar),
            ("T",),
            "Quantum of thermal conductance pi^2 k_B^2 T/(3h) = pi k_B^2 T/(6 hbar) of one "
            "open electronic channel",
            output_unit("quantum_of_conductance", units),
        ),
    ]
    meanings = glossary(d, [s.expr for s in specs])
    meanings["M"] = "number M of modes of each lead: the length of every mode axis"
    return _render(
        specs,
        title=f"Sum-rule bounds of the {d.model} junction (a dot between two leads)"
        + (f": {d.description}" if d.description else ""),
        units=units,
        command=command,
        source=source_lines(junction, moment),
        meanings=meanings,
        notes=[CONDITIONS],
        baths=False,
    )
