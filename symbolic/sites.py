"""Chains and ensembles: spins and bosons with a site index, and sums over sites.

:class:`SpinChain` and :class:`BosonSites` build the operators of the indexed
families of :mod:`heatbounds.symbolic.site_families` at a site that is an int
(1, 2, ...) or a :class:`~heatbounds.symbolic.indices.SiteIndex`;
:func:`site_sum` sums over a site index, as :func:`~heatbounds.symbolic.operators.level_sum`
and :func:`~heatbounds.symbolic.operators.mode_sum` do over levels and modes.
Products, adjoints and commutators are those of every
:class:`~heatbounds.symbolic.operators.OperatorExpr`. A free site index is
taken to lie in the range of a sum over the same kind, so a delta of a summed
and a free site removes the sum (as for levels and modes).

Spin operators are stored as :math:`\\sigma_+, \\sigma_z, \\sigma_-` (see
:mod:`heatbounds.symbolic.site_families` for why), so sigma_x and sigma_y print
through them. Where a Kronecker delta of two free sites identifies them in a
word, the canonical form writes the word out again with no site repeated
(:func:`~heatbounds.symbolic.words.word_identify`), so ``==`` compares reduced
forms.

Examples
--------
>>> from heatbounds.symbolic.commutators import commutator
>>> from heatbounds.symbolic.indices import SiteIndex
>>> i, j = SiteIndex("i"), SiteIndex("j")
>>> s = SpinChain("s")
>>> total_z = site_sum(s.z(i), i, "N")
>>> total_z
Sum[i](s_z[i])
>>> commutator(total_z, s.x(j)) == 2j * s.y(j)
True
>>> s.x(i) * s.x(j)  # doctest: +NORMALIZE_WHITESPACE
s_-[i] s_-[j] - KroneckerDelta(i, j)*s_z[i] + s_+[i] s_-[j] + s_+[i] s_+[j]
    + s_+[j] s_-[i]
>>> s.x(2) * s.x(2)
1
>>> a = BosonSites("a")
>>> commutator(a.annihilate(i), site_sum(a.number(j), j, 4))
a[i]
"""

from __future__ import annotations

from sympy import I, Symbol, sympify

from heatbounds.symbolic.errors import IndexMismatchError
from heatbounds.symbolic.indices import Index, SiteIndex
from heatbounds.symbolic.operators import OperatorExpr, _sum
from heatbounds.symbolic.site_families import BOSON_SITES, SPIN_CHAIN

__all__ = ["BosonSites", "SpinChain", "site_sum"]

Site = int | SiteIndex


def _site(owner: str, value) -> Site:
    """A site value checked: a site index, or an int >= 1."""
    if isinstance(value, Index):
        if value.kind != "site":
            raise IndexMismatchError(f"{owner}: {value} is a {value.kind} index, not a site index")
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise IndexMismatchError(f"{owner}: {value!r} is not a site (an int >= 1 or a SiteIndex)")


def _single(sector, content) -> OperatorExpr:
    return OperatorExpr({((), (((sector, content),),)): 1})


class SpinChain:
    """Spin-1/2s on sites, named ``name`` (one sector of the ``spin_chain`` family).

    >>> s = SpinChain("s")
    >>> s.y(1)
    I*s_-[1] - I*s_+[1]
    >>> s.plus(1) * s.minus(1) == (1 + s.z(1)) / 2
    True
    """

    def __init__(self, name: str = "sigma"):
        self.name = name
        self._sector = SPIN_CHAIN.sector(name)

    def _one(self, group: int, site) -> OperatorExpr:
        sites = [(), (), ()]
        sites[group] = (_site(f"spin chain {self.name!r}", site),)
        return _single(self._sector, tuple(sites))

    def plus(self, site: Site) -> OperatorExpr:
        """:math:`\\sigma_+ = (\\sigma_x + i \\sigma_y)/2` at ``site``."""
        return self._one(0, site)

    def z(self, site: Site) -> OperatorExpr:
        """sigma_z at ``site``."""
        return self._one(1, site)

    def minus(self, site: Site) -> OperatorExpr:
        """:math:`\\sigma_- = (\\sigma_x - i \\sigma_y)/2` at ``site``."""
        return self._one(2, site)

    def x(self, site: Site) -> OperatorExpr:
        """:math:`\\sigma_x = \\sigma_+ + \\sigma_-` at ``site``."""
        return self.plus(site) + self.minus(site)

    def y(self, site: Site) -> OperatorExpr:
        """:math:`\\sigma_y = -i (\\sigma_+ - \\sigma_-)` at ``site``."""
        return (self.plus(site) - self.minus(site)) * (-I)


class BosonSites:
    """Bosonic modes on sites, [a_i, a^dag_j] = delta_ij (the ``boson_sites`` family).

    >>> a = BosonSites("a")
    >>> a.annihilate(1) * a.create(2) == a.create(2) * a.annihilate(1)
    True
    >>> a.annihilate(1) * a.create(1)
    1 + a^dag[1] a[1]
    """

    def __init__(self, name: str = "a"):
        self.name = name
        self._sector = BOSON_SITES.sector(name)

    def annihilate(self, site: Site) -> OperatorExpr:
        """a_site."""
        return _single(self._sector, ((), (_site(f"bosons {self.name!r}", site),)))

    def create(self, site: Site) -> OperatorExpr:
        """a^dagger_site."""
        return _single(self._sector, ((_site(f"bosons {self.name!r}", site),), ()))

    def number(self, site: Site) -> OperatorExpr:
        """The number operator a^dagger_site a_site."""
        site = _site(f"bosons {self.name!r}", site)
        return _single(self._sector, ((site,), (site,)))

    def displacement(self, site: Site) -> OperatorExpr:
        """a_site + a^dagger_site."""
        return self.annihilate(site) + self.create(site)


def site_sum(expr: OperatorExpr, index: SiteIndex, upper) -> OperatorExpr:
    """The sum over ``index`` = 1..``upper`` of ``expr`` (a sum over sites).

    ``upper`` is an int, a SymPy expression, or a name (then a positive integer
    symbol, as :class:`~heatbounds.symbolic.operators.Levels` takes its size).

    >>> s, i = SpinChain("s"), SiteIndex("i")
    >>> site_sum(s.minus(i), i, 3) * s.plus(2)  # the delta removes one sum
    -s_z[2] + Sum[i](s_+[2] s_-[i])
    """
    if isinstance(upper, str):
        upper = Symbol(upper, positive=True, integer=True)
    return _sum(expr, index, sympify(upper), "site")
