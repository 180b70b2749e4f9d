"""Printable pay slips (工资条): one HTML page per worker, and all of them in one file.

Each slip shows who (工号, 姓名, 部门/街道/社区; the ID number and bank account masked), every
line with its basis under 应发 / 扣除 / 单位缴纳, the totals, 实发 in figures and in capitals,
the income tax year to date under a taxed scheme, the scheme's id, version, status and
SHA-256, and the slip's warnings. Print CSS sets the paper (A4 or A5), a CJK font stack with
fallbacks, and a page break after each slip, so the combined file prints one slip a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from html import escape as _escape
from pathlib import Path
from typing import Final, Literal

from paycalc.close.register import Register, RegisterRow
from paycalc.close.rmb import rmb_upper
from paycalc.close.targets import Target, open_target
from paycalc.errors import UsageError
from paycalc.io.identity import mask_account, mask_id_number
from paycalc.io.output import OutputSet
from paycalc.slip import PayLine

__all__ = ["COMBINED_NAME", "FONT_STACK", "Paper", "slip_file_name", "slips_html", "write_slips"]

Paper = Literal["A4", "A5"]

#: CJK fonts in order of preference: Linux (Noto/Source Han, WenQuanYi), macOS, Windows.
FONT_STACK: Final = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", '
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "SimHei", "SimSun", sans-serif'
)
COMBINED_NAME: Final = "all-slips.html"

_CSS: Final = """
@page {{ size: {paper} portrait; margin: {margin}; }}
* {{ box-sizing: border-box; }}
body {{ font-family: {fonts}; font-size: {size}; color: #000; margin: 0; }}
.slip {{ break-after: page; page-break-after: always; }}
.slip:last-child {{ break-after: auto; page-break-after: auto; }}
h1 {{ font-size: 1.45em; text-align: center; margin: 0 0 1mm; letter-spacing: 0.2em; }}
.period {{ text-align: center; margin-bottom: 3mm; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 3mm; }}
th, td {{ border: 0.6pt solid #555; padding: 1mm 1.6mm; vertical-align: top; }}
th {{ text-align: left; font-weight: normal; background: #f0f3f8; white-space: nowrap; }}
.who th {{ width: 16%; }}
.amount {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
.basis {{ font-size: 0.82em; color: #222; }}
.group th {{ font-weight: bold; background: #dfe6f1; }}
.subtotal th, .subtotal td {{ font-weight: bold; }}
.net th, .net td {{ font-weight: bold; font-size: 1.15em; background: #fff7d6; }}
.employer td, .employer th {{ color: #333; }}
.tax td, .tax th {{ font-size: 0.9em; }}
footer {{ font-size: 0.78em; color: #222; }}
.hash {{ font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; word-break: break-all; }}
.warnings {{ margin: 1mm 0; padding-left: 4mm; }}
@media screen {{
  body {{ background: #e8e8e8; }}
  .slip {{ background: #fff; max-width: {width}; margin: 6mm auto; padding: {margin};
           box-shadow: 0 0 3mm rgba(0, 0, 0, 0.25); }}
}}
"""
_SIZES: Final[dict[str, tuple[str, str, str]]] = {
    "A4": ("15mm", "10.5pt", "210mm"),
    "A5": ("8mm", "8.5pt", "148mm"),
}
_GROUPS: Final = (
    ("earning", "应发项目", "应发合计", "gross"),
    ("deduction", "扣除项目", "扣除合计", "deductions"),
)
_SAFE: Final = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff._-]")


@lru_cache(maxsize=65536)
def escape(text: str) -> str:
    """HTML-escaped text; labels and bases repeat across slips, so each is escaped once."""
    return _escape(text)


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _css(paper: Paper) -> str:
    margin, size, width = _SIZES[paper]
    return _CSS.format(paper=paper, margin=margin, fonts=FONT_STACK, size=size, width=width)


def _line_row(line: PayLine) -> str:
    return (
        f"<tr><th>{escape(line.label)}</th><td class=\"amount\">{_money(line.amount)}</td>"
        f"<td class=\"basis\">{escape(line.basis)}</td></tr>"
    )


def _who(row: RegisterRow) -> str:
    item = row.item
    record = item.record
    info = record.info if record is not None else {}
    identity = record.identity if record is not None else {}
    cells = [("工号", item.slip.worker_id), ("姓名", item.name)]
    for key, label in (("department", "部门"), ("street", "街道"), ("community", "社区"),
                       ("unit", "单位")):  # fmt: skip
        if info.get(key):
            cells.append((label, info[key]))
    if identity.get("id_number"):
        cells.append((identity.get("id_type", "证件号码"), mask_id_number(identity["id_number"])))
    if identity.get("bank_account"):
        bank = identity.get("bank_name", "")
        cells.append(("银行账号", f"{bank} {mask_account(identity['bank_account'])}".strip()))
    rows = []
    for index in range(0, len(cells), 2):
        pair = cells[index : index + 2]
        tds = "".join(f"<th>{escape(k)}</th><td>{escape(v)}</td>" for k, v in pair)
        if len(pair) == 1:
            tds += "<th></th><td></td>"
        rows.append(f"<tr>{tds}</tr>")
    return f'<table class="who">{"".join(rows)}</table>'


def _lines(row: RegisterRow) -> str:
    slip = row.item.slip
    body = ['<table class="lines"><thead><tr><th>项目</th><th class="amount">金额（元）</th>'
            "<th>依据</th></tr></thead>"]  # fmt: skip
    for category, title, total_label, total in _GROUPS:
        lines = [line for line in slip.lines if line.category == category]
        if not lines and category == "deduction":
            continue
        body.append(f'<tbody class="{category}"><tr class="group"><th colspan="3">{title}</th></tr>')
        body += [_line_row(line) for line in lines]
        body.append(
            f'<tr class="subtotal"><th>{total_label}</th>'
            f'<td class="amount">{_money(getattr(slip, total))}</td><td></td></tr></tbody>'
        )
    body.append(
        f'<tbody><tr class="net"><th>实发金额</th><td class="amount">{_money(slip.net)}</td>'
        f"<td>人民币 {escape(rmb_upper(slip.net))}</td></tr></tbody>"
    )
    employer = [line for line in slip.lines if line.category == "employer"]
    if employer:
        body.append(
            '<tbody class="employer"><tr class="group"><th colspan="3">单位缴纳'
            "（不从工资中扣除）</th></tr>"
        )
        body += [_line_row(line) for line in employer]
        body.append(
            f'<tr class="subtotal"><th>单位总成本</th>'
            f'<td class="amount">{_money(slip.employer_cost)}</td><td>应发合计 + 单位缴纳</td>'
            "</tr></tbody>"
        )
    body.append("</table>")
    return "".join(body)


def _tax(row: RegisterRow) -> str:
    tax = row.tax
    if tax is None:
        return ""
    ytd = tax.after.ytd
    found = tax.withholding.month_tax
    source = {"ytd": "接上月累计", "recomputed": "本系统重算", "start": "本月起算"}[tax.source]
    pairs = [
        ("累计收入", _money(ytd.income)),
        ("累计减除费用", _money(ytd.basic_deduction)),
        ("累计专项扣除", _money(ytd.social_insurance)),
        ("累计专项附加扣除", _money(ytd.special_deductions)),
        ("累计应纳税所得额", _money(found.cumulative_taxable)),
        ("税率 / 速算扣除数", f"{found.rate * 100:f}".rstrip("0").rstrip(".") + f"% / {found.quick_deduction:,}"),
        ("累计已预扣税额", _money(ytd.tax_withheld)),
        ("累计数据来源", source),
    ]
    if ytd.tax_free_income:
        pairs.insert(1, ("累计免税收入", _money(ytd.tax_free_income)))
    if ytd.other_deductions:
        pairs.insert(-3, ("累计其他扣除", _money(ytd.other_deductions)))
    rows = []
    for index in range(0, len(pairs), 2):
        pair = pairs[index : index + 2]
        rows.append(
            "<tr>"
            + "".join(f"<th>{escape(k)}</th><td class=\"amount\">{escape(v)}</td>" for k, v in pair)
            + ("<th></th><td></td>" if len(pair) == 1 else "")
            + "</tr>"
        )
    return (
        f'<table class="tax"><tr class="group"><th colspan="4">个人所得税本年累计（截至 '
        f'{escape(row.item.slip.month)}）</th></tr>{"".join(rows)}</table>'
    )


def _footer(row: RegisterRow) -> str:
    slip = row.item.slip
    ref = slip.scheme
    status = {"official": "官方标准", "illustrative": "示例金额"}.get(ref.status, ref.status)
    warnings = "".join(f"<li>{escape(w)}</li>" for w in slip.warnings)
    return (
        f"<footer><div>方案 {escape(ref.id)} {escape(ref.version)}（{status} {escape(ref.status)}）"
        f'</div><div class="hash">sha256 {escape(ref.sha256)}</div>'
        + (f'<ul class="warnings">{warnings}</ul>' if warnings else "")
        + "</footer>"
    )


def _article(row: RegisterRow, unit: str) -> str:
    month = row.item.slip.month
    year, number = month.split("-")
    title = f"{escape(unit)} 工资条" if unit else "工资条"
    return (
        f'<article class="slip" data-worker="{escape(row.worker_id)}"><h1>{title}</h1>'
        f'<div class="period">{year}年{int(number)}月</div>'
        + _who(row)
        + _lines(row)
        + _tax(row)
        + _footer(row)
        + "</article>"
    )


def _document(articles: Iterator[str] | list[str], title: str, paper: Paper) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_css(paper)}</style></head><body>"
        + "".join(articles)
        + "</body></html>\n"
    )


def slip_html(row: RegisterRow, *, paper: Paper = "A4", unit: str = "") -> str:
    """One worker's printable slip as a whole HTML document."""
    title = f"工资条 {row.item.slip.month} {row.worker_id} {row.item.name}"
    return _document([_article(row, unit)], title, paper)


def slips_html(register: Register, *, paper: Paper = "A4", unit: str = "") -> str:
    """Every slip of the register in one document, one page each when printed."""
    return _document(
        (_article(row, unit) for row in register.rows), f"工资条 {register.month}", paper
    )


def slip_file_name(worker_id: str) -> str:
    """``KM-0001`` → ``KM-0001.html``; characters unsafe in a file name become ``_``."""
    return _SAFE.sub("_", worker_id) + ".html"


def write_slips(
    register: Register, directory: str | Path, *, paper: Paper = "A4", unit: str = ""
) -> list[Path]:
    """One HTML file per worker and :data:`COMBINED_NAME`; returns the paths written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    for row in register.rows:
        name = slip_file_name(row.worker_id)
        if name in names:
            raise UsageError(
                "--slips",
                f"workers {names[name]!r} and {row.worker_id!r} would share the slip file {name}",
            )
        names[name] = row.worker_id
    written = [directory / slip_file_name(row.worker_id) for row in register.rows]
    combined = directory / COMBINED_NAME
    articles = []
    # One set: every slip renamed into place together after all are on the disk (a failure
    # or an interrupt leaves none of them, and the folder is synced once, not per file).
    with OutputSet([*written, combined]) as outputs:
        for row, path in zip(register.rows, written, strict=True):
            article = _article(row, unit)
            articles.append(article)
            title = f"工资条 {row.item.slip.month} {row.worker_id} {row.item.name}"
            outputs.write_whole(path, _document([article], title, paper).encode("utf-8"))
        document = _document(articles, f"工资条 {register.month}", paper)
        outputs.write_whole(combined, document.encode("utf-8"))
    return [*written, combined]


def _write(target: Target, text: str) -> None:
    with open_target(target) as stream:
        stream.write(text.encode("utf-8"))
