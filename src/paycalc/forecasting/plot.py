"""Charts of a forecast (need matplotlib: ``paycalc[plot]``).

- :func:`plot_forecast`: one stacked bar per month by component (earnings and employer
  costs) with the month's total on top — one panel per scenario;
- :func:`plot_fan`: the employer cost's mean and its band between the outer percentiles,
  per scenario (replications);
- :func:`plot_waterfall`: a reform's difference over the horizon, component by component,
  from the baseline's employer cost to the reform's.

Labels are Chinese when a CJK font is installed (Noto Sans CJK, WenQuanYi, …: Debian's
``fonts-noto-cjk`` or ``fonts-wqy-microhei``); without one, a chart uses the line codes and
English, and :func:`chart_font` warns once (a chart never shows empty boxes).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Final

from paycalc.forecasting.core import BASELINE, Forecast, difference_name
from paycalc.io.output import atomic_write

__all__ = [
    "PLOT_SUFFIXES",
    "NoCJKFont",
    "chart_font",
    "plot_fan",
    "plot_forecast",
    "plot_waterfall",
    "require_matplotlib",
]

#: The chart formats, by suffix.
PLOT_SUFFIXES: Final = (".png", ".svg", ".pdf")

#: CJK fonts looked for, in order (family names as matplotlib reads them).
_CJK_FONTS: Final = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Source Han Sans SC",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)


class NoCJKFont(UserWarning):
    """No CJK font is installed: charts fall back to codes and English labels."""


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


def chart_font() -> str | None:
    """The CJK font charts use, or None (then a :class:`NoCJKFont` warning says so)."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    found = next((name for name in _CJK_FONTS if name in installed), None)
    if found is None:
        warnings.warn(
            "no CJK font installed (e.g. Debian's fonts-noto-cjk or fonts-wqy-microhei): "
            "chart labels are codes and English",
            NoCJKFont,
            stacklevel=2,
        )
    return found


@contextmanager
def _figure(destination: str | os.PathLike[str] | IO[bytes], image_format: str | None,
            font: str | None, size: tuple[float, float], panels: int = 1) -> Iterator[Any]:  # fmt: skip
    """A figure with the chart font, written to ``destination`` when the block ends."""
    require_matplotlib()
    import matplotlib.pyplot as plt

    if image_format is None:
        suffix = (
            Path(os.fspath(destination)).suffix
            if isinstance(destination, str | os.PathLike)
            else ""
        )
        image_format = suffix.lower().lstrip(".") or "png"
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    with plt.rc_context({"font.sans-serif": families, "axes.unicode_minus": False}):
        figure, axes = plt.subplots(1, panels, figsize=size, squeeze=False, sharey=True)
        try:
            yield figure, list(axes[0])
            figure.tight_layout()
            if isinstance(destination, str | os.PathLike):
                with atomic_write(destination, binary=True) as handle:
                    figure.savefig(handle, dpi=120, format=image_format)
            else:
                figure.savefig(destination, dpi=120, format=image_format)
        finally:
            plt.close(figure)


def _unit(largest: float, font: str | None) -> tuple[float, str]:
    """Amounts in 万元 when large, in yuan otherwise: (divisor, axis words)."""
    if largest >= 100_000:
        return 10_000.0, "万元 (10,000 CNY)" if font else "10,000 CNY"
    return 1.0, "元 (CNY)" if font else "CNY"


def _months(result: Forecast) -> list[str]:
    return sorted({row.month for row in result.rows if len(row.month) == 7})


