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
from paycalc.limits import cut, shown
from paycalc.period import Month
from paycalc.scheme.loader import check_scheme_file, iter_scheme_files
from paycalc.scheme.version import SchemeVersion

__all__ = [
    "SchemeRegistry",
    "bundled_schemes_dir",
    "default_registry",
    "load_schemes",
    "resolve_registry",
    "unknown_contribution_tables",
]


class SchemeRegistry:
    """The known versions of every family, sorted by ``effective_from``.

    Drafts (``status = "draft"``: proposals not adopted) are never the version in force
    unless the registry or the call opts in (``include_drafts``), or the caller names the
    version (``family@version``).
    """

    def __init__(
        self, versions: Iterable[SchemeVersion] = (), *, include_drafts: bool = False
    ) -> None:
        families: dict[str, list[SchemeVersion]] = {}
        for version in versions:
            families.setdefault(version.family, []).append(version)
        problems = []
        for family_versions in families.values():
            # On the same day, a draft sorts after the adopted version it would replace.
            family_versions.sort(key=lambda v: (v.effective_from, v.is_draft))
            problems += _overlaps([v for v in family_versions if not v.is_draft])
            problems += _overlaps([v for v in family_versions if v.is_draft])
            problems += _same_names(family_versions)
        if problems:
            raise SchemeError(problems)
        self._families = families
        self.include_drafts = include_drafts

    def with_drafts(self, include_drafts: bool = True) -> SchemeRegistry:
        """The same versions, with drafts in force (or not) by default."""
        if include_drafts == self.include_drafts:
            return self
        other = SchemeRegistry.__new__(SchemeRegistry)
        other._families = self._families
        other.include_drafts = include_drafts
        return other

    @property
    def families(self) -> list[str]:
        return sorted(self._families)

    def versions(self, family: str) -> list[SchemeVersion]:
        """Every version of ``family`` (drafts included), oldest first."""
        try:
            return list(self._families[family])
        except KeyError:
            known = ", ".join(self.families) or "none loaded"
            raise SchemeNotFound(
                f"no scheme family {shown(family)} (known: {known})",
                family=cut(family),
            ) from None

    def __iter__(self) -> Iterator[SchemeVersion]:
        for family in self.families:
            yield from self._families[family]

    def __len__(self) -> int:
        return sum(len(versions) for versions in self._families.values())

    def version_for(
        self,
        family: str,
        month: Month,
        *,
        as_of: date | None = None,
        include_drafts: bool | None = None,
    ) -> SchemeVersion:
        """The version of ``family`` in force in ``month``, as known on ``as_of``.

        ``family`` may name a version (``jiaocheng.community-worker@2022-draft``): that
        version pays the month if the month lies within its dates, draft or not.
        """
        name, _, pinned = family.partition("@")
        if pinned:
            return self._pinned(name, pinned, month, as_of)
        drafts = self.include_drafts if include_drafts is None else include_drafts
        known = [
            v
            for v in self.versions(name)
            if (as_of is None or v.published_on <= as_of) and (drafts or not v.is_draft)
        ]
        in_force = [v for v in known if v.effective_from <= month.first_day]
        if not in_force:
            if not known:
                hidden = "" if drafts else " (drafts are not counted: opt in to include them)"
                when = f" by {as_of}" if as_of is not None else ""
                raise SchemeNotFound(
                    f"no version of {name!r} was published{when}{hidden}", family=name
                )
            raise SchemeNotFound(
                f"no version of {name!r} is in force in {month}: the first takes effect "
                f"on {known[0].effective_from}",
                family=name,
            )
        version = in_force[-1]
        until = version.effective_until
        if until is not None and until < month.first_day:
            later = [v for v in known if v.effective_from > month.first_day]
            successor = f"; the next takes effect on {later[0].effective_from}" if later else ""
            raise SchemeNotFound(
                f"no version of {name!r} is in force in {month}: {version.version} ended on "
                f"{until}{successor}",
                family=name,
            )
        return version

    def _pinned(
        self, family: str, version_name: str, month: Month, as_of: date | None
    ) -> SchemeVersion:
        version = self.find(family, version_name)
        named = f"{family}@{version_name}"
        if as_of is not None and version.published_on > as_of:
            raise SchemeNotFound(
                f"{named} was published on {version.published_on}, after {as_of}", family=named
            )
        if version.effective_from > month.last_day:
            raise SchemeNotFound(
                f"{named} takes effect on {version.effective_from}, after {month}", family=named
            )
        until = version.effective_until
        if until is not None and until < month.first_day:
            raise SchemeNotFound(f"{named} ended on {until}, before {month}", family=named)
        return version

    def find(self, family: str, version: str) -> SchemeVersion:
        for candidate in self.versions(family):
            if candidate.version == version:
                return candidate
        known = ", ".join(v.version for v in self.versions(family))
        raise SchemeNotFound(
            f"{family!r} has no version {version!r} (known: {known})", family=family
        )


def _overlaps(versions: list[SchemeVersion]) -> list[Problem]:
    """Versions of one kind (adopted, or drafts) must not share a start or overlap."""
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
        elif earlier.effective_until is not None and earlier.effective_until >= later.effective_from:
            problems.append(
                Problem(
                    earlier.path,
                    "scheme.effective_until",
                    f"{earlier.family} {earlier.version} runs until {earlier.effective_until}, "
                    f"on or after {later.effective_from} when version {later.version!r} "
                    f"({later.path}) takes effect; versions must not overlap",
                )
            )
    return problems


def _same_names(versions: list[SchemeVersion]) -> list[Problem]:
    problems = []
    seen: dict[str, SchemeVersion] = {}
    for version in versions:
        if version.version in seen:
            problems.append(
                Problem(
                    version.path,
                    "scheme.version",
                    f"version {version.version!r} also defined in {seen[version.version].path}",
                )
            )
        seen.setdefault(version.version, version)
    return problems


def unknown_contribution_tables(
    versions: Iterable[SchemeVersion], known: Iterable[str]
) -> list[Problem]:
    """Versions naming a ``contribution_table`` that is not among ``known`` table ids.

    A misspelt table id would pass the file's own checks and fail every slip later; the
    scheme file alone cannot know which tables exist, so whoever holds both asks here.
    """
    ids = sorted(set(known))
    return [
        Problem(
            version.path,
            "scheme.contribution_table",
            f"no contribution table {table!r} (known: {', '.join(ids) or 'none'})",
        )
        for version in versions
        if (table := version.spec.scheme.contribution_table) is not None and table not in ids
    ]


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


def resolve_registry(
    schemes: SchemeRegistry | None, *, include_drafts: bool = False
) -> SchemeRegistry:
    """``schemes`` (the bundled schemes when None), with drafts in force if asked."""
    registry = schemes if schemes is not None else default_registry()
    return registry.with_drafts() if include_drafts else registry


@functools.cache
def default_registry() -> SchemeRegistry:
    """The bundled schemes, loaded once per process."""
    return load_schemes(bundled_schemes_dir())
