"""Read scheme files: parse TOML (numbers as Decimal), check shape, then cross-references.

The loader never raises on the first problem: it collects every problem of every file and
raises one :class:`~paycalc.errors.SchemeError` listing them all.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from paycalc._folders import files_under
from paycalc._validation import problems_from_validation_error
from paycalc.errors import Problem, SchemeError
from paycalc.scheme.checks import check_scheme
from paycalc.scheme.model import ComponentKind, SchemeFile
from paycalc.scheme.positions import readable_problems
from paycalc.scheme.toml_errors import toml_problem
from paycalc.scheme.version import SchemeVersion

__all__ = [
    "check_scheme_bytes",
    "check_scheme_file",
    "iter_scheme_files",
    "load_scheme_file",
    "parse_scheme",
]

# Pydantic puts the discriminator value into error locations; users never wrote it.
_UNION_TAGS = frozenset(get_args(ComponentKind))


def parse_scheme(
    data: dict[str, Any], source: str, raw: bytes = b""
) -> tuple[SchemeVersion | None, list[Problem]]:
    """Validate already-parsed scheme data; return the version, or None and the problems."""
    clashes = keys_equal_after_coercion(data, source)
    if clashes:
        return None, readable_problems(clashes, data)
    try:
        spec = SchemeFile.model_validate(data)
    except ValidationError as error:
        found = problems_from_validation_error(error, source, skip=_UNION_TAGS)
        return None, readable_problems(found, data)
    problems = check_scheme(spec, source)
    if problems:
        return None, readable_problems(problems, data)
    return SchemeVersion(spec=spec, path=source, sha256=hashlib.sha256(raw).hexdigest()), []


def _same_key(key: str) -> str:
    """What a table key means once read: ``"013"`` and ``" 13"`` are grade 13."""
    text = key.strip()
    return str(int(text)) if text.isdigit() else text


def keys_equal_after_coercion(data: object, source: str, where: str = "") -> list[Problem]:
    """Two keys of one table that read as the same key (``13`` and ``"013"``): never pick one.

    TOML refuses a key written twice, but not two spellings of one grade; the model would
    keep whichever came last, silently.
    """
    problems: list[Problem] = []
    if isinstance(data, dict):
        seen: dict[str, str] = {}
        for key, value in data.items():
            path = f"{where}.{key}" if where else str(key)
            meaning = _same_key(str(key))
            if meaning in seen:
                problems.append(
                    Problem(
                        source,
                        path,
                        f"{key!r} and {seen[meaning]!r} are the same key ({meaning}); keep one",
                    )
                )
            seen.setdefault(meaning, str(key))
            problems += keys_equal_after_coercion(value, source, path)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            problems += keys_equal_after_coercion(item, source, f"{where}[{index}]")
    return problems


def check_scheme_file(path: str | Path) -> tuple[SchemeVersion | None, list[Problem]]:
    """Load one scheme file; return the version, or None and every problem found."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        return None, [Problem(source, "", f"cannot read file: {error.strerror}")]
    return check_scheme_bytes(raw, source)


def check_scheme_bytes(raw: bytes, source: str) -> tuple[SchemeVersion | None, list[Problem]]:
    """A scheme file's bytes (from a file, a database, a request) to a version, or problems."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(source, "", "not UTF-8 text")]
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        return None, [toml_problem(error, source, text)]
    return parse_scheme(data, source, raw)


def load_scheme_file(path: str | Path) -> SchemeVersion:
    """Load one scheme file or raise :class:`SchemeError` listing every problem."""
    version, problems = check_scheme_file(path)
    if version is None:
        raise SchemeError(problems)
    return version


def iter_scheme_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every ``*.toml`` file named, or found under a named folder (recursively, sorted,
    symbolic links to folders and files followed)."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from (found for found in files_under(path) if found.suffix == ".toml")
        else:
            yield path
