"""The canonical form of one term ``(coefficient, summed dummies, word)``.

A term is canonical when

* its coefficient is canonical (:mod:`heatbounds.symbolic.coefficients`);
* no Kronecker delta involves a summed dummy: such a delta is eliminated,
  the dummy replaced by the other index and its sum dropped;
* every remaining delta relates free indices (or a free index and a number):
  the indices it identifies form one class, whose *representative* is the
  least by :func:`~heatbounds.symbolic.indices.index_key` (numbers first, then
  names). The rest of the term is written with representatives only, and the
  deltas as ``KroneckerDelta(representative, member)``; a free index is never
  eliminated. A class holding two different numbers makes the term zero;
* summed dummies are named canonically (``_n1, _n2, ...`` for levels,
  ``_k1, ...`` for modes): the renaming that gives the least word is chosen,
  and where several do (a symmetry of the word, e.g. ``b_p b_q``), each
  product of the coefficient takes its own least renaming among them, so that
  a sum that vanishes by that symmetry is 0.

Every choice is made by a key computed from the renamed term alone (never from
the input's names or from hashes), so equal terms give byte-identical results.
"""

from __future__ import annotations

from itertools import permutations

from sympy import Add, Basic, Integer, KroneckerDelta, Mul, S
from sympy.core.function import Application

from heatbounds.symbolic.coefficients import canonical, is_zero
from heatbounds.symbolic.errors import IndexMismatchError
from heatbounds.symbolic.indices import Index, LevelIndex, ModeIndex, index_kind
from heatbounds.symbolic.words import word_indices, word_key, word_rename

__all__ = [
    "DUMMY_PREFIX",
    "INDEX_CLASS",
    "apart",
    "canonical_terms",
    "free_delta_representatives",
]

DUMMY_PREFIX = {"level": "_n", "mode": "_k"}
INDEX_CLASS = {"level": LevelIndex, "mode": ModeIndex}


def _dummy(kind: str, number: int) -> Index:
    return INDEX_CLASS[kind](f"{DUMMY_PREFIX[kind]}{number}")


def canonical_terms(coeff, dummies: tuple, word) -> list:
    """The canonical ``(coeff, dummies, word)`` terms whose sum is the given term."""
    coeff = canonical(coeff)
    if is_zero(coeff):
        return []
    if not isinstance(coeff, Basic) or not coeff.has(KroneckerDelta):
        return [_canonical_dummies(coeff, dummies, word)]
    out = []
    for addend in Add.make_args(coeff):
        addend, term_dummies, term_word = _eliminate_deltas(addend, dummies, word)
        addend, term_word = _free_deltas(addend, term_word)
        if not is_zero(addend):
            out.append(_canonical_dummies(addend, term_dummies, term_word))
    return out


def _delta_dummy_pair(factor, dummy_names):
    """If ``factor`` is a KroneckerDelta involving a summed dummy, (dummy, other)."""
    a, b = factor.args
    a_dummy = isinstance(a, Index) and a.name in dummy_names
    b_dummy = isinstance(b, Index) and b.name in dummy_names
    if a_dummy and b_dummy:
        return (a, b) if a.name > b.name else (b, a)
    if a_dummy:
        return a, b
    if b_dummy:
        return b, a
    return None


def _eliminate_deltas(addend, dummies: tuple, word) -> tuple:
    """Eliminate the deltas of one product ``addend`` against summed dummies."""
    while dummies:
        names = {d.name for d, _ in dummies}
        found = None
        for factor in Mul.make_args(addend):
            if isinstance(factor, KroneckerDelta):
                found = _delta_dummy_pair(factor, names)
                if found:
                    break
        if not found:
            break
        dummy, other = found
        kind = index_kind(other)
        if kind is not None and kind != dummy.kind:
            raise IndexMismatchError(
                f"delta between {dummy.kind} index {dummy} and {kind} index {other}"
            )
        addend = addend.xreplace({factor: S.One}).xreplace({dummy: other})
        word = word_rename(word, {dummy: other if isinstance(other, Index) else int(other)})
        dummies = tuple((d, u) for d, u in dummies if d != dummy)
    return addend, dummies, word


