"""A forecast as tables: dicts, pandas or polars DataFrames, and HTML for Jupyter.

DataFrames never hold ``Decimal`` objects: amounts are float64 yuan (``money="float"``, for
charts and pivots) or int64 fen (``money="fen"``, exact: sums of fen are exact integers).
"""

from __future__ import annotations

import html
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paycalc.forecasting.core import Forecast

__all__ = ["percentile_names", "row_dicts", "summary_html", "to_frame"]

_COLUMNS = ("scenario", "month", "dimension", "key", "label", "category", "workers", "amount")


def percentile_names(result: Forecast) -> list[str]:
    """``p5``, ``p50``, ``p95`` … (``p2.5`` for a fractional percentile)."""
    return [f"p{p.normalize():f}" for p in result.percentiles]


def _money(value: Decimal, money: str) -> Any:
    if money == "decimal":
        return value
    if money == "fen":
        return int(value.scaleb(2))
    return float(value)


def row_dicts(result: Forecast, money: str = "decimal") -> list[dict[str, Any]]:
    """One dict per row: the columns of :data:`_COLUMNS`, then the percentiles."""
    names = percentile_names(result)
    found = []
    for row in result.rows:
        entry: dict[str, Any] = {
            "scenario": row.scenario,
            "month": row.month,
            "dimension": row.dimension,
            "key": row.key,
            "label": row.label,
            "category": row.category,
            "workers": row.workers,
            "amount": _money(row.amount, money),
        }
        for name, value in zip(names, row.stats, strict=False):
            entry[name] = _money(value, money)
        for name in names[len(row.stats) :]:
            entry[name] = None
        found.append(entry)
    return found


def to_frame(result: Forecast, money: str = "float", library: str = "pandas") -> Any:
    """A pandas or polars DataFrame of the rows (amounts float yuan or int fen)."""
    if money not in ("float", "fen"):
        raise ValueError(f"money is 'float' (yuan) or 'fen' (exact integers), not {money!r}")
    columns = [*_COLUMNS, *percentile_names(result)]
    records = row_dicts(result, money)
    if library == "polars":
        try:
            import polars
        except ImportError:
            raise ImportError("to_polars needs polars: pip install polars") from None
        dtype = polars.Float64 if money == "float" else polars.Int64
        schema: dict[str, Any] = {name: polars.String for name in _COLUMNS}
        schema.update({"workers": polars.Int64, "amount": dtype})
        schema.update({name: dtype for name in percentile_names(result)})
        return polars.DataFrame(records, schema=schema, orient="row")
    if library != "pandas":
        raise ValueError(f"library is 'pandas' or 'polars', not {library!r}")
    try:
        import pandas
    except ImportError:
        raise ImportError("to_dataframe needs pandas: pip install 'paycalc[dataframe]'") from None
    frame = pandas.DataFrame.from_records(records, columns=columns)
    kind = "float64" if money == "float" else "Int64"  # Int64: a missing percentile is <NA>
    for name in ["amount", *percentile_names(result)]:
        frame[name] = frame[name].astype(kind)
    frame["workers"] = frame["workers"].astype("int64")
    return frame


def _cell(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return html.escape(str(value))


def summary_html(result: Forecast) -> str:
    """Each year's employer cost by scenario (and the differences), as an HTML table."""
    names = percentile_names(result)
    head = ["scenario", "year", "employer cost", *names]
    lines = [
        "<table><caption>"
        + html.escape(
            f"paycalc forecast {result.start}, {result.months} months"
            + (f", {result.replications} replications (seed {result.seed})" if result.replications else "")
        )
        + "</caption>",
        "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>",
    ]
    scenarios = [*result.scenarios, *(f"{s} vs {result.scenarios[0]}" for s in result.scenarios[1:])]
    for scenario in scenarios:
        for row in result.yearly("employer_cost", scenario):
            cells = [scenario, row.month, row.amount, *row.stats]
            lines.append("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)
