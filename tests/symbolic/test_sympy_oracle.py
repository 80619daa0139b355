"""SymPy's ``sympy.physics.quantum`` as a second, independent oracle.

Only on small concrete cases where SymPy is right: Pauli products simplified
by ``qsimplify_pauli`` (one spin, no bosons -- its normal ordering never moves
a Pauli operator past a boson), single-mode boson words normal ordered by
``normal_ordered_form``, and N-level matrix units as outer products of
orthonormal kets applied by ``qapply`` (concrete labels only: no ``Sum``, no
``secondquant.evaluate_deltas``).

Results are compared word by word: each side is turned into a map from a
neutral word key -- ``("spin", name, axis)``, ``("boson", name, (m, n))`` for
a^dagger^m a^n, ``("levels", name, (i, j))`` -- to its SymPy coefficient, our
side read from the term store, SymPy's from its normal-ordered output, which
must be a sum of single words. Where SymPy leaves sigma_+/sigma_- products
unsimplified, both sides are compared as SymPy ``represent`` matrices.
"""

from __future__ import annotations

from itertools import product

from sympy import Add, Integer, Matrix, Mul, Pow, Rational, S, Symbol, expand, eye, zeros
from sympy.physics.quantum import Commutator, Dagger, OuterProduct, qapply, represent
from sympy.physics.quantum.boson import BosonOp
from sympy.physics.quantum.operatorordering import normal_ordered_form
from sympy.physics.quantum.pauli import (
    SigmaMinus,
    SigmaPlus,
    SigmaX,
    SigmaY,
    SigmaZ,
    qsimplify_pauli,
)
from sympy.physics.quantum.state import OrthogonalBra, OrthogonalKet

from heatbounds.symbolic.commutators import ad_power, commutator
from heatbounds.symbolic.expectation import Expectation, expectation
from heatbounds.symbolic.models import harmonic, n_level_concrete, spin_boson
from heatbounds.symbolic.operators import Boson, OperatorExpr, Spin
from heatbounds.symbolic.parameters import hbar, symbol
from heatbounds.symbolic.sum_rules import moment, moment_operator, moment_tensor
from heatbounds.symbolic.words import AbstractOperator

OMEGA0, DELTA = symbol("omega0"), symbol("Delta")
LAM = Symbol("lam", real=True)

SPIN = Spin("sigma")
OURS_PAULI = {
    "x": SPIN.x,
    "y": SPIN.y,
    "z": SPIN.z,
    "plus": SPIN.plus,
    "minus": SPIN.minus,
}
SYMPY_PAULI = {
    "x": SigmaX("sigma"),
    "y": SigmaY("sigma"),
    "z": SigmaZ("sigma"),
    "plus": SigmaPlus("sigma"),
    "minus": SigmaMinus("sigma"),
}
SYMPY_AXIS = {SigmaX: "x", SigmaY: "y", SigmaZ: "z"}

A = BosonOp("a")
AD = Dagger(A)


# --- neutral word maps ------------------------------------------------------------------


def ours_words(expr: OperatorExpr) -> dict:
    """Our expression as {neutral word key: coefficient} (concrete terms only)."""
    out: dict = {}
    for coeff, dummies, word in expr.sorted_terms():
        assert not dummies, "the SymPy oracle only covers terms without sums"
        key = []
        for segment in word:
            assert not isinstance(segment, AbstractOperator)
            for (_, family, name), content in segment:
                key.append((family, name, content))
        key = tuple(key)
        assert key not in out
        out[key] = S(coeff)
    return out


def _sympy_factor_key(factor) -> tuple:
    """One normal-ordered non-commutative factor of a SymPy term, as a word key part."""
    if type(factor) in SYMPY_AXIS:
        return ("spin", str(factor.name), SYMPY_AXIS[type(factor)])
    base, power = (factor.base, int(factor.exp)) if isinstance(factor, Pow) else (factor, 1)
    if isinstance(base, BosonOp):  # Dagger(a) is itself a BosonOp, a creator
        content = (0, power) if base.is_annihilation else (power, 0)
        return ("boson", base.name.name, content)
    raise AssertionError(f"unexpected SymPy factor {factor!r}")


