"""pyarrow or polars for reading rosters: each reads a CSV roster into what the loader needs.

    python -m benchmarks.readers ROSTER.csv [--repeat 3]

What :mod:`paycalc.io.arrow` needs from a reader: every column as text, the coded columns
as integer codes into their distinct values (dictionary encoding), and the id column
checked for repeats. Each reader does exactly that, with all its threads:

- ``pyarrow``: ``pyarrow.csv.read_csv`` with the coded columns read as
  ``dictionary<int32, string>`` (the id and name as strings), the chunk dictionaries
  unified; the ids' repeats counted with ``pyarrow.compute.unique``;
- ``polars``: ``polars.read_csv`` with every column as ``String`` (no schema inference, no
  nulls), the coded columns cast to ``Categorical`` for their codes; the ids' repeats with
  ``Series.n_unique``.

Prints one JSON object: per reader, the wall and CPU seconds (min and median of
``--repeat`` runs, each in this process after one warm-up run). docs/performance.md quotes
it; nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

WIDE = ("工号", "姓名")


def read_pyarrow(data: bytes, names: list[str]) -> int:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    start = data.index(b"\n") + 1
    dictionary = pa.dictionary(pa.int32(), pa.string())
    types = {name: pa.string() if name in WIDE else dictionary for name in names}
    table = pcsv.read_csv(
        pa.BufferReader(pa.py_buffer(data)[start:]),
        read_options=pcsv.ReadOptions(use_threads=True, column_names=names, block_size=1 << 22),
        convert_options=pcsv.ConvertOptions(
            column_types=types, null_values=[], strings_can_be_null=False
        ),
    )
    distinct = 0
    for name in names:
        column = table.column(name)
        if name in WIDE:
            array = column.combine_chunks()
            if name == WIDE[0]:
                distinct = len(pc.unique(array))
        else:
            coded = column.unify_dictionaries().combine_chunks()
            indices = coded.indices
            np.frombuffer(indices.buffers()[1], dtype=np.int32)
            coded.dictionary.to_pylist()
    return distinct


def read_polars(data: bytes, names: list[str]) -> int:
    import polars as pl

    frame = pl.read_csv(data, infer_schema=False, empty_string_is_null=False)
    distinct = 0
    for name in names:
        column = frame[name]
        if name in WIDE:
            if name == WIDE[0]:
                distinct = column.n_unique()
        else:
            coded = column.cast(pl.Categorical)
            coded.to_physical().to_numpy()
            coded.unique().to_list()
    return distinct


READERS: dict[str, Callable[[bytes, list[str]], int]] = {
    "pyarrow": read_pyarrow,
    "polars": read_polars,
}


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    found.add_argument("roster", type=Path)
    found.add_argument("--repeat", type=int, default=3)
    return found


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    data = args.roster.read_bytes()
    names = data[: data.index(b"\n")].decode("utf-8-sig").split(",")
    report: dict[str, object] = {"roster": str(args.roster), "bytes": len(data)}
    for name, read in READERS.items():
        rows = read(data, names)  # warm-up: imports, thread pools
        walls, cpus = [], []
        for _ in range(args.repeat):
            cpu, began = _cpu(), time.perf_counter()
            read(data, names)
            walls.append(time.perf_counter() - began)
            cpus.append(_cpu() - cpu)
        report[name] = {
            "distinct_ids": rows,
            "wall_s": {"min": min(walls), "median": statistics.median(walls)},
            "cpu_s": {"min": min(cpus), "median": statistics.median(cpus)},
        }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
