"""The report of the spectral cross-check: its rows and their residuals.

Made by :func:`heatbounds.numeric.spectral_check.spectral_check` (which
re-exports both classes); :meth:`CheckReport.as_json` is the document that
``heatbounds check --json`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CheckReport", "CheckRow"]


@dataclass(frozen=True)
class CheckRow:
    """One compared moment: m^(s)_{n,n'} symbolic vs spectral.

    ``rel_error`` is ``abs_error`` over the scale the pass/fail test uses: the
    largest ``|spectral|`` among the rows of the same order s (1 if all vanish);
    None where no scale was given.
    """

    moment: int
    pair: str
    symbolic: complex
    spectral: complex
    abs_error: float
    rel_error: float | None = None


@dataclass(frozen=True)
class CheckReport:
    """Every row, the largest residuals (absolute, and relative as judged), and whether
    the check passed."""

    model: str
    state: dict
    rows: list
    max_abs_error: float
    tolerance: float
    cutoff_weight: float
    passed: bool
    notes: list = field(default_factory=list)
    max_rel_error: float | None = None

    def as_json(self) -> dict:
        def num(z: complex):
            return z.real if abs(z.imag) < 1e-300 else [z.real, z.imag]

        return {
            "model": self.model,
            "state": self.state,
            "rows": [
                {
                    "moment": r.moment,
                    "pair": r.pair,
                    "symbolic": num(r.symbolic),
                    "spectral": num(r.spectral),
                    "abs_error": r.abs_error,
                    "rel_error": r.rel_error,
                }
                for r in self.rows
            ],
            "max_abs_error": self.max_abs_error,
            "max_rel_error": self.max_rel_error,
            "tolerance": self.tolerance,
            "cutoff_weight": self.cutoff_weight,
            "passed": self.passed,
            "notes": self.notes,
        }
