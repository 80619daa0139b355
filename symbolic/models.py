"""Built-in junction models: harmonic (Eq. 13), spin-boson (Eq. 16), N-level (Eq. 11).

Each factory returns a fresh :class:`~heatbounds.symbolic.junction.Junction`;
:data:`BUILTIN_MODELS` maps the command-line names to factories.

Examples
--------
>>> from heatbounds.symbolic.sum_rules import moment
>>> moment(harmonic(anharmonic_order=6))
omega0/hbar
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sympy import Function, Rational, Symbol

from heatbounds.symbolic.catalogue import BUILTIN_MODEL_DESCRIPTIONS
from heatbounds.symbolic.dissipation import Ohmic
from heatbounds.symbolic.errors import ModelError
from heatbounds.symbolic.indices import LevelIndex
from heatbounds.symbolic.junction import Junction, KeyedFunctionClass, MatrixUnits
from heatbounds.symbolic.operators import Boson, Levels, Spin, level_sum
from heatbounds.symbolic.parameters import MEANINGS, hbar, symbol

__all__ = [
    "BUILTIN_MODELS",
    "builtin_model",
    "harmonic",
    "n_level",
    "n_level_concrete",
    "spin_boson",
]

omega0, Delta = symbol("omega0"), symbol("Delta")
lam = Symbol("lam", real=True)


def harmonic(*, anharmonic_order: int | None = None, counterterm: bool = True) -> Junction:
    """Eq. 13: H_s = hbar omega0 (a^dagger a + 1/2) [+ lam x^n], A = x = a + a^dagger.

    With ``counterterm`` (default) the model carries the usual counterterm
    x^2 sum_k g_k^2/(hbar omega_k) that keeps it stable at the paper's alpha = 0.8,
    omega_c = 10 omega0; the exact response of
    :mod:`heatbounds.numeric.harmonic_response` is that of this model.
    """
    a = Boson("a")
    h_s = hbar * omega0 * (a.number + Rational(1, 2))
    params = {"omega0": MEANINGS["omega0"]}
    name = "harmonic" if counterterm else "harmonic-bare"
    if anharmonic_order is not None:
        if not isinstance(anharmonic_order, int) or anharmonic_order < 3:
            raise ModelError(f"anharmonic order must be an integer >= 3, got {anharmonic_order!r}")
        h_s = h_s + lam * a.x**anharmonic_order
        params["lam"] = f"strength lambda of the anharmonic potential lambda x^{anharmonic_order}"
        name = f"anharmonic-x{anharmonic_order}"
    return Junction(
        name=name,
        description="harmonic junction, Eq. 13"
        + (f", with lambda x^{anharmonic_order}" if anharmonic_order else "")
        + (", with counterterm" if counterterm else ", no counterterm"),
        system_hamiltonian=h_s,
        couplings={"x": a.x},
        dissipation=Ohmic(),
        counterterm=counterterm,
        parameters=params,
    )


def spin_boson() -> Junction:
    """Eq. 16: H_s = (hbar Delta / 2) sigma_x, A = sigma_z, h_zz = 1."""
    s = Spin("sigma")
    return Junction(
        name="spin-boson",
        description="non-equilibrium spin-boson model, Eq. 16",
        system_hamiltonian=hbar * Delta / 2 * s.x,
        couplings={"z": s.z},
        dissipation=Ohmic(),
        parameters={"Delta": MEANINGS["Delta"]},
    )


def _energy_latex(printer, level, exp=None) -> str:
    """``E_{n}``, or ``E_{n}^{exp}`` when SymPy prints a power of the function.

    SymPy's LaTeX printer passes ``exp=`` to a function's ``_latex`` hook when
    it prints ``f(x)**k``; the hook must take it.
    """
    tex = f"E_{{{printer._print(level)}}}"
    return tex if exp is None else f"{tex}^{{{exp}}}"


class energy(Function):
    """The level energy E_n of Eq. 11 (printed ``energy(n)``, LaTeX ``E_{n}``)."""

    is_real = True
    nargs = 1

    def _latex(self, printer, exp=None):
        return _energy_latex(printer, self.args[0], exp)


def n_level(size="N_levels") -> Junction:
    """Eq. 11 with symbolic levels: ``H_s = sum_n E_n |n><n|``, ``A_ij = |i><j|``, and
    Eq. 12's coupling."""
    levels = Levels("A", size)
    n = LevelIndex("_hs")
    h_s = level_sum(levels[n, n] * energy(n), n, levels.size)
    return Junction(
        name="n-level",
        description="multi-level junction, Eq. 11, with the bath coupling of Eq. 12",
        system_hamiltonian=h_s,
        couplings=MatrixUnits(levels),
        dissipation=Ohmic(),
        parameters={"N_levels": MEANINGS["N_levels"], "energy": MEANINGS["energy"]},
    )


