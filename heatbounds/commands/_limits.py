"""Long symbolic work on the command line: a time limit, and a ticking line on a terminal.

Deriving a high moment (``derive spin-boson --moment 101``) grows without
bound: the nested commutators ad_H^s(A) gain terms and summation indices at
every order. Such work must never hang silently. :func:`limited` runs a block
of work under a wall-clock limit (``--time-limit``, default
:data:`DEFAULT_SECONDS`) and, where stderr is a terminal, shows a line with the
elapsed time, refreshed every second:

    deriving the s = 7 sum rule of spin-boson ... 12 s (limit 600 s)

When the limit passes, :class:`~heatbounds.symbolic.errors.TimeLimitError` is
raised in the working (main) thread, which the command line reports as a
refusal (exit status 2) naming the option. The limit is a POSIX interval
timer (SIGALRM): it interrupts Python code, such as SymPy's, between two
bytecodes, and compiled code (a LAPACK call) when it returns. Where there is
no SIGALRM, or outside the main thread, the work runs without a limit.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from heatbounds.commands._options import positive_number
from heatbounds.symbolic.errors import TimeLimitError

__all__ = [
    "DEFAULT_SECONDS",
    "MOMENT_HINT",
    "Ticker",
    "add_time_limit",
    "limited",
    "time_limit_seconds",
]

DEFAULT_SECONDS = 600.0
RERAISE_SECONDS = 0.1
MOMENT_HINT = (
    "the nested commutators grow fast with s: ask a lower {option} or a longer --time-limit"
)


def add_time_limit(parser: argparse.ArgumentParser, what: str) -> None:
    """Add ``--time-limit SECONDS`` (default :data:`DEFAULT_SECONDS`) to a subcommand."""
    parser.add_argument(
        "--time-limit",
        default=f"{DEFAULT_SECONDS:g}",
        metavar="SECONDS",
        help=f"wall-clock limit on {what} (default {DEFAULT_SECONDS:g} s); past it the "
        "command stops with exit status 2",
    )


class Ticker:
    """``what ... 12 s (limit 600 s)`` on a terminal line, refreshed every ``interval``
    seconds from a daemon thread until :meth:`stop` clears the line."""

    def __init__(self, stream: TextIO, what: str, seconds: float, interval: float = 1.0):
        self.stream, self.what, self.seconds, self.interval = stream, what, seconds, interval
        self._start = time.perf_counter()
        self._done = threading.Event()
        self._width = 0
        self._thread = threading.Thread(target=self._run, name="heatbounds-ticker", daemon=True)

    def start(self) -> Ticker:
        self._write()
        self._thread.start()
        return self

    def _write(self) -> None:
        elapsed = time.perf_counter() - self._start
        text = f"{self.what} ... {elapsed:.0f} s (limit {self.seconds:g} s)"
        self._width = max(self._width, len(text))
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()

    def _run(self) -> None:
        while not self._done.wait(self.interval):
            self._write()

    def stop(self) -> None:
        """Stop ticking and clear the line."""
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()
        self.stream.write("\r" + " " * self._width + "\r")
        self.stream.flush()


@contextmanager
def limited(
    seconds: float,
    what: str,
    *,
    option: str = "--time-limit",
    hint: str = "",
    stream: TextIO | None = None,
    tick: bool = True,
) -> Iterator[None]:
    """Run the block within ``seconds`` of wall time, ticking on ``stream`` (default
    stderr) if it is a terminal and ``tick`` (a command with step lines of its own
    passes False).

    Raises :class:`TimeLimitError` naming ``what``, the limit and ``option`` when
    the time runs out; ``hint`` (e.g. "ask a lower --moment") ends the message.
    """
    stream = sys.stderr if stream is None else stream
    ticker = Ticker(stream, what, seconds).start() if tick and stream.isatty() else None

    def expired(signum, frame):
        raise TimeLimitError(
            f"{option} {seconds:g}: {what} did not finish within {seconds:g} s"
            + (f"; {hint}" if hint else "")
        )

    timed = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGALRM, expired) if timed else None
    if timed:
        # After the limit the timer repeats every RERAISE_SECONDS: an exception raised
        # by the handler where Python drops it (in a weakref callback during garbage
        # collection, "Exception ignored in ...") is raised again at the next tick.
        signal.setitimer(signal.ITIMER_REAL, seconds, RERAISE_SECONDS)
    try:
        yield
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if ticker is not None:
            ticker.stop()


def time_limit_seconds(args: argparse.Namespace) -> float:
    """The ``--time-limit`` of a parsed command line, refused unless > 0 and finite."""
    return positive_number("--time-limit", args.time_limit)
