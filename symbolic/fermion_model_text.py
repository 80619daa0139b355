"""Model files of fermionic junctions (``[model] statistics = "fermion"``): a dot between leads.

The file declares the dot's operators (``d_up = "fermion"``) and parameters as
any model file does; its ``[model]`` table gives

- ``statistics = "fermion"``;
- ``hamiltonian``: H_s of the dot, Hermitian and even in the fermions;
- ``coupling``: the odd operators A_n of the tunnelling sum_{nu k n}
  t^n_{nu k} c^dag_{nu k} A_n + h.c. (the h.c. is added: give each A_n once);
- ``flags`` (optional): the matrix h_{nn'} of Gamma^{nn'}_nu = h_{nn'}
  Gamma_nu, shared by both leads; or a table ``{L = [[...]], R = [[...]]}``
  of one matrix per lead, which must be proportional (Meir-Wingreen's
  proportional case), the factor going into Gamma_R.

``Gamma_L``, ``Gamma_R`` (wide-band level widths, energies hbar Gamma) and
``mu`` (the leads' common chemical potential) are built-in names here, beside
``hbar`` and ``k_B``. A bosonic bath (``dissipation``, ``counterterm``) cannot
be mixed into a fermionic file.

>>> j = fermion_junction_from_table({"name": "rlm", "operators": {"d": "fermion"},
...     "parameters": {"eps_0": "real"},
...     "model": {"statistics": "fermion", "hamiltonian": "eps_0*dag(d)*d", "coupling": ["d"]}},
...     source="rlm.toml")
>>> j.labels, j.statistics
(('A1',), 'fermion')
"""

from __future__ import annotations

from sympy import ImmutableMatrix

from heatbounds.symbolic.errors import HeatboundsError
from heatbounds.symbolic.expression_parser import _error, parse_expression
from heatbounds.symbolic.fermion_junction import FermionJunction
from heatbounds.symbolic.junction import ModelOrigin
from heatbounds.symbolic.operators import OperatorExpr
from heatbounds.symbolic.parameters import MEANINGS, symbol

__all__ = ["BUILTIN_NAMES", "FERMION_MODEL_KEYS", "fermion_junction_from_table"]

BUILTIN_NAMES = ("Gamma_L", "Gamma_R", "mu")
FERMION_MODEL_KEYS = {"statistics", "hamiltonian", "coupling", "flags"}
BOSONIC_KEYS = {"dissipation", "counterterm"}


def _flag_matrix(data, source: str, field: str, names: dict, n: int) -> ImmutableMatrix:
    from heatbounds.symbolic.model_text import _flags  # the same rules as for bosons

    return ImmutableMatrix(_flags(data, source, names, n, field))


def _lead_flags(data, source: str, names: dict, n: int):
    """(h, right_scale): one shared matrix, or one per lead that must be proportional."""
    if not isinstance(data, dict):
        return _flag_matrix(data, source, "model.flags", names, n), 1
    unknown = sorted(set(data) - {"L", "R"})
    if unknown or len(data) != 2:
        raise _error(source, "model.flags", "expected one matrix, or a table with keys L and R")
    left = _flag_matrix(data["L"], source, "model.flags.L", names, n)
    right = _flag_matrix(data["R"], source, "model.flags.R", names, n)
    pivot = next(((i, j) for i in range(n) for j in range(n) if left[i, j] != 0), None)
    scale = right[pivot] / left[pivot] if pivot is not None else None
    if scale is None or not (right - scale * left).is_zero_matrix or not scale.is_positive:
        raise _error(
            source,
            "model.flags",
            "non-proportional leads: Gamma_R^{nn'} must be a positive multiple of "
            "Gamma_L^{nn'} (the Meir-Wingreen bound needs the proportional case)",
        )
    return left, scale


def fermion_junction_from_table(
    data: dict, *, source: str, origin: ModelOrigin | None = None
) -> FermionJunction:
    """The fermionic junction described by a loaded model-file table."""
    from heatbounds.symbolic.model_text import (
        TOP_KEYS,
        _model_header,
        _operators,
        _parameters,
        _string,
        _table,
        coupling_operators,
    )

    _table(data, source, "top level", TOP_KEYS, {"name", "operators", "model"})
    model = data["model"]
    if isinstance(model, dict):
        mixed = sorted(BOSONIC_KEYS & set(model))
        if mixed:
            raise _error(
                source,
                f"model.{mixed[0]}",
                "mixing bosonic baths and fermionic leads in one file is not supported "
                '(statistics = "fermion" couples the dot to two electron leads only)',
            )
    name, description = _model_header(data, source)
    names: dict = {}
    _operators(data["operators"], source, names)
    meanings = _parameters(data.get("parameters", {}), source, names)
    for builtin in BUILTIN_NAMES:
        if builtin in names:
            raise _error(
                source,
                f"parameters.{builtin}",
                f"{builtin!r} is built in for fermionic models ({MEANINGS[builtin]})",
            )
        names[builtin] = symbol(builtin)
    model = _table(model, source, "model", FERMION_MODEL_KEYS, {"hamiltonian", "coupling"})
    field = "model.hamiltonian"
    h_s = parse_expression(
        _string(model["hamiltonian"], source, field), names, source=source, field=field
    )
    h_s = h_s if isinstance(h_s, OperatorExpr) else OperatorExpr.scalar(h_s)
    if not (h_s.dagger() - h_s).is_zero():
        raise _error(source, field, "H_s is not Hermitian", 1)
    spec = model["coupling"]
    if not isinstance(spec, list) or not spec:
        raise _error(source, "model.coupling", "expected a non-empty array of operator strings")
    couplings = coupling_operators(spec, source, names)
    flags, scale = None, 1
    if "flags" in model:
        flags, scale = _lead_flags(model["flags"], source, names, len(couplings))
    try:
        return FermionJunction(
            name=name,
            description=description,
            dot_hamiltonian=h_s,
            couplings=couplings,
            flags=flags,
            right_scale=scale,
            parameters=meanings,
            origin=origin,
        )
    except HeatboundsError as exc:  # the junction's own checks (odd couplings, pairs, flags)
        raise _error(source, "model", str(exc).removeprefix(f"model {name!r}: ")) from None
