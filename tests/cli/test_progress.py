"""The progress bar: silent off a terminal and for quick runs; a bar after the delay."""

from __future__ import annotations

import io

from paycalc.cli.progress import ProgressBar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_not_a_terminal_draws_nothing() -> None:
    stream = io.StringIO()
    bar = ProgressBar(10, stream=stream, delay=0)
    bar.update(5)
    bar.close()
    assert stream.getvalue() == ""


def test_quick_runs_draw_nothing() -> None:
    stream = Terminal()
    bar = ProgressBar(10, stream=stream, delay=60)
    bar.update(10)
    assert stream.getvalue() == ""


def test_bar_after_delay_then_erased() -> None:
    stream = Terminal()
    bar = ProgressBar(200, stream=stream, delay=0, width=10)
    bar.update(100)
    assert "[#####.....]  50% 100/200 rows" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r")


def test_disabled_by_quiet() -> None:
    stream = Terminal()
    bar = ProgressBar(10, stream=stream, delay=0, enabled=False)
    bar.update(5)
    assert stream.getvalue() == ""