def _value_key(value) -> tuple:
    if isinstance(value, Index):
        return (1, value.name)
    return (0, int(value))


def _free_deltas(addend, word) -> tuple:
    """Rewrite one product to the representatives of its free-index deltas."""
    factors = Mul.make_args(addend)
    deltas = [
        f
        for f in factors
        if isinstance(f, KroneckerDelta) and all(isinstance(a, Index | Integer) for a in f.args)
    ]
    if not deltas:
        return addend, word
    parent: dict = {}

    def root(x):
        while x in parent:
            x = parent[x]
        return x

    members = []
    for factor in deltas:
        for a in factor.args:
            if a not in members:
                members.append(a)
        a, b = (root(x) for x in factor.args)
        if a == b:
            continue
        if not isinstance(a, Index) and not isinstance(b, Index):
            return S.Zero, word  # one index equal to two different numbers
        low, high = sorted((a, b), key=_value_key)
        parent[high] = low
    mapping = {m: root(m) for m in members if m in parent}
    if not mapping:
        return addend, word
    rest = Mul(*[f for f in factors if f not in deltas]).xreplace(mapping)
    new_deltas = [KroneckerDelta(rep, m) for m, rep in sorted(mapping.items(), key=_pair_key)]
    word_map = {m: rep if isinstance(rep, Index) else int(rep) for m, rep in mapping.items()}
    return Mul(rest, *new_deltas), word_rename(word, word_map)


def free_delta_representatives(expr):
    """A SymPy expression with each of its (expanded) products written with the
    representatives of its free-index deltas -- the rule the term store applies,
    for comparing a hand-written result with a derived one.

    >>> from heatbounds.symbolic.indices import LevelIndex
    >>> from sympy import Function, KroneckerDelta
    >>> i, k = LevelIndex("i"), LevelIndex("k")
    >>> free_delta_representatives(Function("E")(k) * KroneckerDelta(i, k))
    E(i)*KroneckerDelta(i, k)
    """
    return Add(*[_free_deltas(t, ())[0] for t in Add.make_args(canonical(expr))])


def _pair_key(item) -> tuple:
    return _value_key(item[0])


def _drop_unused_dummies(coeff, dummies: tuple, word):
    """A dummy that occurs nowhere in the term sums to its range: multiply by it."""
    if not dummies:
        return coeff, dummies
    used = set(word_indices(word))
    if isinstance(coeff, Basic):
        used |= coeff.free_symbols
    kept = []
    dropped = False
    for d, upper in dummies:
        if d in used:
            kept.append((d, upper))
        else:
            coeff = coeff * upper
            dropped = True
    if dropped:
        coeff = canonical(coeff)
    return coeff, tuple(kept)


def _canonical_dummies(coeff, dummies: tuple, word):
    """Rename summed dummies to canonical names (the smallest choice by key)."""
    coeff, dummies = _drop_unused_dummies(coeff, dummies, word)
    if not dummies:
        return coeff, dummies, word
    by_kind: dict[str, list] = {}
    for d, upper in dummies:
        by_kind.setdefault(d.kind, []).append((d, upper))
    choices = [{}]
    for kind, group in by_kind.items():
        names = [_dummy(kind, n + 1) for n in range(len(group))]
        grown = []
        for mapping in choices:
            for perm in permutations(names) if len(group) > 1 else [names]:
                m = dict(mapping)
                m.update({d: new for (d, _), new in zip(group, perm, strict=True)})
                grown.append(m)
        choices = grown
    if len(choices) == 1:
        mapping = choices[0]
        new_coeff = coeff.xreplace(mapping) if isinstance(coeff, Basic) else coeff
    else:
        summed = {d for d, _ in dummies}
        tied = choices
        if not summed.isdisjoint(word_indices(word)):
            tied = _least(tied, lambda m: word_key(word_rename(word, m)))
        mapping = tied[0]
        new_coeff = _renamed_products(coeff, summed, tied)
    new_word = word_rename(word, mapping)
    new_dummies = tuple(sorted(((mapping[d], u) for d, u in dummies), key=lambda p: p[0].name))
    return new_coeff, new_dummies, new_word


