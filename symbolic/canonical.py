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

from itertools import count, permutations

from sympy import Add, Basic, Integer, KroneckerDelta, Mul, S
from sympy.core.function import Application

from heatbounds.symbolic.coefficients import Memo, canonical, is_zero
from heatbounds.symbolic.errors import IndexMismatchError
from heatbounds.symbolic.indices import Index, LevelIndex, ModeIndex, SiteIndex, index_kind
from heatbounds.symbolic.words import (
    word_identify,
    word_indices,
    word_key,
    word_rename_signed,
)

__all__ = [
    "DUMMY_PREFIX",
    "INDEX_CLASS",
    "apart",
    "canonical_keys",
    "canonical_terms",
    "free_delta_representatives",
]

DUMMY_PREFIX = {"level": "_n", "mode": "_k", "site": "_s"}
INDEX_CLASS = {"level": LevelIndex, "mode": ModeIndex, "site": SiteIndex}


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
        for eliminated, term_dummies, term_word in _eliminate_deltas(addend, dummies, word):
            for product, product_word, settled in _free_deltas(eliminated, term_word):
                if is_zero(product):
                    continue
                if settled:
                    out.append(_canonical_dummies(product, term_dummies, product_word))
                else:  # a reduced word's weights may hold new deltas: once more
                    out.extend(canonical_terms(product, term_dummies, product_word))
    return out


def canonical_keys(coeff, dummies: tuple, word) -> list:
    """The ``(dummies, word)`` keys of :func:`canonical_terms` of the term, in its
    order, without renaming the coefficient (where no delta needs eliminating)."""
    coeff = canonical(coeff)
    if is_zero(coeff):
        return []
    if not isinstance(coeff, Basic) or not coeff.has(KroneckerDelta):
        _, kept = _drop_unused_dummies(S.One, dummies, word, coeff)
        if not kept:
            return [((), word)]
        renaming = _renamings(kept, word)
        return [(renaming.dummies, renaming.word)]
    return [(d, w) for _, d, w in canonical_terms(coeff, dummies, word)]


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


def _eliminate_deltas(addend, dummies: tuple, word) -> list:
    """Eliminate the deltas of one product ``addend`` against summed dummies: the
    ``(addend, dummies, word)`` terms whose sum it is (one, unless identifying two
    indices splits the word: :func:`~heatbounds.symbolic.words.word_identify`)."""
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
        # addend.xreplace({factor: 1}).xreplace({dummy: other}) in one pass: the
        # factors of a canonical product are atoms, function applications and their
        # powers, so the product rebuilt without ``factor`` has the same factors.
        one, rule = {factor: S.One}, {dummy: other}
        addend = Mul(
            *[
                S.One if f == factor else f.xreplace(one).xreplace(rule)
                for f in Mul.make_args(addend)
            ]
        )
        dummies = tuple((d, u) for d, u in dummies if d != dummy)
        words = word_identify(word, {dummy: other if isinstance(other, Index) else int(other)})
        if len(words) != 1:  # split (a reduced spin chain) or zero (a fermion repeated)
            return [
                term
                for weight, split in words
                for term in _eliminate_deltas(weight * addend, dummies, split)
            ]
        weight, word = words[0]
        if weight != 1:  # fermion modes re-sorted
            addend = weight * addend
    return [(addend, dummies, word)]


def _value_key(value) -> tuple:
    if isinstance(value, Index):
        return (1, value.name)
    return (0, int(value))


