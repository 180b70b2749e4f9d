"""Benchmark: close a 5,000-worker month under Kunming 2024 (taxed) from a year-to-date file.

Writes a synthetic roster (varied posts, education, hire dates, appraisals, certificates,
declarations, identity and bank columns; fixed seed) and a year-to-date file of February's
figures, then times: the run with the register built (``close_month``), the XLSX register,
the HTML slips (one per worker + the combined file) and the Excel 工资条, the bank file, the
income-tax file. Prints JSON. Not a test: never asserted.

    python benchmarks/close_month.py --workers 5000
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import tempfile
import time
from pathlib import Path

from paycalc.close import bank_file, close_month, tax_file, write_slips, write_strips
from paycalc.io.identity import gb11643_check_digit

POSTS = ("一肩挑", "正职", "副职", "专职委员")
EDUCATION = ("高中", "大专", "本科", "硕士")
RESULTS = ("优秀", "称职", "称职", "基本称职")


def _roster(path: Path, workers: int, rng: random.Random) -> None:
    header = ["工号", "姓名", "方案", "岗位", "入职日期", "学历", "考核2021", "考核2022", "考核2023",
              "社工证等级", "社工证取得日期", "证件类型", "身份证号", "银行账号", "开户行", "街道",
              "子女教育", "子女扣除比例", "赡养老人"]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for i in range(workers):
            first17 = f"530102{rng.randint(1965, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{i % 1000:03d}"
            level = rng.choice(("", "", "初级", "中级", "高级"))
            hired = rng.randint(2000, 2023)
            # an appraisal only for a year of the employment (earlier ones are refused)
            results = [rng.choice(RESULTS) if year >= hired else "" for year in (2021, 2022, 2023)]
            out.writerow([
                f"KM-{i:05d}", f"职工{i}", "kunming.community-worker", rng.choice(POSTS),
                f"{hired}-{rng.randint(1, 12):02d}-01", rng.choice(EDUCATION), *results,
                level, "2019-06-20" if level else "", "居民身份证",
                first17 + gb11643_check_digit(first17), f"6222{i:015d}", "中国工商银行", f"街道{i % 12}",
                rng.choice(("", "1", "2")), rng.choice(("100%", "50%")), rng.choice(("", "独生子女")),
            ])  # fmt: skip


def _ytd(path: Path, workers: int, rng: random.Random) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["工号", "累计截至", "累计收入", "累计减除费用", "累计专项扣除",
                      "累计子女教育", "累计继续教育", "累计住房贷款利息", "累计住房租金",
                      "累计赡养老人", "累计3岁以下婴幼儿照护", "累计已预扣税额"])  # fmt: skip
        for i in range(workers):
            income = rng.randint(9000, 15000)
            out.writerow([f"KM-{i:05d}", "2024-02", f"{income}.00", "10000", "2007.00",
                          "0", "0", "0", "0", "0", "0",
                          f"{max(0, income - 12007) * 3 // 100}.00"])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(20240301)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        roster, ytd = base / "roster.csv", base / "ytd.csv"
        _roster(roster, args.workers, rng)
        _ytd(ytd, args.workers, rng)
        timings: dict[str, float] = {}
        start = time.perf_counter()
        closed = close_month(roster, "2024-03", ytd=ytd)
        timings["run_and_register_s"] = time.perf_counter() - start
        register = closed.register
        mark = time.perf_counter()
        register.write_xlsx(base / "register.xlsx")
        timings["register_xlsx_s"] = time.perf_counter() - mark
        mark = time.perf_counter()
        write_slips(register, base / "slips")
        write_strips(register, base / "slips" / "strips.xlsx")
        timings["slips_s"] = time.perf_counter() - mark
        mark = time.perf_counter()
        bank_file(register).write(base / "bank.csv")
        timings["bank_s"] = time.perf_counter() - mark
        mark = time.perf_counter()
        tax_file(register).write(base / "iit.xlsx")
        timings["iit_s"] = time.perf_counter() - mark
        timings["total_s"] = time.perf_counter() - start
        print(json.dumps({
            "workers": args.workers,
            "slips": len(register.rows),
            "errors": register.failed_rows,
            "from_ytd": sum(1 for r in register.rows if r.tax is not None and r.tax.source == "ytd"),
            **{k: round(v, 2) for k, v in timings.items()},
        }, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
