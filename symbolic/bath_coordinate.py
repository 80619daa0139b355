"""The bath coordinate X_{nu p} = b + b^dag (and momentum P) as an atom of the compact form.

In Eq. 12 the bath operators of mode p of bath nu enter only through the
coordinate :math:`\\hat X_{\nu p} = \\hat b_{\nu p} + \\hat b^\\dagger_{\nu p}`.
:class:`BathCoordinate` is the expectation value :math:`\\langle W \\hat X_{\nu p}\rangle`
(or :math:`\\langle W \\hat P_{\nu p}\rangle`, :math:`\\hat P = i(\\hat b^\\dagger - \\hat b)`)
of one word W, carrying the two flat atoms it is made of; this module also
finds the pairs of flat atoms that combine (:func:`bath_coordinates`), names
and defines the coordinates (:func:`coordinate_glossary`) and prints the
compact form in the flat atoms (:func:`flat_atoms_str`).
:mod:`heatbounds.symbolic.compact` builds the compact form with them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from sympy import Dummy, Expr, I, default_sort_key
from sympy.core.symbol import Str
from sympy.printing.str import StrPrinter

from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.junction import BATHS
from heatbounds.symbolic.printing import word_str

__all__ = [
    "BathCoordinate",
    "bath_coordinates",
    "coordinate_glossary",
    "flat_atoms_str",
    "printed_expectations",
]

# X: the coordinate b + b^dag; P: the momentum i (b^dag - b).
_KINDS = {"X": "{b} + {bdag}", "P": "i ({bdag} - {b})"}


class BathCoordinate(Expr):
    r"""<W X_{nu p}> or <W P_{nu p}> of one word W and one bath mode (Eq. 3, 12).

    ``args`` are ``(Str(kind), b, bdag)``: ``kind`` is ``"X"`` (the coordinate
    :math:`\hat b + \hat b^\dagger`) or ``"P"`` (the momentum
    :math:`i(\hat b^\dagger - \hat b)`), ``b`` and ``bdag`` the flat
    :class:`~heatbounds.symbolic.expectation.Expectation` atoms
    :math:`\langle W\hat b_{\nu p}\rangle` and :math:`\langle W\hat b^\dagger_{\nu p}\rangle`,
    so that the atom is exactly :meth:`definition` (and substitution of
    indices reaches them).
    """

    is_commutative = True

    def __new__(cls, kind: str | Str, b: Expectation, bdag: Expectation):
        kind = kind.name if isinstance(kind, Str) else kind
        if kind not in _KINDS:
            raise ValueError(f"unknown bath-coordinate kind {kind!r} (X or P)")
        return Expr.__new__(cls, Str(kind), b, bdag)

    @property
    def kind(self) -> str:
        return self.args[0].name

    @property
    def b(self) -> Expectation:
        return self.args[1]

    @property
    def bdag(self) -> Expectation:
        return self.args[2]

    @property
    def indices(self) -> tuple:
        return self.b.indices

    def definition(self) -> Expr:
        """The flat value: <W b> + <W b^dag> (X) or i (<W b^dag> - <W b>) (P)."""
        if self.kind == "X":
            return self.b + self.bdag
        return I * (self.bdag - self.b)

    @property
    def identifier(self) -> str:
        """``A_X_L`` beside ``A_b_L`` and ``A_bdag_L``: the bath operator's name replaced."""
        return _coordinate_identifier(self.b.identifier, self.bdag.identifier, self.kind)

    def _sympystr(self, printer) -> str:
        if all(i.is_Integer for i in self.indices):
            return "_".join([self.identifier, *(str(i) for i in self.indices)])
        return f"{self.identifier}({', '.join(printer._print(i) for i in self.indices)})"

    def _latex(self, printer) -> str:
        return _coordinate_latex(printer._print(self.b), printer._print(self.bdag), self.kind)


def _coordinate_identifier(b: str, bdag: str, kind: str) -> str:
    parts_b, parts_d = b.split("_"), bdag.split("_")
    if len(parts_b) == len(parts_d):
        differ = [i for i, (x, y) in enumerate(zip(parts_b, parts_d, strict=True)) if x != y]
        if len(differ) == 1:
            parts_b[differ[0]] = kind
            return "_".join(parts_b)
    return f"{b}_{kind}"


def _coordinate_latex(tex_b: str, tex_bdag: str, kind: str) -> str:
    r"""``\langle W (b + b^dag) \rangle`` from the LaTeX of <W b> and <W b^dag>."""
    start = 0
    while start < min(len(tex_b), len(tex_bdag)) and tex_b[start] == tex_bdag[start]:
        start += 1
    end_b, end_d = len(tex_b), len(tex_bdag)
    while end_b > start and end_d > start and tex_b[end_b - 1] == tex_bdag[end_d - 1]:
        end_b, end_d = end_b - 1, end_d - 1
    # Widen the difference (the dagger) to the whole operator: back to its \hat, on over
    # its subscript.
    begin = tex_b.rfind(r"\hat", 0, start + 1)
    tail = tex_b[end_b:]
    close = 0
    if tail.startswith("_{"):
        depth = 0
        for close, ch in enumerate(tail):
            depth += {"{": 1, "}": -1}.get(ch, 0)
            if ch == "}" and depth == 0:
                close += 1
                break
    if begin < 0 or not tex_b.startswith(r"\langle") or not tex_b.endswith(r"\rangle"):
        op_b, op_d = tex_b, tex_bdag
        template = _KINDS[kind].replace("i (", "i \\left(").replace(")", "\\right)")
        return rf"\left({template.format(b=op_b, bdag=op_d)}\right)"
    op_b = tex_b[begin : end_b + close]
    op_d = tex_bdag[begin : end_d + close]
    inner = rf"\left({op_b} + {op_d}\right)" if kind == "X" else rf"i \left({op_d} - {op_b}\right)"
    return tex_b[:begin] + inner + tex_b[end_b + close :]


