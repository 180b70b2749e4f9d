"""Rosters in, slips out: reading roster files and writing slip and error tables.

>>> from paycalc.io import read_roster
>>> roster = read_roster("examples/rosters/demo.csv")
>>> len(roster.workers)
5
"""

from paycalc.io.roster import REQUIRED_FIELDS, Roster, RosterRecord, RowError, read_roster
from paycalc.io.tables import ROSTER_SUFFIXES, read_table
from paycalc.io.writers import (
    SLIP_SUFFIXES,
    neutralise,
    slip_columns,
    write_errors,
    write_slips,
)

__all__ = [
    "REQUIRED_FIELDS",
    "ROSTER_SUFFIXES",
    "SLIP_SUFFIXES",
    "Roster",
    "RosterRecord",
    "RowError",
    "neutralise",
    "read_roster",
    "read_table",
    "slip_columns",
    "write_errors",
    "write_slips",
]
