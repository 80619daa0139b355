"""Draw a sweep's map from its store: curves for one axis, a heat map for two.

Reduced units (hbar = k_B = 1), as stored. The quantity drawn is the job's
main output (``sigma_x``, ``kappa``, ``current``, ``bound``,
``max_rel_error``), with its error bar on curves.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from heatbounds.numeric.errors import NumericInputError

__all__ = ["MAIN_OUTPUT", "plot_sweep"]

# job -> (the quantity drawn, its error column or None)
MAIN_OUTPUT = {
    "sigma-x": ("sigma_x", "stderr"),
    "conductance": ("kappa", "kappa_error"),
    "transport": ("current", "current_error"),
    "bound": ("bound", "bound_error"),
    "check": ("max_rel_error", None),
}


def plot_sweep(frame, job: str, axes: list[str], path: str | Path) -> Path:
    """Write a PNG of ``frame`` (the store's rows) to ``path``; returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    value, error = MAIN_OUTPUT[job]
    if frame.empty or value not in frame:
        raise NumericInputError(f"--plot: the store holds no {value!r} yet")
    fig, ax = plt.subplots(figsize=(6.4, 4.4), constrained_layout=True)
    if len(axes) == 1:
        (x,) = axes
        rows = frame.sort_values(x)
        err = rows[error] if error and error in rows else None
        ax.errorbar(rows[x], rows[value], yerr=err, marker="o", capsize=2)
        ax.set_xlabel(x)
        ax.set_ylabel(value)
        if _geometric(rows[x].to_numpy()):
            ax.set_xscale("log")
    elif len(axes) == 2:
        x, y = axes[1], axes[0]
        table = frame.pivot_table(index=y, columns=x, values=value, aggfunc="first")
        mesh = ax.imshow(
            table.to_numpy(dtype=float), origin="lower", aspect="auto", interpolation="nearest"
        )
        ax.set_xticks(range(table.shape[1]), [f"{v:.3g}" for v in table.columns], rotation=45)
        ax.set_yticks(range(table.shape[0]), [f"{v:.3g}" for v in table.index])
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        fig.colorbar(mesh, ax=ax, label=value)
    else:
        plt.close(fig)
        raise NumericInputError(
            f"--plot draws one axis (curves) or two (a heat map); this sweep has {len(axes)}"
        )
    ax.set_title(f"heatbounds sweep: {job} (reduced units)")
    out = Path(path)
    fig.savefig(out, dpi=120, metadata={"Software": None})
    plt.close(fig)
    return out


def _geometric(values: np.ndarray) -> bool:
    values = np.unique(values)
    if values.size < 3 or np.any(values <= 0):
        return False
    ratios = values[1:] / values[:-1]
    return bool(np.allclose(ratios, ratios[0], rtol=1e-6)) and ratios[0] > 1.5