class LevelEnergy(Function):
    """E_n of a concrete N-level system: evaluates to the given energy at an integer n.

    Kept unevaluated at a symbolic level index, so that H_s = sum_n E_n |n><n|
    stays one symbolic sum and the sum-rule tensor is derived once for
    symbolic (i, j, k, l) and then specialised (see ``moment_tensor``).
    """

    energies: tuple = ()
    nargs = 1
    is_real = True

    @classmethod
    def eval(cls, n):
        if n.is_Integer:
            return cls.energies[int(n) - 1]
        return None

    def _latex(self, printer, exp=None):
        return _energy_latex(printer, self.args[0], exp)


def _level_energy(energies: tuple) -> type:
    """The LevelEnergy function of these energies, which it carries.

    Classes made for equal energies compare equal (with equal hash), as
    ``sympy.Function`` classes of one name do, so equal models give equal terms
    without a registry; different energies give different functions.
    """
    return KeyedFunctionClass("level_energy", (LevelEnergy,), energies=tuple(energies))


def n_level_concrete(energies, *, include_bath: bool = True) -> Junction:
    """Eq. 11 with N = len(energies) given energies (numbers or SymPy expressions).

    ``include_bath=False`` keeps only H_s in the commutators (the isolated
    subsystem's part of the sum rule, as SymPy's physics.quantum computes it).
    """
    from sympy import SympifyError, sympify

    try:  # numbers or SymPy expressions; text is never parsed
        energies = tuple(sympify(e, strict=True) for e in energies)
    except SympifyError:
        raise ModelError(
            f"energies must be numbers or SymPy expressions, got {energies!r}"
        ) from None
    if len(energies) < 2:
        raise ModelError("an N-level junction needs at least two energies")
    levels = Levels("A", len(energies))
    energy_of = _level_energy(energies)
    n = LevelIndex("_hs")
    h_s = level_sum(levels[n, n] * energy_of(n), n, levels.size)
    params = {str(s): "level energy" for e in energies for s in e.free_symbols}
    return Junction(
        name=f"{len(energies)}-level",
        description=f"{len(energies)}-level junction, Eq. 11, with the bath coupling of Eq. 12",
        system_hamiltonian=h_s,
        couplings=MatrixUnits(levels),
        dissipation=Ohmic(),
        parameters=params,
        include_bath=include_bath,
    )


def _three_level() -> Junction:
    energies = [Symbol(f"E_{n}", real=True) for n in (1, 2, 3)]
    parameters = {f"E_{n}": f"energy of level {n}" for n in (1, 2, 3)}
    return replace(n_level_concrete(energies), name="three-level", parameters=parameters)


_FACTORIES: dict[str, Callable[[], Junction]] = {
    "harmonic": harmonic,
    "harmonic-bare": lambda: harmonic(counterterm=False),
    "anharmonic": lambda: harmonic(anharmonic_order=4),
    "spin-boson": spin_boson,
    "n-level": n_level,
    "three-level": _three_level,
}
BUILTIN_MODELS: dict[str, tuple[Callable[[], Junction], str]] = {
    name: (_FACTORIES[name], description)
    for name, description in BUILTIN_MODEL_DESCRIPTIONS.items()
}


def builtin_model(name: str) -> Junction:
    """A fresh built-in junction by its command-line name."""
    try:
        factory, _ = BUILTIN_MODELS[name]
    except KeyError:
        raise ModelError(
            f"unknown model {name!r}; built-in models are {', '.join(BUILTIN_MODELS)}"
        ) from None
    junction = factory()
    return junction if junction.name == name else replace(junction, name=name)
