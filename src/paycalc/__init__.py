"""paycalc: itemised monthly pay slips under grade-plus-points pay schemes.

>>> import paycalc
>>> slip = paycalc.payslip(paycalc.load_worker("examples/workers/demo.community-worker/chief.json"), "2024-03")
>>> slip.gross
Decimal('5667.00')

The public API is what ``__all__`` lists (docs/api.md); modules whose names start with
``_`` and the sub-modules' helpers are implementation details. Everything here is safe to
use from several threads at once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from paycalc.errors import (
    InputError,
    NotEmployed,
    PaycalcError,
    PayError,
    Problem,
    SchemeError,
    SchemeNotFound,
    UsageError,
    WorkerError,
)

if TYPE_CHECKING:
    from paycalc.batch import RunResult, SlipResult, run_roster, run_workers
    from paycalc.codes import Appraisal, AwardLevel, Education, Level, QualificationKind
    from paycalc.contributions import ContributionTables, load_contribution_tables
    from paycalc.engine import (
        DRAFT_WARNING,
        ILLUSTRATIVE_WARNING,
        check_worker_against,
        payroll_year,
        payslip,
        payslip_for_version,
    )
    from paycalc.explanation import Explanation, explain
    from paycalc.forecasting import (
        Assumptions,
        Forecast,
        ForecastRow,
        forecast,
        load_assumptions,
        parse_assumptions,
    )
    from paycalc.io import Roster, RosterRecord, RowError, read_roster
    from paycalc.period import Month, ServiceTime, employed_fraction, service_time
    from paycalc.policy import (
        ArrearsReport,
        Change,
        ImpactReport,
        add_arrears,
        arrears,
        diff_schemes,
        impact,
    )
    from paycalc.reforms import Reform, load_reform, parse_reform
    from paycalc.scheme import (
        SchemeRegistry,
        SchemeVersion,
        bundled_schemes_dir,
        check_scheme_file,
        default_registry,
        load_scheme_file,
        load_schemes,
        parse_scheme,
        registry_from_dicts,
        registry_from_loader,
        registry_from_texts,
        scheme_from_dict,
        scheme_from_text,
    )
    from paycalc.slip import SLIP_CONTRACT, PayLine, Payslip, SchemeRef
    from paycalc.tax import YearToDate
    from paycalc.worker import (
        Award,
        Qualification,
        Worker,
        load_worker,
        parse_worker,
        parse_worker_json,
    )

# The namespace loads lazily (PEP 562): ``import paycalc`` costs the error tree only, and a
# name imports its module the first time it is used. A script that reads a worker file never
# builds the scheme models; one that pays a slip never imports the roster readers or the
# forecasting. Type checkers read the imports above.
_LAZY: dict[str, str] = {
    "Reform": "paycalc.reforms",
    "load_reform": "paycalc.reforms",
    "parse_reform": "paycalc.reforms",
    "Appraisal": "paycalc.codes",
    "ArrearsReport": "paycalc.policy",
    "Assumptions": "paycalc.forecasting",
    "Award": "paycalc.worker",
    "AwardLevel": "paycalc.codes",
    "Change": "paycalc.policy",
    "ContributionTables": "paycalc.contributions",
    "DRAFT_WARNING": "paycalc.engine",
    "Education": "paycalc.codes",
    "Explanation": "paycalc.explanation",
    "Forecast": "paycalc.forecasting",
    "ForecastRow": "paycalc.forecasting",
    "ILLUSTRATIVE_WARNING": "paycalc.engine",
    "ImpactReport": "paycalc.policy",
    "Level": "paycalc.codes",
    "Month": "paycalc.period",
    "PayLine": "paycalc.slip",
    "Payslip": "paycalc.slip",
    "Qualification": "paycalc.worker",
    "QualificationKind": "paycalc.codes",
    "Roster": "paycalc.io",
    "RosterRecord": "paycalc.io",
    "RowError": "paycalc.io",
    "RunResult": "paycalc.batch",
    "SLIP_CONTRACT": "paycalc.slip",
    "SchemeRef": "paycalc.slip",
    "SchemeRegistry": "paycalc.scheme",
    "SchemeVersion": "paycalc.scheme",
    "ServiceTime": "paycalc.period",
    "SlipResult": "paycalc.batch",
    "Worker": "paycalc.worker",
    "YearToDate": "paycalc.tax",
    "add_arrears": "paycalc.policy",
    "arrears": "paycalc.policy",
    "bundled_schemes_dir": "paycalc.scheme",
    "check_scheme_file": "paycalc.scheme",
    "check_worker_against": "paycalc.engine",
    "default_registry": "paycalc.scheme",
    "diff_schemes": "paycalc.policy",
    "employed_fraction": "paycalc.period",
    "explain": "paycalc.explanation",
    "forecast": "paycalc.forecasting",
    "impact": "paycalc.policy",
    "load_assumptions": "paycalc.forecasting",
    "load_contribution_tables": "paycalc.contributions",
    "load_scheme_file": "paycalc.scheme",
    "load_schemes": "paycalc.scheme",
    "load_worker": "paycalc.worker",
    "parse_assumptions": "paycalc.forecasting",
    "parse_scheme": "paycalc.scheme",
    "parse_worker": "paycalc.worker",
    "parse_worker_json": "paycalc.worker",
    "payroll_year": "paycalc.engine",
    "payslip": "paycalc.engine",
    "payslip_for_version": "paycalc.engine",
    "read_roster": "paycalc.io",
    "registry_from_dicts": "paycalc.scheme",
    "registry_from_loader": "paycalc.scheme",
    "registry_from_texts": "paycalc.scheme",
    "run_roster": "paycalc.batch",
    "run_workers": "paycalc.batch",
    "scheme_from_dict": "paycalc.scheme",
    "scheme_from_text": "paycalc.scheme",
    "service_time": "paycalc.period",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'paycalc' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__version__ = "0.1.0.dev0"

__all__ = [
    "DRAFT_WARNING",
    "ILLUSTRATIVE_WARNING",
    "SLIP_CONTRACT",
    "Appraisal",
    "ArrearsReport",
    "Assumptions",
    "Award",
    "AwardLevel",
    "Change",
    "ContributionTables",
    "Education",
    "Explanation",
    "Forecast",
    "ForecastRow",
    "ImpactReport",
    "InputError",
    "Level",
    "Month",
    "NotEmployed",
    "PayError",
    "PayLine",
    "PaycalcError",
    "Payslip",
    "Problem",
    "Qualification",
    "QualificationKind",
    "Reform",
    "Roster",
    "RosterRecord",
    "RowError",
    "RunResult",
    "SchemeError",
    "SchemeNotFound",
    "SchemeRef",
    "SchemeRegistry",
    "SchemeVersion",
    "ServiceTime",
    "SlipResult",
    "UsageError",
    "Worker",
    "WorkerError",
    "YearToDate",
    "__version__",
    "add_arrears",
    "arrears",
    "bundled_schemes_dir",
    "check_scheme_file",
    "check_worker_against",
    "default_registry",
    "diff_schemes",
    "employed_fraction",
    "explain",
    "forecast",
    "impact",
    "load_assumptions",
    "load_contribution_tables",
    "load_reform",
    "load_scheme_file",
    "load_schemes",
    "load_worker",
    "parse_assumptions",
    "parse_reform",
    "parse_scheme",
    "parse_worker",
    "parse_worker_json",
    "payroll_year",
    "payslip",
    "payslip_for_version",
    "read_roster",
    "registry_from_dicts",
    "registry_from_loader",
    "registry_from_texts",
    "run_roster",
    "run_workers",
    "scheme_from_dict",
    "scheme_from_text",
    "service_time",
]
