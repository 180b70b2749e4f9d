"""Budget forecasts: a roster's monthly cost over months and years. See docs/forecast.md."""

from paycalc.forecasting.assumptions import Assumptions, load_assumptions, parse_assumptions
from paycalc.forecasting.cohorts import Cohort
from paycalc.forecasting.core import Forecast, ForecastError, ForecastRow, forecast

__all__ = [
    "Assumptions",
    "Cohort",
    "Forecast",
    "ForecastError",
    "ForecastRow",
    "forecast",
    "load_assumptions",
    "parse_assumptions",
]