def sympy_words(expr) -> dict:
    """A normal-ordered SymPy operator expression as {neutral word key: coefficient}."""
    out: dict = {}
    for term in Add.make_args(expand(expr)):
        commuting, ordered = term.args_cnc()
        parts = [_sympy_factor_key(f) for f in ordered]
        # Merge a^dagger^m a^n of one mode into one content; insist on normal order.
        key: list = []
        for family, name, content in parts:
            if key and key[-1][0] == family == "boson" and key[-1][1] == name:
                (m1, n1), (m2, n2) = key[-1][2], content
                assert n1 == 0 and m2 == 0, f"{term} is not normal ordered"
                key[-1] = (family, name, (m1, n2))
            else:
                key.append((family, name, content))
        key = tuple(key)
        out[key] = expand(out.get(key, S.Zero) + Mul(*commuting))
    return {k: v for k, v in out.items() if v != 0}


def assert_same_words(ours: OperatorExpr, theirs) -> None:
    left, right = ours_words(ours), sympy_words(theirs)
    assert left.keys() == right.keys(), (left, right)
    for key in left:
        assert expand(left[key] - right[key]) == 0, (key, left[key], right[key])


def pauli_to_sympy(expr: OperatorExpr):
    """Our spin expression rewritten with SymPy's SigmaX/Y/Z (word by word)."""
    total = S.Zero
    for key, coeff in ours_words(expr).items():
        factors = [SYMPY_PAULI[axis] for family, _, axis in key if family == "spin"]
        assert len(factors) == len(key)
        total += coeff * Mul(*factors)
    return total


def pauli_matrix(expr) -> Matrix:
    """A SymPy spin expression as a 2x2 matrix, each Pauli factor by ``represent``."""
    out = zeros(2, 2)
    for term in Add.make_args(expand(expr)):
        commuting, ordered = term.args_cnc()
        m = eye(2)
        for factor in ordered:
            base, power = (factor.base, int(factor.exp)) if isinstance(factor, Pow) else (factor, 1)
            m = m * represent(base) ** power
        out += Mul(*commuting) * m
    return out.applyfunc(expand)


# --- (a) Pauli algebra -------------------------------------------------------------------


def test_pauli_products_match_qsimplify_pauli():
    axes = ("x", "y", "z")
    checked = 0
    for length in (2, 3, 4):
        for word in product(axes, repeat=length):
            ours = OURS_PAULI[word[0]]
            theirs = SYMPY_PAULI[word[0]]
            for axis in word[1:]:
                ours = ours * OURS_PAULI[axis]
                theirs = theirs * SYMPY_PAULI[axis]
            assert_same_words(ours, qsimplify_pauli(theirs))
            checked += 1
    assert checked == 9 + 27 + 81


def test_pauli_commutators_match_sympy():
    names = tuple(OURS_PAULI)
    nonzero = 0
    for left, right in product(names, repeat=2):
        ours = commutator(OURS_PAULI[left], OURS_PAULI[right])
        theirs = Commutator(SYMPY_PAULI[left], SYMPY_PAULI[right]).doit()
        assert pauli_matrix(pauli_to_sympy(ours)) == pauli_matrix(theirs), (left, right)
        if {left, right} <= {"x", "y", "z"}:
            assert_same_words(ours, qsimplify_pauli(theirs))
        nonzero += not ours.is_zero()
    assert nonzero == 5 * 5 - 5  # only each operator with itself commutes


