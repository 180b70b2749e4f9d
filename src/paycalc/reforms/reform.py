"""A reform: read and checked like a scheme, applied to a version or to a whole registry.

A reformed version is a real :class:`~paycalc.scheme.SchemeVersion`: its version name is the
base's plus ``+<reform id>`` (``2024-01+cap7800``), its status is never ``official`` (an
official base becomes ``illustrative``: the figures are a proposal), and its ``sha256`` is the
hash of the base's hash and the reform's text, so a slip paid under it records exactly what
produced it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from paycalc._validation import problems_from_validation_error
from paycalc.errors import Problem, SchemeError, SchemeNotFound
from paycalc.period import Month
from paycalc.reforms.model import ReformFile
from paycalc.reforms.patch import patch_spec
from paycalc.scheme.registry import SchemeRegistry
from paycalc.scheme.version import SchemeVersion

__all__ = ["Reform", "load_reform", "parse_reform", "reformed_registry", "versions_touched"]


@dataclass(frozen=True, eq=False)
class Reform:
    """A checked reform file (``source`` names it in problems; ``sha256`` hashes its text)."""

    spec: ReformFile
    source: str
    sha256: str
    #: what scalings left alone ("performance not scaled: …"), filled when applied
    notes: list[str] = field(default_factory=list, compare=False)

    @property
    def id(self) -> str:
        return self.spec.reform.id

    @property
    def title(self) -> str:
        return self.spec.reform.title

    @property
    def family(self) -> str:
        return self.spec.reform.scheme

    @property
    def effective_from(self) -> Month:
        return self.spec.reform.effective_from

    def apply(self, version: SchemeVersion, *, effective_from: dt.date | None = None) -> SchemeVersion:
        """``version`` with this reform applied, in force from ``effective_from`` (the later of
        the reform's month and the version's own start by default)."""
        patched = patch_spec(version, self.spec, self.source)
        if patched.spec is None:
            raise SchemeError(patched.problems)
        for note in patched.notes:
            if note not in self.notes:
                self.notes.append(note)
        start = effective_from or max(version.effective_from, self.effective_from.first_day)
        header = patched.spec.scheme
        status = "illustrative" if header.status == "official" else header.status
        note = f"{header.note}\n\n改革测算 {self.id}: {self.title}. {self.spec.reform.note}".strip()
        renamed = header.model_copy(
            update={
                "version": f"{version.version}+{self.id}",
                "title": f"{header.title} · 改革测算 {self.title}",
                "status": status,
                "effective_from": start,
                "note": note,
            }
        )
        spec = patched.spec.model_copy(update={"scheme": renamed})
        digest = hashlib.sha256(f"{version.sha256}\n{self.sha256}".encode()).hexdigest()
        return SchemeVersion(spec=spec, path=f"{version.path} + {self.source}", sha256=digest)


def parse_reform(data: dict[str, Any], *, source: str = "<reform>", text: bytes | None = None) -> Reform:
    """A reform from already-parsed data (a dict in Python, or a TOML file's content).

    Raises :class:`~paycalc.errors.SchemeError` listing every problem with its key path.
    """
    try:
        spec = ReformFile.model_validate(data)
    except ValidationError as error:
        raise SchemeError(problems_from_validation_error(error, source)) from None
    if text is None:
        text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    return Reform(spec, source, hashlib.sha256(text).hexdigest())


def load_reform(path: str | Path) -> Reform:
    """Read a reform TOML file (numbers exact); every problem with its key path."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise SchemeError([Problem(source, "", f"cannot read file: {error.strerror}")]) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise SchemeError([Problem(source, "", "not UTF-8 text")]) from None
    except tomllib.TOMLDecodeError as error:
        raise SchemeError([Problem(source, "", f"not valid TOML: {error}")]) from None
    return parse_reform(data, source=source, text=raw)


def versions_touched(registry: SchemeRegistry, reform: Reform) -> list[SchemeVersion]:
    """The family's versions that pay some month from the reform's start on."""
    start = reform.effective_from.first_day
    versions = [v for v in registry.versions(reform.family) if registry.include_drafts or not v.is_draft]
    found = []
    for index, version in enumerate(versions):
        later = [v for v in versions[index + 1 :] if v.is_draft == version.is_draft]
        ends = version.effective_until or (
            later[0].effective_from - dt.timedelta(days=1) if later else dt.date.max
        )
        if ends >= start:
            found.append(version)
    return found


def _ending(version: SchemeVersion, last: dt.date) -> SchemeVersion:
    """The same version (same figures, same file hash) ending on ``last``."""
    header = version.spec.scheme.model_copy(update={"effective_until": last})
    spec = version.spec.model_copy(update={"scheme": header})
    return SchemeVersion(spec=spec, path=version.path, sha256=version.sha256)


def reformed_registry(registry: SchemeRegistry, reforms: Reform | Sequence[Reform]) -> SchemeRegistry:
    """``registry`` with each reform applied, in order, from its effective month on.

    Every version of the reform's family in force on or after that month is replaced by its
    reformed copy (the one in force when it starts is split: the base until the month
    before, the reformed copy from the month on). Raises :class:`SchemeError` with every
    problem of every reform and version.
    """
    chosen = [reforms] if isinstance(reforms, Reform) else list(reforms)
    problems: list[Problem] = []
    for reform in chosen:
        try:
            touched = versions_touched(registry, reform)
        except SchemeNotFound as error:
            problems.append(Problem(reform.source, "reform.scheme", str(error)))
            continue
        if not touched:
            problems.append(
                Problem(reform.source, "reform.effective_from",
                        f"no version of {reform.family} is in force from {reform.effective_from}")
            )  # fmt: skip
            continue
        start = reform.effective_from.first_day
        replaced: dict[int, list[SchemeVersion]] = {}
        for version in touched:
            try:
                reformed = reform.apply(version)
            except SchemeError as error:
                problems += error.problems
                continue
            parts = [reformed]
            if version.effective_from < start:
                parts.insert(0, _ending(version, start - dt.timedelta(days=1)))
            replaced[id(version)] = parts
        if problems:
            continue
        versions: Iterable[SchemeVersion] = (
            part for version in registry for part in replaced.get(id(version), [version])
        )
        registry = _same_drafts(SchemeRegistry(versions), registry)
    if problems:
        raise SchemeError(problems)
    return registry


def _same_drafts(new: SchemeRegistry, old: SchemeRegistry) -> SchemeRegistry:
    return new.with_drafts(old.include_drafts)
