"""Long symbolic work never hangs: --time-limit holds, and a terminal sees it tick."""

from __future__ import annotations

import io
import signal
import time

import pytest

from heatbounds.commands._limits import Ticker, limited
from heatbounds.symbolic.errors import TimeLimitError


@pytest.mark.parametrize(
    ("argv", "what"),
    [
        (
            ["derive", "spin-boson", "--moment", "101"],
            "deriving the s = 101 sum rule of spin-boson",
        ),
        (["emit", "spin-boson", "--moment", "101"], "emitting the s = 101 module of spin-boson"),
        (["latex", "spin-boson", "--moments", "1,101"], "deriving the document of spin-boson"),
        (["check", "three-level", "--moments", "3"], "checking three-level"),
    ],
)
def test_work_past_the_time_limit_is_refused_naming_the_limit(run_command, argv, what):
    # spin-boson s = 101 would run for hours: ad_H^7 alone takes tens of seconds
    start = time.perf_counter()
    status, out, err = run_command(*argv, "--time-limit", "1")
    assert status == 2 and out == ""
    assert f"--time-limit 1: {what}" in err and "did not finish within 1 s" in err
    assert time.perf_counter() - start < 60  # generous: the limit is 1 s
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no timer left behind


@pytest.mark.parametrize("value", ["0", "-1", "nan", "x"])
def test_a_time_limit_must_be_a_positive_number(run_command, value):
    status, _, err = run_command("derive", "spin-boson", "--time-limit", value)
    assert status == 2 and "--time-limit" in err


def test_work_within_the_limit_is_untouched_and_the_handler_restored(run_command):
    before = signal.getsignal(signal.SIGALRM)
    status, out, _ = run_command("derive", "spin-boson", "--time-limit", "60")
    assert status == 0 and "sigma_x" in out
    assert signal.getsignal(signal.SIGALRM) is before


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_the_elapsed_time_tick_and_the_line_cleared():
    terminal = FakeTerminal()
    with pytest.raises(TimeLimitError, match=r"--time-limit 1\.5: sleeping did not finish"):
        with limited(1.5, "sleeping", stream=terminal):
            time.sleep(5)
    text = terminal.getvalue()
    assert "sleeping ... 0 s (limit 1.5 s)" in text
    assert "sleeping ... 1 s (limit 1.5 s)" in text
    assert text.endswith("\r")  # the line is blanked, then the cursor is back at its start


def test_no_ticking_where_stderr_is_not_a_terminal():
    plain = io.StringIO()
    with limited(5, "quick", stream=plain):
        pass
    assert plain.getvalue() == ""


def test_ticker_stops_cleanly():
    terminal = FakeTerminal()
    ticker = Ticker(terminal, "work", 10, interval=0.05).start()
    time.sleep(0.2)
    ticker.stop()
    assert terminal.getvalue().count("work ... ") >= 2


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_time_limit_swallowed_where_python_drops_exceptions_is_raised_again():
    """A SIGALRM that lands in a weakref callback during garbage collection has its
    exception printed and dropped by Python; the timer then fires again."""
    import gc
    import weakref

    class Node:
        pass

    swallowed = []

    def callback(ref):
        try:
            time.sleep(0.3)  # the limit passes in here; Python drops what this raises
        except TimeLimitError:
            swallowed.append(True)
            raise

    start = time.perf_counter()
    with pytest.raises(TimeLimitError, match=r"--time-limit 0\.2: dropping"):
        with limited(0.2, "dropping", stream=io.StringIO()):
            node = Node()
            keep = weakref.ref(node, callback)
            del node
            gc.collect()
            time.sleep(5)
    assert swallowed and keep() is None
    assert time.perf_counter() - start < 2
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
