"""What "the columnar loader read a roster as the row reader did" means, as assertions.

Used by ``tests/io/test_columnar.py`` and by the ``roster_cohorts`` fuzz target
(``fuzz/targets.py``): :func:`paycalc.io.columnar.read_cohorts` must give what
:func:`paycalc.forecasting.cohorts.fold_roster_file` gives — the same file problems, row
errors (row, column, message) and rows in, the same cohorts in the same order with the same
counts and groups, columns equal to ``from_workers`` of the reference workers, and each
cohort's worker the reference's.
"""

from __future__ import annotations

import numpy as np

from paycalc.columns import Columns, from_workers, value_key
from paycalc.forecasting.cohorts import Folded
from paycalc.io.columnar import LoadedRoster

__all__ = ["assert_same_columns", "assert_same_load"]


def assert_same_columns(got: Columns, want: Columns) -> None:
    assert got.ids == want.ids
    assert got.names == want.names
    assert got.year0 == want.year0
    for name in (
        "hired", "left", "grade_given", "education", "in_establishment", "qualified",
        "award_level", "award_day", "results",
    ):  # fmt: skip
        mine, theirs = getattr(got, name), getattr(want, name)
        assert mine.dtype == theirs.dtype and mine.shape == theirs.shape, name
        assert np.array_equal(mine, theirs), name
    assert got.coded.keys() == want.coded.keys()
    for name, (codes, values) in want.coded.items():
        assert np.array_equal(got.coded[name][0], codes), name
        assert got.coded[name][0].dtype == codes.dtype, name
        assert [value_key(v) for v in got.coded[name][1]] == [value_key(v) for v in values], name


def assert_same_load(got: LoadedRoster, want: Folded) -> None:
    assert got.file_problems == want.file_problems
    assert got.errors == want.errors
    assert got.rows_in == want.rows_in
    assert got.counts.tolist() == [cohort.count for cohort in want.cohorts]
    names: dict[str, int] = {}
    assert got.groups.tolist() == [names.setdefault(c.group, len(names)) for c in want.cohorts]
    assert got.group_names == list(names)
    assert_same_columns(got.columns, from_workers([cohort.worker for cohort in want.cohorts]))
    assert got.columns.worker_of is not None
    for index, cohort in enumerate(want.cohorts):
        assert got.columns.worker_of(index) == cohort.worker
