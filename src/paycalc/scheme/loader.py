"""Read scheme files: parse TOML (numbers as Decimal), check shape, then cross-references.

The loader never raises on the first problem: it collects every problem of every file and
raises one :class:`~paycalc.errors.SchemeError` listing them all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, get_args

from pydantic import TypeAdapter, ValidationError

from paycalc import limits
from paycalc._folders import files_under
from paycalc._validation import problems_from_validation_error
from paycalc.errors import Problem, SchemeError
from paycalc.scheme.checks import check_scheme
from paycalc.scheme.model import ComponentKind, SchemeFile
from paycalc.scheme.positions import readable_problems
from paycalc.scheme.toml_errors import toml_problem
from paycalc.scheme.version import SchemeVersion
from paycalc.tomltext import TomlSyntaxError, deeper_than_allowed, loads_toml

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
    too_deep = deeper_than_allowed(data)
    if too_deep is not None:
        return None, [Problem(source, "", too_deep)]
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


#: How the model reads a table key that stands for a number (a grade): pydantic's own rule.
_GRADE_KEY = TypeAdapter(int)
#: longer keys are not numbers the model would read (and int() refuses thousands of digits)
_LONGEST_NUMBER_KEY = 40


def _same_key(key: str) -> str:
    """What a table key means once read: ``"013"``, ``" 13"``, ``"+13"``, ``"13.0"`` and
    ``"1_3"`` are all grade 13 to the model."""
    text = key.strip()
    if len(text) <= _LONGEST_NUMBER_KEY and any(c.isdigit() for c in text):
        try:
            return str(_GRADE_KEY.validate_python(text))
        except ValidationError:
            pass
    return text


def keys_equal_after_coercion(data: object, source: str, where: str = "") -> list[Problem]:
    """Two keys of one table that read as the same key (``13`` and ``"013"``): never pick one.

    TOML refuses a key written twice, but not two spellings of one grade; the model would
    keep whichever came last, silently.
    """
    problems: list[Problem] = []
    if isinstance(data, dict):
        seen: dict[str, str] = {}
        for key, value in data.items():
            path = f"{where}.{limits.cut(str(key))}" if where else limits.cut(str(key))
            meaning = _same_key(str(key))
            if meaning in seen:
                problems.append(
                    Problem(
                        source,
                        path,
                        f"{limits.shown(key)} and {limits.shown(seen[meaning])} are the same key "
                        f"({limits.cut(meaning)}); keep one",
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
        with Path(path).open("rb") as handle:
            raw = handle.read(limits.MAX_SCHEME_FILE_BYTES + 1)
    except OSError as error:
        return None, [Problem(source, "", f"cannot read file: {error.strerror}")]
    return check_scheme_bytes(raw, source)


def check_scheme_bytes(raw: bytes, source: str) -> tuple[SchemeVersion | None, list[Problem]]:
    """A scheme file's bytes (from a file, a database, a request) to a version, or problems."""
    if len(raw) > limits.MAX_SCHEME_FILE_BYTES:
        return None, [
            Problem(source, "", f"the file is larger than {limits.MAX_SCHEME_FILE_BYTES:,} bytes")
        ]
    try:
        # utf-8-sig: Notepad saves a BOM, and TOML would refuse it as "invalid statement"
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(source, "", "not UTF-8 text")]
    try:
        data = loads_toml(text)
    except TomlSyntaxError as error:
        return None, [toml_problem(error.error, source, text)]
    except ValueError as error:
        return None, [Problem(source, "", str(error))]
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
