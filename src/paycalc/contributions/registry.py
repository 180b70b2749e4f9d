"""All versions of all contribution tables, and picking the one in force on a date.

Files live at ``<dir>/<id>/<version>.toml``; the directory name must equal the file's ``id``
and the file name its ``version``, so a reader can find a table from its id by eye.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from paycalc.contributions.parsing import load_table_file
from paycalc.contributions.table import ContributionTable
from paycalc.errors import InputError, PaycalcError, Problem

__all__ = [
    "BUNDLED_TABLES_DIR",
    "ContributionTableNotFound",
    "ContributionTables",
    "load_contribution_tables",
    "load_table_files",
]

#: The tables shipped with paycalc.
BUNDLED_TABLES_DIR: Final = Path(__file__).parent / "tables"


class ContributionTableNotFound(PaycalcError):
    """No table with that id, or no version of it in force (and published) for the date."""


@dataclass(frozen=True, slots=True)
class ContributionTables:
    """Versions by table id, each tuple sorted by ``effective_from``."""

    versions: Mapping[str, tuple[ContributionTable, ...]]

    def ids(self) -> list[str]:
        return sorted(self.versions)

    def table_for(self, table_id: str, on: date, as_of: date | None = None) -> ContributionTable:
        """The version of ``table_id`` in force on ``on``.

        That is the version with the latest ``effective_from`` on or before ``on``. With
        ``as_of``, only versions published on or before ``as_of`` count, so a slip can be
        recomputed as it would have been on that day (before a retroactive notice appeared).
        """
        versions = self.versions.get(table_id)
        if not versions:
            known = ", ".join(self.ids()) or "none"
            raise ContributionTableNotFound(f"no contribution table {table_id!r} (known: {known})")
        published = [v for v in versions if as_of is None or v.published_on <= as_of]
        if not published:
            raise ContributionTableNotFound(
                f"{table_id}: no version was published on or before {as_of}; the first was "
                f"published on {min(v.published_on for v in versions)}"
            )
        in_force = [v for v in published if v.effective_from <= on]
        if not in_force:
            first = published[0].effective_from
            raise ContributionTableNotFound(
                f"{table_id}: no version in force on {on.isoformat()}; the first "
                f"{'published ' if as_of is not None else ''}version takes effect on "
                f"{first.isoformat()}"
            )
        return in_force[-1]


def _problems_with_layout(table: ContributionTable, path: Path) -> list[Problem]:
    problems = []
    if table.id != path.parent.name:
        problems.append(
            Problem(
                str(path),
                "id",
                f"{table.id!r} does not match its directory {path.parent.name!r}",
            )
        )
    if table.version != path.stem:
        problems.append(
            Problem(
                str(path), "version", f"{table.version!r} does not match file name {path.stem!r}"
            )
        )
    return problems


def load_table_files(files: Iterable[Path]) -> ContributionTables:
    """Load these table files as one set: each must sit at ``<id>/<version>.toml``.

    Raises one ``InputError`` listing every problem (as :func:`load_contribution_tables`).
    """
    problems: list[Problem] = []
    by_id: dict[str, list[ContributionTable]] = defaultdict(list)
    for path in files:
        try:
            table = load_table_file(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        layout = _problems_with_layout(table, path)
        problems.extend(layout)
        if not layout:
            by_id[table.id].append(table)
    for table_id, tables in by_id.items():
        first_at: dict[date, str] = {}
        for table in tables:
            earlier = first_at.setdefault(table.effective_from, table.path)
            if earlier != table.path:
                problems.append(
                    Problem(
                        table.path,
                        "effective_from",
                        f"{table_id}: {table.effective_from.isoformat()} is also the "
                        f"effective_from of {earlier}; each version needs its own date",
                    )
                )
    if problems:
        raise InputError(problems)
    return ContributionTables(
        {
            table_id: tuple(sorted(tables, key=lambda t: t.effective_from))
            for table_id, tables in by_id.items()
        }
    )


def load_contribution_tables(*dirs: Path) -> ContributionTables:
    """Load every ``<dir>/<id>/<version>.toml`` (default: the bundled tables).

    Raises one ``InputError`` listing every problem in every file, including two versions of
    one id with the same ``effective_from``.
    """
    roots = dirs or (BUNDLED_TABLES_DIR,)
    files: list[Path] = []
    for root in roots:
        files.extend(sorted(root.glob("*/*.toml")))
    return load_table_files(files)