def plot_forecast(
    result: Forecast,
    destination: str | os.PathLike[str] | IO[bytes],
    *,
    title: str = "",
    image_format: str | None = None,
) -> None:
    """The stacked monthly cost by component, one panel per scenario (means with
    replications). A path is written atomically; an open binary file as given."""
    font = chart_font()
    months = _months(result)
    scenarios = result.scenarios
    largest = max((float(r.amount) for r in result.rows if r.dimension == "total"
                   and r.key == "employer_cost" and len(r.month) == 7), default=0.0)  # fmt: skip
    divisor, unit = _unit(largest, font)
    width = min(20.0, max(8.0, 0.55 * len(months) + 3) + (len(scenarios) - 1) * (0.3 * len(months) + 2))
    with _figure(destination, image_format, font, (width, 6.5), len(scenarios)) as (figure, panels):
        import matplotlib.pyplot as plt

        colour_map = plt.get_cmap("tab20")
        colours: dict[str, Any] = {}
        for axes, scenario in zip(panels, scenarios, strict=True):
            amounts: dict[tuple[str, str], float] = {}
            labels: dict[str, str] = {}
            for row in result.select("component", scenario=scenario):
                if row.category == "deduction":
                    continue  # deductions are part of gross pay, not an extra cost
                labels.setdefault(row.key, row.label)
                amounts[(row.month, row.key)] = float(row.amount) / divisor
            totals = {r.month: r.amount for r in result.select("total", "employer_cost", scenario)}
            bottoms = [0.0] * len(months)
            for code, label in labels.items():
                colour = colours.setdefault(code, colour_map(len(colours) % 20))
                heights = [amounts.get((month, code), 0.0) for month in months]
                axes.bar(months, heights, bottom=bottoms, color=colour,
                         label=f"{label} ({code})" if font else code)  # fmt: skip
                bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
            for position, month in enumerate(months):
                axes.annotate(f"{float(totals.get(month, Decimal(0))) / divisor:,.1f}",
                              (position, bottoms[position]), ha="center", va="bottom",
                              fontsize=7)  # fmt: skip
            name = ("基线 baseline" if font else BASELINE) if scenario == BASELINE else scenario
            total = result.total(scenario=scenario)
            axes.set_title(f"{name}: {float(total) / divisor:,.1f} {unit}", fontsize=10)
            axes.tick_params(axis="x", labelrotation=60, labelsize=7)
            axes.grid(axis="y", alpha=0.3)
        panels[0].set_ylabel(f"单位总成本 / 月, {unit}" if font else f"employer cost a month, {unit}")
        handles, names = panels[-1].get_legend_handles_labels()
        seen = dict(zip(names, handles, strict=True))
        for axes in panels[:-1]:
            for handle, name in zip(*axes.get_legend_handles_labels(), strict=True):
                seen.setdefault(name, handle)
        panels[-1].legend(seen.values(), seen.keys(), loc="upper left",
                          bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)  # fmt: skip
        kind = "平均 (replications)" if result.replications else ""
        figure.suptitle(
            title or (f"预算测算 {months[0]} – {months[-1]} 按项目 {kind}" if font
                      else f"Forecast {months[0]} – {months[-1]}: employer cost by component"),
            fontsize=12,
        )  # fmt: skip


def plot_fan(
    result: Forecast,
    destination: str | os.PathLike[str] | IO[bytes],
    *,
    title: str = "",
    image_format: str | None = None,
) -> None:
    """The employer cost a month: mean, median and the outer percentiles' band, per
    scenario. Needs a forecast with replications."""
    if not result.replications or len(result.percentiles) < 2:
        raise ValueError("a fan chart needs replications and at least two percentiles")
    font = chart_font()
    months = _months(result)
    low, high = result.percentiles[0], result.percentiles[-1]
    middle = next((i for i, p in enumerate(result.percentiles) if p == 50), None)
    largest = max((float(r.stats[-1]) for r in result.rows if r.dimension == "total"
                   and r.key == "employer_cost" and r.stats), default=0.0)  # fmt: skip
    divisor, unit = _unit(largest, font)
    with _figure(destination, image_format, font, (max(8.0, 0.4 * len(months) + 4), 5.5)) as (
        _,
        (axes,),
    ):
        import matplotlib.pyplot as plt

        colours = plt.get_cmap("tab10")
        x = list(range(len(months)))
        for index, scenario in enumerate(result.scenarios):
            rows = {r.month: r for r in result.select("total", "employer_cost", scenario)}
            mean = [float(rows[m].amount) / divisor if m in rows else float("nan") for m in months]
            band_low = [float(rows[m].stats[0]) / divisor if m in rows else float("nan") for m in months]
            band_high = [float(rows[m].stats[-1]) / divisor if m in rows else float("nan") for m in months]
            colour = colours(index % 10)
            name = ("基线 baseline" if font else BASELINE) if scenario == BASELINE else scenario
            axes.fill_between(x, band_low, band_high, color=colour, alpha=0.25,
                              label=f"{name} p{low.normalize():f}–p{high.normalize():f}")  # fmt: skip
            axes.plot(x, mean, color=colour, linewidth=2, label=f"{name} {'均值' if font else 'mean'}")
            if middle is not None:
                median = [float(rows[m].stats[middle]) / divisor if m in rows else float("nan")
                          for m in months]  # fmt: skip
                axes.plot(x, median, color=colour, linewidth=1, linestyle="--",
                          label=f"{name} p50")  # fmt: skip
        axes.set_xticks(x, months, rotation=60, fontsize=7)
        axes.set_ylabel(f"单位总成本 / 月, {unit}" if font else f"employer cost a month, {unit}")
        axes.grid(alpha=0.3)
        axes.legend(fontsize=8, frameon=False, loc="upper left")
        axes.set_title(
            title or (f"单位总成本的不确定性: {result.replications} 次模拟 (种子 {result.seed})"
                      if font else f"Employer cost: {result.replications} replications "
                      f"(seed {result.seed})"),
            fontsize=11,
        )  # fmt: skip