_BATH_TOKEN = re.compile(r"^(?P<name>\w+)(?P<dag>\^dag)?\[(?P<nu>\w+),(?P<mode>[^\]]+)\]$")


def _bath_token(tokens: list[str]):
    """(position, match) of the one bath operator of a word's plain text, else None."""
    found = []
    for position, token in enumerate(tokens):
        match = _BATH_TOKEN.match(token)
        if match and match["nu"] in BATHS:
            found.append((position, match))
    return found[0] if len(found) == 1 else None


def _bath_split(atom: Expectation):
    """((rest of the word, position, name, bath, mode), dagger) for one bath operator."""
    tokens = word_str(atom.word()).split(" ")
    found = _bath_token(tokens)
    if found is None:
        return None
    position, match = found
    rest = tuple(tokens[:position] + tokens[position + 1 :])
    return (rest, position, match["name"], match["nu"], match["mode"]), bool(match["dag"])


def bath_coordinates(expr: Expr) -> dict:
    """{<W b>: (X + i P)/2, <W b^dag>: (X - i P)/2} for every pair present in ``expr``."""
    halves: dict = defaultdict(dict)
    for atom in sorted(expr.atoms(Expectation), key=default_sort_key):
        split = _bath_split(atom)
        if split is not None:
            key, dagger = split
            halves[(key, atom.indices)][dagger] = atom
    mapping = {}
    for pair in halves.values():
        if len(pair) == 2:
            b, bdag = pair[False], pair[True]
            x, p = BathCoordinate("X", b, bdag), BathCoordinate("P", b, bdag)
            mapping[b] = (x + I * p) / 2
            mapping[bdag] = (x - I * p) / 2
    return mapping


def coordinate_glossary(exprs: Iterable[Expr]) -> dict[str, str]:
    """``{identifier: definition}`` of every bath-coordinate atom in ``exprs``.

    A definition reads ``A_X_L(a, b, p) = <A[a,b] X[L,p]>, X[L,p] = b[L,p] + b^dag[L,p]``,
    in the generic index names of :meth:`Expectation.signature`.
    """
    out: dict[str, str] = {}
    atoms = set()
    for expr in exprs:
        atoms |= expr.atoms(BathCoordinate)
    for atom in sorted(atoms, key=default_sort_key):
        if atom.identifier in out:
            continue
        concrete = all(i.is_Integer for i in atom.indices)
        indices, generic = atom.b.signature()
        tokens = word_str(atom.b.word() if concrete else generic).split(" ")
        found = _bath_token(tokens)
        if found is None:
            continue
        position, match = found
        nu, mode, name = match["nu"], match["mode"], match["name"]
        symbol = f"{atom.kind}[{nu},{mode}]"
        tokens[position] = symbol
        b, bdag = f"{name}[{nu},{mode}]", f"{name}^dag[{nu},{mode}]"
        head = f"<{' '.join(tokens)}>"
        if not concrete:
            head = f"{atom.identifier}({', '.join(str(i) for i in indices)}) = {head}"
        out[atom.identifier] = f"{head}, {symbol} = {_KINDS[atom.kind].format(b=b, bdag=bdag)}"
    return out


def printed_expectations(exprs: Iterable[Expr]) -> set[str]:
    """Names of the flat expectation values printed in ``exprs`` (not those inside coordinates).

    A value with concrete indices is named as printed (``A_1_1``), one with
    symbolic indices by its identifier (``A``), as in the derive glossary.
    """
    out = set()
    for expr in exprs:
        hidden = expr.replace(lambda e: isinstance(e, BathCoordinate), lambda e: Dummy())
        for atom in hidden.atoms(Expectation):
            concrete = all(i.is_Integer for i in atom.indices)
            out.add(str(atom) if concrete else atom.identifier)
    return out


class _FlatAtomsPrinter(StrPrinter):
    """``str`` with each bath coordinate written as its definition in the flat values."""

    def _print(self, expr, **kwargs):
        if isinstance(expr, BathCoordinate):
            return f"({super()._print(expr.definition(), **kwargs)})"
        return super()._print(expr, **kwargs)


def flat_atoms_str(expr: Expr) -> str:
    """The compact form as text in the flat expectation values (the derive JSON's ``sympy``).

    Each coordinate prints as its definition, ``A_X_L(1, 2, p)`` as
    ``(A_b_L(1, 2, p) + A_bdag_L(1, 2, p))``, so the text names only the flat
    values (the arguments of the emitted modules) and parses to an expression
    equal to the flat one; sums and collected terms stay as :func:`compact` made them.

    >>> from heatbounds.symbolic.compact import compact, expand_compact
    >>> from heatbounds.symbolic.derivation import derive
    >>> from heatbounds.symbolic.models import builtin_model
    >>> from sympy import expand, sympify
    >>> d = derive(builtin_model("three-level"))
    >>> text = flat_atoms_str(compact(d.sum_rule))
    >>> "A_X_L" in text, "A_b_L(1, 2, p) + A_bdag_L(1, 2, p)" in text
    (False, True)
    >>> expand(expand_compact(sympify(text)) - expand_compact(sympify(str(d.sum_rule))))
    0
    """
    return _FlatAtomsPrinter({"order": None}).doprint(expr)