def _free_deltas(addend, word) -> list:
    """Rewrite one product to the representatives of its free-index deltas: the
    ``(addend, word, settled)`` terms whose sum it is; ``settled`` is False where
    identifying indices split the word into reduced words (their weights may hold
    deltas of their own, :func:`~heatbounds.symbolic.words.word_identify`)."""
    factors = Mul.make_args(addend)
    deltas = [
        f
        for f in factors
        if isinstance(f, KroneckerDelta) and all(isinstance(a, Index | Integer) for a in f.args)
    ]
    if not deltas:
        return [(addend, word, True)]
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
            return []  # one index equal to two different numbers
        low, high = sorted((a, b), key=_value_key)
        parent[high] = low
    mapping = {m: root(m) for m in members if m in parent}
    if not mapping:
        return [(addend, word, True)]
    rest = Mul(*[f for f in factors if f not in deltas]).xreplace(mapping)
    new_deltas = [KroneckerDelta(rep, m) for m, rep in sorted(mapping.items(), key=_pair_key)]
    word_map = {m: rep if isinstance(rep, Index) else int(rep) for m, rep in mapping.items()}
    product = Mul(rest, *new_deltas)
    words = word_identify(word, word_map)
    settled = len(words) == 1 and words[0][0] in (1, -1)
    return [(weight * product, split, settled) for weight, split in words]


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
    return Add(*[a for t in Add.make_args(canonical(expr)) for a, _, _ in _free_deltas(t, ())])


def _pair_key(item) -> tuple:
    return _value_key(item[0])


def _drop_unused_dummies(coeff, dummies: tuple, word, uses=None):
    """A dummy that occurs nowhere in the term sums to its range: multiply by it.

    The dummies the coefficient uses are those of ``uses`` if given (else of
    ``coeff`` itself)."""
    if not dummies:
        return coeff, dummies
    used = set(word_indices(word))
    uses = coeff if uses is None else uses
    if isinstance(uses, Basic):
        used |= uses.free_symbols
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
    renaming = _renamings(dummies, word)
    return _renamed_coefficient(coeff, renaming), renaming.dummies, renaming.word


class _Renaming:
    """The canonical renamings of one ``(dummies, word)``: every renaming that gives
    the least word (``tied``, in the order they are enumerated), and the renamed
    word and dummies. It depends on the dummies and the word alone, so it is
    computed once per distinct pair (:func:`_renamings`); ``token`` names it in
    the cache of renamed coefficients."""

    __slots__ = ("dummies", "per_product", "signs", "summed", "tied", "token", "word")

    def __init__(
        self, tied: list, signs: list, per_product: bool, summed: frozenset, word, dummies, token
    ):
        self.tied = tied
        self.signs = signs
        self.per_product = per_product
        self.summed = summed
        self.word = word
        self.dummies = dummies
        self.token = token


# An entry holds every least renaming (a few hundred dicts at most): keep fewer.
_RENAMINGS = Memo("heatbounds.symbolic.canonical.renamings", limit=20_000)
_RENAMED = Memo("heatbounds.symbolic.canonical.renamed coefficients")
_TOKENS = count()


def _renamings(dummies: tuple, word) -> _Renaming:
    key = (dummies, word)
    cached = _RENAMINGS.get(key)
    if cached is not None:
        return cached
    by_kind: dict[str, list] = {}
    for d, upper in dummies:
        by_kind.setdefault(d.kind, []).append((d, upper))
    summed = frozenset(d for d, _ in dummies)
    in_word = summed.intersection(word_indices(word))
    if in_word and _one_kind_per_content(word):
        tied = _least_by_kind(by_kind, in_word, word)
    else:
        tied = _all_renamings(by_kind)
        if len(tied) > 1 and in_word:
            tied = _least(tied, lambda m: word_key(word_rename_signed(word, m)[1]))
    mapping = tied[0]
    sign, new_word = word_rename_signed(word, mapping)
    if _has_odd(word):  # a symmetry of the word may carry a sign
        signs = [sign] + [word_rename_signed(word, m)[0] for m in tied[1:]]
    else:
        signs = [1] * len(tied)
    new_dummies = tuple(sorted(((mapping[d], u) for d, u in dummies), key=lambda p: p[0].name))
    renaming = _Renaming(tied, signs, len(tied) > 1, summed, new_word, new_dummies, next(_TOKENS))
    return _RENAMINGS.store(key, renaming)


def _has_odd(word) -> bool:
    """Whether the word holds a content of an odd family (fermions)."""
    return any(s.family.parity for seg in word if isinstance(seg, tuple) for s, _ in seg)


def _kind_renamings(kind: str, group: list) -> list:
    """Every renaming of one kind's dummies to its canonical names, in order."""
    names = [_dummy(kind, n + 1) for n in range(len(group))]
    perms = permutations(names) if len(group) > 1 else [names]
    return [{d: new for (d, _), new in zip(group, perm, strict=True)} for perm in perms]


