"""DataFrames without Decimal objects, HTML for Jupyter, and the charts (looked at by eye too)."""

from __future__ import annotations

import warnings
from decimal import Decimal
from pathlib import Path

import pytest

from paycalc.cli import main
from paycalc.forecasting import forecast
from paycalc.reforms import load_reform
from tests.conftest import EXAMPLES

KUNMING = EXAMPLES / "rosters" / "kunming-close.csv"
RAISE = load_reform(EXAMPLES / "reforms" / "kunming-raise-3.toml")


def _result(replications: int | None = None):  # type: ignore[no-untyped-def]
    return forecast(KUNMING, "2025-12", 3, reforms={"raise3": RAISE}, replications=replications)


def test_pandas_frames_hold_floats_or_exact_fen() -> None:
    result = _result(replications=3)
    floats = result.to_dataframe()
    fen = result.to_dataframe(money="fen")
    assert str(floats["amount"].dtype) == "float64" and str(fen["amount"].dtype) == "Int64"
    assert list(fen.columns)[-3:] == ["p5", "p50", "p95"]
    total = fen[(fen.scenario == "baseline") & (fen.dimension == "total")
                & (fen.key == "employer_cost") & (fen.month.str.len() == 7)]["amount"].sum()  # fmt: skip
    assert Decimal(int(total)).scaleb(-2) == result.total()
    assert not any(isinstance(v, Decimal) for v in floats.to_numpy().ravel())


def test_polars_frames() -> None:
    pytest.importorskip("polars")
    frame = _result().to_polars(money="fen")
    assert str(frame.schema["amount"]) == "Int64"
    assert set(frame["scenario"].unique()) == {"baseline", "raise3", "raise3 vs baseline"}


def test_html_summary_for_jupyter() -> None:
    html = _result(replications=2)._repr_html_()
    assert html.startswith("<table>") and "raise3 vs baseline" in html and "<th>p95</th>" in html


def test_charts_are_pngs_with_a_cjk_font(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from paycalc.forecasting.plot import chart_font, plot_fan, plot_forecast, plot_waterfall

    assert chart_font() is not None, "CI installs fonts-wqy-microhei (.ci/run)"
    result = _result(replications=4)
    for draw, name in ((plot_forecast, "p.png"), (plot_fan, "f.png"), (plot_waterfall, "w.png")):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no missing-glyph warning
            draw(result, tmp_path / name)
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_a_cjk_font_charts_fall_back_and_warn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    from paycalc.forecasting import plot

    monkeypatch.setattr(plot, "_CJK_FONTS", ("No Such Font",))
    with pytest.warns(plot.NoCJKFont):
        plot.plot_forecast(_result(), tmp_path / "p.svg")
    assert "岗位基本报酬" not in (tmp_path / "p.svg").read_text(encoding="utf-8")


def test_cli_writes_scenarios_and_bands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "f.csv"
    code = main(
        ["forecast", str(KUNMING), "--from", "2025-12", "--months", "2", "--reform",
         str(EXAMPLES / "reforms" / "kunming-raise-3.toml"), "--replications", "3",
         "--percentiles", "10,90", "--out", str(out), "--quiet"]
    )  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "month,dimension,key,label,category,workers,amount,scenario,p10,p90"
    assert "raise3 vs baseline  2026" in printed


@pytest.mark.parametrize(
    ("extra", "option"),
    [(["--fan", "x.png"], "--fan"), (["--waterfall", "x.png"], "--waterfall")],
)
def test_charts_that_cannot_be_drawn_are_refused_before_any_work(
    tmp_path: Path, extra: list[str], option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["forecast", str(KUNMING), "--from", "2025-12", "--months", "2",
                 "--out", str(tmp_path / "f.csv"), *[str(tmp_path / e) if e.endswith(".png") else e
                                                   for e in extra]])  # fmt: skip
    assert code == 2
    assert option in capsys.readouterr().err
    assert not (tmp_path / "f.csv").exists()
