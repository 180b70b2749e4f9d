"""paycalc: itemised monthly pay slips under grade-plus-points pay schemes.

>>> import paycalc
>>> slip = paycalc.payslip(paycalc.load_worker("examples/workers/demo.community-worker/chief.json"), "2024-03")
>>> slip.gross
Decimal('5667.00')

The public API is what ``__all__`` lists (docs/api.md); modules whose names start with
``_`` and the sub-modules' helpers are implementation details. Everything here is safe to
use from several threads at once.
"""

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
from paycalc.explain import Explanation, explain
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
    "load_scheme_file",
    "load_schemes",
    "load_worker",
    "parse_assumptions",
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