def _renamed_products(coeff, summed: set, tied: list):
    """The coefficient renamed product by product, each by its least renaming.

    Every renaming in ``tied`` gives the same (least) word, so the renamings
    differ by symmetries of the word; the sum over the dummies is unchanged when
    one product of the coefficient is renamed by such a symmetry, and so each
    product takes its own least renaming. The key is the product's factors that
    hold dummies, written with the new names (text of the renamed product if a
    dummy sits outside a function's arguments): it depends only on the renamed
    product and not on factors free of dummies, so the result is the same for
    terms that differ by a renaming, a sum or a dummy-free factor, and a
    coefficient that vanishes by the word's symmetry is 0.
    """
    if not isinstance(coeff, Basic):
        return coeff
    if len(tied) == 1:
        return coeff.xreplace(tied[0])
    out = []
    for term in Add.make_args(coeff):
        factors = _dummy_factors(term, summed)
        if factors is None:
            held = Mul(*[f for f in Mul.make_args(term) if not summed.isdisjoint(f.free_symbols)])
            best = min(tied, key=lambda m: str(held.xreplace(m)))
            out.append(term.xreplace(best))
            continue
        best = min(tied, key=lambda m: _factors_key(factors, m))
        out.append(term.xreplace(best))
    return canonical(Add(*out))


def _least(choices: list, key) -> list:
    keyed = [(key(m), m) for m in choices]
    least = min(k for k, _ in keyed)
    return [m for k, m in keyed if k == least]


def _dummy_factors(term, summed: set):
    """The factors of one product that hold dummies, as ``(function, arguments,
    exponent, ordered)``, dummies kept as themselves and other arguments as text;
    None if a dummy sits anywhere but in an argument of a function application.
    A function that may reorder its arguments (one with ``eval``) is keyed by
    their multiset (``ordered`` False)."""
    factors = []
    for factor in Mul.make_args(term):
        if summed.isdisjoint(factor.free_symbols):
            continue
        base, exponent = (factor.base, str(factor.exp)) if factor.is_Pow else (factor, "")
        if not (base.is_Function and all(a.is_Atom for a in base.args)):
            return None
        args = tuple(a if a in summed else str(a) for a in base.args)
        ordered = base.func.eval.__func__ is Application.eval.__func__
        factors.append((base.func.__name__, args, exponent, ordered))
    return factors


def _factors_key(factors: list, mapping: dict) -> tuple:
    keyed = []
    for name, args, exponent, ordered in factors:
        names = tuple(a if isinstance(a, str) else mapping[a].name for a in args)
        keyed.append((name, names if ordered else tuple(sorted(names)), exponent))
    return tuple(sorted(keyed))


def apart(left_dummies, right_dummies, word, coeff):
    """Rename the right factor's dummies apart from the left factor's."""
    if not left_dummies or not right_dummies:
        return right_dummies, word, coeff
    taken = {d.name for d, _ in left_dummies}
    mapping = {}
    for d, _ in right_dummies:
        if d.name in taken:
            n = 1
            while f"{DUMMY_PREFIX[d.kind]}{n}_r" in taken:
                n += 1
            new = INDEX_CLASS[d.kind](f"{DUMMY_PREFIX[d.kind]}{n}_r")
            taken.add(new.name)
            mapping[d] = new
    if not mapping:
        return right_dummies, word, coeff
    new_dummies = tuple((mapping.get(d, d), u) for d, u in right_dummies)
    new_coeff = coeff.xreplace(mapping) if isinstance(coeff, Basic) else coeff
    return new_dummies, word_rename(word, mapping), new_coeff
