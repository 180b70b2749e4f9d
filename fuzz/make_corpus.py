"""Write the seed corpora ``fuzz/corpus/<target>/`` from the repository's examples and schemes.

    python fuzz/make_corpus.py

Seeds are small, valid inputs (a fuzzer mutates good inputs into bad ones far better than it
finds good ones): every bundled scheme file (as TOML, and as a JSON tree), every example
worker (as a file, and inside a slip request for a month of each scheme version), the
example rosters (CSV, JSONL; the XLSX's parts, and the whole file; each as cohorts too). The tests check that
the committed corpora are what this script writes.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from targets import ROOT, XLSX_MEMBERS, XLSX_WHOLE, cohort_options, to_json, xlsx_template

CORPUS = ROOT / "fuzz" / "corpus"


def _named(data: bytes) -> tuple[str, bytes]:
    return hashlib.sha1(data).hexdigest()[:16], data


def _versions() -> Iterator[tuple[str, date, date | None, bool]]:
    """(family, effective_from, effective_until, draft) of each bundled scheme file."""
    for path in sorted((ROOT / "schemes").rglob("*.toml")):
        header = tomllib.loads(path.read_text(encoding="utf-8"))["scheme"]
        yield (
            header["id"],
            header["effective_from"],
            header.get("effective_until"),
            header["status"] == "draft",
        )


def seeds() -> dict[str, dict[str, bytes]]:
    """Every target's seeds, by file name."""
    schemes = sorted((ROOT / "schemes").rglob("*.toml"))
    workers = sorted((ROOT / "examples" / "workers").rglob("*.json"))
    rosters = ROOT / "examples" / "rosters"
    corpus: dict[str, dict[str, bytes]] = {
        name: {}
        for name in (
            "scheme_toml",
            "scheme_tree",
            "worker",
            "roster_csv",
            "roster_jsonl",
            "roster_xlsx",
            "roster_cohorts",
            "slip",
        )
    }

    def add(target: str, data: bytes) -> None:
        name, content = _named(data)
        corpus[target][name] = content

    for path in schemes:
        add("scheme_toml", path.read_bytes())
        add("scheme_tree", to_json(tomllib.loads(path.read_text("utf-8"), parse_float=Decimal)))
    for path in workers:
        add("worker", path.read_bytes())
    for family, start, until, draft in _versions():
        # a worker of the family employed then, paid in the version's first month and a
        # year on (or at its end)
        examples = [
            json.loads(p.read_text(encoding="utf-8")) for p in workers if p.parent.name == family
        ]
        for day in (start, start.replace(year=start.year + 1)):
            if until is not None and day > until:
                day = until
            month = f"{day.year:04d}-{day.month:02d}"
            hired = [w for w in examples if w["hired_on"] <= month + "-31"]
            if hired:
                add("slip", to_json({"month": month, "drafts": draft, "worker": hired[0]}))
    for path in sorted(rosters.glob("*.csv")):
        add("roster_csv", path.read_bytes())
    for path in sorted(rosters.glob("*.jsonl")):
        add("roster_jsonl", path.read_bytes())
    template = xlsx_template()
    for index, member in enumerate(XLSX_MEMBERS):
        if member in template:
            add("roster_xlsx", bytes([index]) + template[member])
    add("roster_xlsx", bytes([XLSX_WHOLE]) + (rosters / "demo.xlsx").read_bytes())
    # each example roster with and without a ``by``, from 2024-01 and two years on
    for path in sorted(rosters.glob("*.csv")):
        add("roster_cohorts", bytes([cohort_options("csv", None, 0)]) + path.read_bytes())
        add("roster_cohorts", bytes([cohort_options("csv", "街道", 8)]) + path.read_bytes())
    for path in sorted(rosters.glob("*.jsonl")):
        add("roster_cohorts", bytes([cohort_options("jsonl", None, 0)]) + path.read_bytes())
    whole = bytes([XLSX_WHOLE]) + (rosters / "demo.xlsx").read_bytes()
    add("roster_cohorts", bytes([cohort_options("xlsx", None, 0)]) + whole)
    add("roster_cohorts", bytes([cohort_options("xlsx", ("岗位", "街道"), 8)]) + whole)
    return corpus


def main() -> None:
    for target, files in seeds().items():
        folder = CORPUS / target
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            if old.name not in files:
                old.unlink()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        print(f"{target}: {len(files)} seeds, {sum(map(len, files.values())):,} bytes")


if __name__ == "__main__":
    main()