def test_raising_lowering_products_match_represent():
    names = tuple(OURS_PAULI)
    for word in product(names, repeat=3):
        ours = OURS_PAULI[word[0]] * OURS_PAULI[word[1]] * OURS_PAULI[word[2]]
        theirs = SYMPY_PAULI[word[0]] * SYMPY_PAULI[word[1]] * SYMPY_PAULI[word[2]]
        assert pauli_matrix(pauli_to_sympy(ours)) == pauli_matrix(theirs), word
    # sigma_+ sigma_- = (1 + sigma_z)/2 also as SymPy simplifies it, word by word.
    assert_same_words(
        SPIN.plus * SPIN.minus, qsimplify_pauli(SYMPY_PAULI["plus"] * SYMPY_PAULI["minus"])
    )


def test_spin_boson_system_double_commutator():
    h_s = hbar * DELTA / 2 * SPIN.x
    ours = commutator(SPIN.z, commutator(h_s, SPIN.z))
    sx, sz = SYMPY_PAULI["x"], SYMPY_PAULI["z"]
    theirs = qsimplify_pauli(
        expand(Commutator(sz, Commutator(hbar * DELTA / 2 * sx, sz).doit()).doit())
    )
    assert_same_words(ours, theirs)
    assert_same_words(ours, -2 * hbar * DELTA * sx)
    # With the baths: H_SB = sigma_z X_bath commutes with sigma_z, so the full
    # Eq. 16 moment is SymPy's system-only double commutator over 2 hbar^2.
    full = moment(spin_boson(), 1, ("z", "z"))
    assert expand(full - expectation(ours) / (2 * hbar**2)) == 0
    assert full != 0


# --- (b) a single boson mode -----------------------------------------------------------


def test_boson_products_normal_ordered_like_sympy():
    a = Boson("a")
    for n, m in product(range(5), repeat=2):
        ours = a.annihilate**n * a.create**m
        theirs = normal_ordered_form(A**n * AD**m)
        assert_same_words(ours, theirs)
    # A mixed word: a^dag a^3 a^dag^2 a a^dag.
    ours = a.create * a.annihilate**3 * a.create**2 * a.annihilate * a.create
    theirs = normal_ordered_form(expand(AD * A**3 * AD**2 * A * AD))
    assert_same_words(ours, theirs)
    assert len(ours) == 4


def _sympy_commutator(left, right):
    """[left, right] of normal-ordered SymPy boson expressions, normal ordered."""
    return normal_ordered_form(expand(left * right - right * left))


def test_harmonic_double_commutator_matches_sympy():
    a = Boson("a")
    h_ours = hbar * OMEGA0 * (a.number + Rational(1, 2))
    h_theirs = hbar * OMEGA0 * (AD * A + Rational(1, 2))
    x_theirs = A + AD
    ours = commutator(a.x, commutator(h_ours, a.x))
    theirs = _sympy_commutator(x_theirs, _sympy_commutator(h_theirs, x_theirs))
    assert_same_words(ours, theirs)
    nested = Commutator(x_theirs, Commutator(h_theirs, x_theirs)).doit()
    assert_same_words(ours, normal_ordered_form(expand(nested)))
    assert ours == 2 * hbar * OMEGA0
    # The full Eq. 13 junction (bath terms commute with x): m = omega0/hbar.
    assert moment(harmonic(counterterm=False)) == OMEGA0 / hbar


def test_anharmonic_nested_commutators_match_sympy():
    """ad_H^s(x) for H = hbar omega0 (n + 1/2) + lam x^4: non-trivial words at s = 2, 3."""
    a = Boson("a")
    h_ours = hbar * OMEGA0 * (a.number + Rational(1, 2)) + LAM * a.x**4
    x_theirs = A + AD
    h_theirs = normal_ordered_form(
        expand(hbar * OMEGA0 * (AD * A + Rational(1, 2)) + LAM * x_theirs**4)
    )
    assert_same_words(h_ours, h_theirs)
    theirs = x_theirs
    for s in (1, 2, 3):
        theirs = _sympy_commutator(h_theirs, theirs)
        ours = ad_power(h_ours, a.x, s)
        assert_same_words(ours, theirs)
        assert len(ours) >= 2
    # The double commutator of the junction, with its bath terms: still 2 hbar omega0.
    junction = harmonic(anharmonic_order=4, counterterm=False)
    assert_same_words(
        moment_operator(junction, 1, ("x", "x")),
        _sympy_commutator(x_theirs, _sympy_commutator(h_theirs, x_theirs)),
    )


