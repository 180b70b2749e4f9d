"""Reforms: a small patch to a scheme family from an effective month (see docs/forecast.md).

``load_reform("raise.toml")`` or ``parse_reform({...})`` reads and checks one; ``reform.apply``
gives the reformed :class:`~paycalc.scheme.SchemeVersion`; :func:`reformed_registry` puts it
in force from its month; ``paycalc.forecast(..., reforms={"raise3": reform})`` prices it.
"""

from paycalc.reforms.model import ReformFile
from paycalc.reforms.reform import (
    Reform,
    load_reform,
    parse_reform,
    reformed_registry,
    versions_touched,
)

__all__ = ["Reform", "ReformFile", "load_reform", "parse_reform", "reformed_registry", "versions_touched"]