def plot_waterfall(
    result: Forecast,
    destination: str | os.PathLike[str] | IO[bytes],
    *,
    reform: str | None = None,
    title: str = "",
    image_format: str | None = None,
) -> None:
    """A reform's difference over the horizon, component by component (earnings and employer
    contributions, whose sum is the employer cost), from the baseline to the reform."""
    if len(result.scenarios) < 2:
        raise ValueError("a waterfall needs a reform")
    reform = reform or result.scenarios[1]
    if reform not in result.scenarios[1:]:
        raise ValueError(f"no reform {reform!r} in this forecast ({', '.join(result.scenarios[1:])})")
    font = chart_font()
    changes: dict[str, tuple[str, Decimal]] = {}
    for row in result.select("component", scenario=difference_name(reform)):
        if row.category == "deduction":
            continue
        label, amount = changes.get(row.key, (row.label, Decimal(0)))
        changes[row.key] = (label, amount + row.amount)
    steps = sorted(((k, v) for k, v in changes.items() if v[1]), key=lambda item: -abs(item[1][1]))
    base = result.total(scenario=BASELINE)
    after = result.total(scenario=reform)
    divisor, unit = _unit(float(max(base, after)), font)
    names = ["基线 baseline" if font else BASELINE]
    names += [(f"{label}\n({code})" if font else code) for code, (label, _) in steps]
    names += [reform]
    with _figure(destination, image_format, font, (max(7.0, 1.1 * len(names) + 2), 5.5)) as (
        figure, (axes,)
    ):  # fmt: skip
        level = float(base) / divisor
        axes.bar(0, level, color="#7f7f7f")
        axes.annotate(f"{level:,.1f}", (0, level), ha="center", va="bottom", fontsize=8)
        for position, (_, (_, amount)) in enumerate(steps, 1):
            height = float(amount) / divisor
            colour = "#d62728" if height > 0 else "#2ca02c"
            axes.bar(position, height, bottom=level, color=colour)
            axes.annotate(f"{height:+,.1f}", (position, level + max(height, 0)), ha="center",
                          va="bottom", fontsize=8)  # fmt: skip
            level += height
        end = float(after) / divisor
        axes.bar(len(names) - 1, end, color="#1f77b4")
        axes.annotate(f"{end:,.1f}", (len(names) - 1, end), ha="center", va="bottom", fontsize=8)
        axes.set_xticks(range(len(names)), names, fontsize=8)
        levels = [float(base) / divisor, end]
        running = float(base) / divisor
        for _, (_, amount) in steps:
            running += float(amount) / divisor
            levels.append(running)
        span = (max(levels) - min(levels)) or max(abs(end), 1.0) * 0.01
        axes.set_ylim(max(0.0, min(levels) - 1.5 * span), max(levels) + 0.6 * span)
        axes.set_ylabel(f"单位总成本 (全期), {unit}" if font else f"employer cost over the horizon, {unit}")
        axes.grid(axis="y", alpha=0.3)
        change = float(after - base) / divisor
        axes.set_title(
            title or (f"{reform} 相对基线的变化 {change:+,.1f} {unit}, 按项目" if font
                      else f"{reform} vs baseline: {change:+,.1f} {unit}, by component"),
            fontsize=11,
        )  # fmt: skip
        del figure