# --- (c) N-level systems by outer products -----------------------------------------------


def _unit(i: int, j: int):
    return OuterProduct(OrthogonalKet(Integer(i)), OrthogonalBra(Integer(j)))


def _outer_product_coefficients(expr) -> dict:
    """{(a, b): coefficient of |a><b|} of an expanded sum of outer products."""
    out: dict = {}
    for term in Add.make_args(expand(expr)):
        if term == 0:
            continue
        commuting, ordered = term.args_cnc()
        assert len(ordered) == 1 and isinstance(ordered[0], OuterProduct), term
        ket, bra = ordered[0].ket, ordered[0].bra
        key = (int(ket.label[0]), int(bra.label[0]))
        out[key] = expand(out.get(key, S.Zero) + Mul(*commuting))
    return {k: v for k, v in out.items() if v != 0}


def _expectation_coefficients(value) -> dict:
    """{(a, b): coefficient of <|a><b|>} of one of our tensor entries."""
    out: dict = {}
    for term in Add.make_args(expand(value)):
        if term == 0:
            continue
        atoms = [f for f in Mul.make_args(term) if isinstance(f, Expectation)]
        assert len(atoms) == 1, term
        atom = atoms[0]
        assert atom.identifier == "A"
        key = tuple(int(v) for v in atom.indices)
        assert str(atom) == f"A_{key[0]}_{key[1]}"
        out[key] = expand(out.get(key, S.Zero) + term / atom)
    return {k: v for k, v in out.items() if v != 0}


def _sympy_double_commutators(energies) -> dict:
    """{(i, j, k, l): {(a, b): coeff}} of [A_kl^dagger, [H, A_ij]] by qapply."""
    n = len(energies)
    h = Add(*(energies[m - 1] * _unit(m, m) for m in range(1, n + 1)))
    out = {}
    for i, j in product(range(1, n + 1), repeat=2):
        inner = qapply(expand(h * _unit(i, j) - _unit(i, j) * h))
        for k, l in product(range(1, n + 1), repeat=2):
            dagger = Dagger(_unit(k, l))
            out[(i, j, k, l)] = _outer_product_coefficients(
                qapply(expand(dagger * inner - inner * dagger))
            )
    return out


def _check_n_level(n: int) -> None:
    energies = [Symbol(f"E_{m}", real=True) for m in range(1, n + 1)]
    theirs = _sympy_double_commutators(energies)
    tensor7 = moment_tensor(n_level_concrete(energies, include_bath=False), 1)
    tensor12 = moment_tensor(n_level_concrete(energies, include_bath=False), 1, order="eq12")
    assert tensor7.shape == (n, n, n, n)
    nonzero = 0
    for (i, j, k, l), coefficients in theirs.items():
        expected = {key: expand(c / (2 * hbar**2)) for key, c in coefficients.items()}
        # Eq. 7 order: m_{ij,kl} = <[A_kl^dagger, [H, A_ij]]> / (2 hbar^2).
        got = _expectation_coefficients(tensor7[i - 1, j - 1, k - 1, l - 1])
        assert got.keys() == expected.keys(), (i, j, k, l, got, expected)
        for key in got:
            assert expand(got[key] - expected[key]) == 0, (i, j, k, l, key)
        # Eq. 12 order is the transpose: its [k, l, i, j] entry is the same commutator.
        assert _expectation_coefficients(tensor12[k - 1, l - 1, i - 1, j - 1]) == got
        nonzero += bool(expected)
    assert nonzero > 0


def test_two_level_tensor_matches_qapply():
    _check_n_level(2)


def test_three_level_tensor_matches_qapply():
    _check_n_level(3)
