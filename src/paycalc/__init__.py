"""paycalc: itemised monthly pay slips under grade-plus-points pay schemes.

>>> import paycalc
>>> slip = paycalc.payslip(paycalc.load_worker("examples/workers/demo.community-worker/chief.json"), "2024-03")
>>> slip.gross
Decimal('5667.00')

The public API is what ``__all__`` lists; modules whose names start with ``_`` and the
sub-modules' helpers are implementation details.
"""

from paycalc.batch import RunResult, SlipResult, run_roster, run_workers
from paycalc.codes import Appraisal, AwardLevel, Education, Level, QualificationKind
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
from paycalc.forecasting import Assumptions, Forecast, ForecastRow, forecast, load_assumptions
from paycalc.io import Roster, RosterRecord, RowError, read_roster
from paycalc.period import Month, ServiceTime, employed_fraction, service_time
from paycalc.reforms import Reform, load_reform, parse_reform
from paycalc.scheme import (
    SchemeRegistry,
    SchemeVersion,
    bundled_schemes_dir,
    check_scheme_file,
    default_registry,
    load_scheme_file,
    load_schemes,
)
from paycalc.slip import PayLine, Payslip, SchemeRef
from paycalc.worker import Award, Qualification, Worker, load_worker, parse_worker

__version__ = "0.1.0.dev0"

__all__ = [
    "DRAFT_WARNING",
    "ILLUSTRATIVE_WARNING",
    "Appraisal",
    "Assumptions",
    "Award",
    "AwardLevel",
    "Education",
    "Forecast",
    "ForecastRow",
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
    "__version__",
    "bundled_schemes_dir",
    "check_scheme_file",
    "check_worker_against",
    "default_registry",
    "employed_fraction",
    "forecast",
    "load_assumptions",
    "load_reform",
    "load_scheme_file",
    "load_schemes",
    "load_worker",
    "parse_reform",
    "parse_worker",
    "payroll_year",
    "payslip",
    "payslip_for_version",
    "read_roster",
    "run_roster",
    "run_workers",
    "service_time",
]