def _all_renamings(by_kind: dict) -> list:
    """Every renaming of the dummies (the first kind's choice varying slowest)."""
    choices = [{}]
    for kind, group in by_kind.items():
        choices = [{**m, **k} for m in choices for k in _kind_renamings(kind, group)]
    return choices


def _one_kind_per_content(word) -> bool:
    """True when no operator of the word holds indices of two kinds (so that each
    part of the word's key depends on the renaming of one kind only)."""
    for segment in word:
        if isinstance(segment, tuple):
            for item in segment:
                kinds = {i.kind for i in word_indices(((item,),)) if isinstance(i, Index)}
                if len(kinds) > 1:
                    return False
    return True


def _least_by_kind(by_kind: dict, in_word: frozenset, word) -> list:
    """The renamings that give the least word, found kind by kind.

    Each part of the word's key (one operator's content) depends on the names
    of one kind only, and the key compares part by part; so a renaming gives the
    least key exactly when each kind's part of it gives the least key with the
    other kinds' names held fixed, and the least renamings are the products of
    each kind's least ones, in the order in which all renamings are enumerated.
    A kind's renamings that agree on the dummies in the word give the same word,
    whose key is computed once.
    """
    tied = [{}]
    for kind, group in by_kind.items():
        options = _kind_renamings(kind, group)
        seen = [d for d, _ in group if d in in_word]
        if len(options) > 1 and seen:
            options = _least(options, _word_key_on(word, seen))
        tied = [{**m, **k} for m in tied for k in options]
    return tied


def _renamed_coefficient(coeff, renaming: _Renaming):
    """The coefficient under ``renaming`` (memoised per coefficient and renaming)."""
    if not isinstance(coeff, Basic):
        if all(sign == 1 for sign in renaming.signs):
            return coeff
        coeff = Integer(coeff)
    key = (coeff, renaming.token)
    cached = _RENAMED.get(key)
    if cached is not None:
        return cached
    if renaming.per_product:
        out = _renamed_products(coeff, renaming.summed, renaming.tied, renaming.signs)
    else:
        out = coeff.xreplace(renaming.tied[0])
        if renaming.signs[0] != 1:
            out = renaming.signs[0] * out
    return _RENAMED.store(key, out)


def _renamed_products(coeff, summed: set, tied: list, signs: list):
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

    A symmetry of a fermionic word may carry a sign (c^dag_p c^dag_q under
    p <-> q: -1), given by ``signs``; a product that the least renamings with
    both signs leave equal is its own negative, and is dropped.
    """
    if len(tied) == 1:
        out = coeff.xreplace(tied[0])
        return out if signs[0] == 1 else signs[0] * out
    odd = any(sign != 1 for sign in signs)
    out = []
    for term in Add.make_args(coeff):
        factors = _dummy_factors(term, summed)
        if factors is None:
            held = Mul(*[f for f in Mul.make_args(term) if not summed.isdisjoint(f.free_symbols)])
            keyed = [(str(held.xreplace(m)), n) for n, m in enumerate(tied)]
        else:
            keyed = [(_factors_key(factors, m), n) for n, m in enumerate(tied)]
        least = min(k for k, _ in keyed)
        best = next(n for k, n in keyed if k == least)
        if odd and len({signs[n] for k, n in keyed if k == least}) > 1:
            continue  # equal to its own negative
        renamed = term.xreplace(tied[best])
        out.append(renamed if signs[best] == 1 else signs[best] * renamed)
    return canonical(Add(*out))


def _word_key_on(word, seen: list):
    """The key of the renamed word, computed once per renaming of ``seen`` (the
    dummies in the word)."""
    keys: dict = {}

    def key(mapping):
        names = tuple(mapping[d] for d in seen)
        if names not in keys:
            keys[names] = word_key(word_rename_signed(word, mapping)[1])
        return keys[names]

    return key


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
    sign, new_word = word_rename_signed(word, mapping)
    return new_dummies, new_word, new_coeff if sign == 1 else sign * new_coeff
