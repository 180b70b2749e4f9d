"""A stacked monthly cost chart of a forecast (needs matplotlib: ``paycalc[plot]``).

One bar per month, stacked by component (earnings and employer costs), with the month's
total written above the bar. Legends use the Chinese labels when a CJK font is installed,
and the line codes otherwise (so the chart never shows empty boxes).
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import IO, Final

from paycalc.forecasting.core import Forecast
from paycalc.io.output import atomic_write

__all__ = ["PLOT_SUFFIXES", "plot_forecast", "require_matplotlib"]

#: The chart formats, by suffix.
PLOT_SUFFIXES: Final = (".png", ".svg", ".pdf")


def require_matplotlib() -> None:
    """matplotlib with its file-only backend, or an ImportError saying how to install it.

    Called before a forecast is computed (``paycalc forecast --plot``), so a missing extra
    is reported at once rather than after the whole computation.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot
    except ImportError:
        raise ImportError("--plot needs matplotlib: pip install 'paycalc[plot]'") from None


_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in _CJK_FONTS if name in installed), None)


def plot_forecast(
    result: Forecast,
    destination: str | os.PathLike[str] | IO[bytes],
    *,
    title: str = "",
    image_format: str | None = None,
) -> None:
    """Write the chart to ``destination``: PNG, SVG or PDF by ``image_format`` or suffix.

    A path is written atomically (a temporary renamed on success); an open binary file is
    written as given (``image_format`` defaults to PNG then).
    """
    require_matplotlib()
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    if image_format is None:
        suffix = (
            Path(os.fspath(destination)).suffix
            if isinstance(destination, str | os.PathLike)
            else ""
        )
        image_format = suffix.lower().lstrip(".") or "png"
    font = _cjk_font()
    months = sorted({row.month for row in result.rows})
    components: dict[str, str] = {}
    amounts: dict[tuple[str, str], Decimal] = {}
    for row in result.select("component"):
        if row.category == "deduction":
            continue  # deductions are part of gross pay, not an extra cost
        components.setdefault(row.key, row.label)
        amounts[(row.month, row.key)] = row.amount
    totals = {row.month: row.amount for row in result.select("total", "employer_cost")}
    with plt.rc_context({"font.sans-serif": [font, "DejaVu Sans"] if font else ["DejaVu Sans"]}):
        figure, axes = plt.subplots(figsize=(max(8.0, 0.7 * len(months) + 3), 5.5))
        bottoms = [0.0] * len(months)
        colour_map = plt.get_cmap("tab20")
        for index, (code, label) in enumerate(components.items()):
            # floats for drawing only; the forecast's figures stay exact Decimals
            heights = [float(amounts.get((month, code), Decimal(0))) for month in months]
            axes.bar(
                months,
                heights,
                bottom=bottoms,
                label=f"{label} ({code})" if font else code,
                color=colour_map(index % 20),
            )
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        for position, month in enumerate(months):
            total = totals.get(month, Decimal(0))
            axes.annotate(
                f"{total / 10000:,.1f}",
                (position, bottoms[position]),
                ha="center",
                va="bottom",
                fontsize=8,
            )
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value / 10000:,.0f}"))
        axes.set_ylabel(
            "cost per month, 10,000 CNY (万元)" if font else "cost per month, 10,000 CNY"
        )
        axes.set_xlabel("month")
        axes.set_title(
            title
            or f"Forecast {months[0]} – {months[-1]}: employer cost by component "
            f"(total {result.total() / 10000:,.1f} × 10,000 CNY)"
        )
        axes.tick_params(axis="x", labelrotation=45)
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        axes.grid(axis="y", alpha=0.3)
        figure.tight_layout()
        try:
            if isinstance(destination, str | os.PathLike):
                with atomic_write(destination, binary=True) as handle:
                    figure.savefig(handle, dpi=120, format=image_format)
            else:
                figure.savefig(destination, dpi=120, format=image_format)
        finally:
            plt.close(figure)
