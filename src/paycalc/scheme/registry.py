"""Versions of scheme families, and the choice of the version in force for a month.

A month is paid under the version whose ``effective_from`` is the latest on or before the
month's first day. With ``as_of``, only versions published on or before that date count:
this reproduces what was paid at the time, and the difference from today's answer is the
back pay.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator
from datetime import date
from importlib import resources
from pathlib import Path

from paycalc.errors import Problem, SchemeError, SchemeNotFound
from paycalc.period import Month
from paycalc.scheme.loader import check_scheme_file, iter_scheme_files
from paycalc.scheme.version import SchemeVersion

__all__ = ["SchemeRegistry", "bundled_schemes_dir", "default_registry", "load_schemes"]


class SchemeRegistry:
    """The known versions of every family, sorted by ``effective_from``."""

    def __init__(self, versions: Iterable[SchemeVersion] = ()) -> None:
        families: dict[str, list[SchemeVersion]] = {}
        for version in versions:
            families.setdefault(version.family, []).append(version)
        problems = []
        for family_versions in families.values():
            family_versions.sort(key=lambda v: v.effective_from)
            problems += _overlaps(family_versions)
        if problems:
            raise SchemeError(problems)
        self._families = families

    @property
    def families(self) -> list[str]:
        return sorted(self._families)

    def versions(self, family: str) -> list[SchemeVersion]:
        """Every version of ``family``, oldest first."""
        try:
            return list(self._families[family])
        except KeyError:
            known = ", ".join(self.families) or "none loaded"
            raise SchemeNotFound(
                f"no scheme family {family!r} (known: {known})", family=family
            ) from None

    def __iter__(self) -> Iterator[SchemeVersion]:
        for family in self.families:
            yield from self._families[family]

    def __len__(self) -> int:
        return sum(len(versions) for versions in self._families.values())

    def version_for(self, family: str, month: Month, *, as_of: date | None = None) -> SchemeVersion:
        """The version of ``family`` in force in ``month``, as known on ``as_of``."""
        known = [v for v in self.versions(family) if as_of is None or v.published_on <= as_of]
        in_force = [v for v in known if v.effective_from <= month.first_day]
        if not in_force:
            if not known:
                raise SchemeNotFound(
                    f"no version of {family!r} was published by {as_of}", family=family
                )
            raise SchemeNotFound(
                f"no version of {family!r} is in force in {month}: the first takes effect "
                f"on {known[0].effective_from}",
                family=family,
            )
        version = in_force[-1]
        until = version.spec.scheme.effective_until
        if until is not None and until < month.first_day:
            later = [v for v in known if v.effective_from > month.first_day]
            successor = f"; the next takes effect on {later[0].effective_from}" if later else ""
            raise SchemeNotFound(
                f"no version of {family!r} is in force in {month}: {version.version} ended on "
                f"{until}{successor}",
                family=family,
            )
        return version

    def find(self, family: str, version: str) -> SchemeVersion:
        for candidate in self.versions(family):
            if candidate.version == version:
                return candidate
        raise SchemeNotFound(f"{family!r} has no version {version!r}", family=family)


def _overlaps(versions: list[SchemeVersion]) -> list[Problem]:
    problems = []
    for earlier, later in itertools.pairwise(versions):
        if earlier.effective_from == later.effective_from:
            problems.append(
                Problem(
                    later.path,
                    "scheme.effective_from",
                    f"{later.family}: takes effect on {later.effective_from}, the same day as "
                    f"version {earlier.version!r} in {earlier.path}; one date, one version",
                )
            )
        if earlier.version == later.version:
            problems.append(
                Problem(
                    later.path,
                    "scheme.version",
                    f"version {later.version!r} also defined in {earlier.path}",
                )
            )
    return problems


def load_schemes(*paths: str | Path) -> SchemeRegistry:
    """Load every scheme file under ``paths``; raise :class:`SchemeError` with all problems."""
    versions, problems = [], []
    for path in iter_scheme_files(paths):
        version, file_problems = check_scheme_file(path)
        problems += file_problems
        if version is not None:
            versions.append(version)
    if problems:
        raise SchemeError(problems)
    return SchemeRegistry(versions)


def bundled_schemes_dir() -> Path:
    """Where the bundled schemes are: inside the installed wheel, or the source checkout."""
    packaged = Path(str(resources.files("paycalc"))) / "_bundled" / "schemes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "schemes"


@functools.cache
def default_registry() -> SchemeRegistry:
    """The bundled schemes, loaded once per process."""
    return load_schemes(bundled_schemes_dir())
