"""Social insurance and housing fund (五险一金): versioned tables and slip lines.

* :mod:`~paycalc.contributions.table` — what a table holds;
* :mod:`~paycalc.contributions.parsing` — reading and checking one TOML file;
* :mod:`~paycalc.contributions.registry` — all versions, and the one in force on a date;
* :mod:`~paycalc.contributions.compute` — the lines for a declared base.

The bundled tables are under ``tables/<id>/<version>.toml``; each says whether its figures
are ``official`` or ``illustrative`` and where they come from.
"""

from paycalc.contributions.compute import ContributionLine, contributions_for, total
from paycalc.contributions.parsing import load_table_file, parse_contribution_table
from paycalc.contributions.registry import (
    BUNDLED_TABLES_DIR,
    ContributionTableNotFound,
    ContributionTables,
    load_contribution_tables,
)
from paycalc.contributions.table import (
    ITEM_CODES,
    BaseRule,
    ContributionItem,
    ContributionTable,
    TableSource,
)

__all__ = [
    "BUNDLED_TABLES_DIR",
    "ITEM_CODES",
    "BaseRule",
    "ContributionItem",
    "ContributionLine",
    "ContributionTable",
    "ContributionTableNotFound",
    "ContributionTables",
    "TableSource",
    "contributions_for",
    "load_contribution_tables",
    "load_table_file",
    "parse_contribution_table",
    "total",
]
