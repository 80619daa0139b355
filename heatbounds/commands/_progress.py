"""Progress on a terminal: a one-line bar for the QMC and step lines for slow work.

Both write to a stream (stderr) and are only made when that stream is a
terminal, so pipes, files and the tests see clean output.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from heatbounds.numeric.spin_boson_qmc import ProgressInfo

__all__ = ["BAR_WIDTH", "QmcProgressBar", "StepLines", "Steps"]

BAR_WIDTH = 30


class QmcProgressBar:
    """A one-line bar per temperature of a QMC run: ``[i/n] T = .. [###...] stderr ..``."""

    def __init__(self, stream: TextIO, prefix: str = "") -> None:
        self.stream = stream
        self.prefix = prefix

    def __call__(self, p: ProgressInfo) -> None:
        filled = round(BAR_WIDTH * p.fraction)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        error = f"stderr {p.stderr:.2e}" if p.phase == "measuring" else f"{p.phase:<15}"
        self.stream.write(
            f"\r{self.prefix}[{p.index + 1}/{p.n_temperatures}] T = {p.temperature:<9.4g} "
            f"[{bar}] {error} -> {p.tolerance:.1e}  {p.elapsed:5.1f} s"
        )
        self.stream.flush()

    def close(self) -> None:
        """Clear the line."""
        self.stream.write("\r" + " " * (BAR_WIDTH + 80 + len(self.prefix)) + "\r")
        self.stream.flush()


class Steps:
    """``name ...`` then ``done (1.2 s)`` for each slow step; silent when ``stream`` is None."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self._start = 0.0

    def begin(self, name: str) -> None:
        self._start = time.perf_counter()
        if self.stream is not None:
            self.stream.write(f"{name} ...")
            self.stream.flush()

    def end(self) -> None:
        if self.stream is not None:
            self.stream.write(f" done ({time.perf_counter() - self._start:.1f} s)\n")
            self.stream.flush()


class StepLines(Steps):
    """A progress callback ``steps(name)``: each call ends the step before it (``done
    (1.2 s)``) and begins ``name``; :meth:`close` ends the last, :meth:`abandon` cuts
    it off (on an error) so that the error message starts on a line of its own."""

    def __init__(self, stream: TextIO | None) -> None:
        super().__init__(stream)
        self._open = False

    def __call__(self, name: str) -> None:
        if self._open:
            self.end()
        self.begin(name)
        self._open = True

    def close(self) -> None:
        """End the last step (``done``)."""
        if self._open:
            self.end()
            self._open = False

    def abandon(self) -> None:
        """Leave the last step unfinished: a newline only."""
        if self._open and self.stream is not None:
            self.stream.write("\n")
            self.stream.flush()
        self._open = False
