"""Schemes from anywhere but a folder: text, parsed data, or a loader (a database).

An HR system that keeps its scheme files in a database builds a registry from their texts
(:func:`registry_from_texts`) or from a callback that fetches them
(:func:`registry_from_loader`), as often as it likes: a text seen before (same bytes, same
source name) is not parsed again but taken from a cache keyed by its SHA-256, so building a
registry per request costs a hash per scheme. Everything here is safe to call from several
threads at once.

Each version records the SHA-256 of the text it came from, as a file's version does. A
scheme given as parsed data (:func:`scheme_from_dict`) has no text: its hash is that of
its canonical JSON (keys sorted, numbers and dates as text), so equal data gives an equal
hash.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

from paycalc.errors import Problem, SchemeError
from paycalc.scheme.loader import check_scheme_bytes, parse_scheme
from paycalc.scheme.registry import SchemeRegistry
from paycalc.scheme.version import SchemeVersion

__all__ = [
    "SchemeText",
    "registry_from_dicts",
    "registry_from_loader",
    "registry_from_texts",
    "scheme_from_dict",
    "scheme_from_text",
]

#: A scheme file's text, as ``str`` or as the bytes of its UTF-8 encoding.
SchemeText = str | bytes

#: Parsed versions kept, most recently used last (a few hundred versions at most matter).
_CACHE_SIZE: Final = 512
_cache: OrderedDict[tuple[str, str], SchemeVersion] = OrderedDict()
_cache_lock = threading.Lock()


def _checked(raw: bytes, source: str) -> tuple[SchemeVersion | None, list[Problem]]:
    key = (hashlib.sha256(raw).hexdigest(), source)
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found, []
    version, problems = check_scheme_bytes(raw, source)
    if version is not None:
        with _cache_lock:
            _cache[key] = version
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return version, problems


def _bytes(text: SchemeText) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else text


def scheme_from_text(text: SchemeText, *, source: str = "<scheme>") -> SchemeVersion:
    """One scheme version from its TOML text; raise :class:`SchemeError` listing every problem."""
    version, problems = _checked(_bytes(text), source)
    if version is None:
        raise SchemeError(problems)
    return version


def _canonical(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def scheme_from_dict(data: Mapping[str, Any], *, source: str = "<scheme>") -> SchemeVersion:
    """One scheme version from parsed data (as ``tomllib`` gives it, numbers as ``Decimal``)."""
    canonical = json.dumps(_canonical(data), sort_keys=True, ensure_ascii=False)
    version, problems = parse_scheme(dict(data), source, canonical.encode("utf-8"))
    if version is None:
        raise SchemeError(problems)
    return version


def _registry(found: Iterable[tuple[SchemeVersion | None, list[Problem]]]) -> SchemeRegistry:
    versions, problems = [], []
    for version, version_problems in found:
        problems += version_problems
        if version is not None:
            versions.append(version)
    if problems:
        raise SchemeError(problems)
    return SchemeRegistry(versions)


def _named(
    texts: Iterable[SchemeText] | Mapping[str, SchemeText],
) -> Iterable[tuple[str, SchemeText]]:
    if isinstance(texts, Mapping):
        return texts.items()
    return ((f"<scheme {index}>", text) for index, text in enumerate(texts, start=1))


def registry_from_texts(
    texts: Iterable[SchemeText] | Mapping[str, SchemeText],
) -> SchemeRegistry:
    """A registry from scheme texts, by source name (a mapping) or numbered (an iterable).

    Every problem of every text is reported together in one :class:`SchemeError`, each
    named by its source, as :func:`~paycalc.scheme.load_schemes` does for files.
    """
    return _registry(_checked(_bytes(text), source) for source, text in _named(texts))


def registry_from_dicts(
    schemes: Iterable[Mapping[str, Any]] | Mapping[str, Mapping[str, Any]],
) -> SchemeRegistry:
    """A registry from parsed scheme data, by source name (a mapping) or numbered."""
    if isinstance(schemes, Mapping):
        named: Iterable[tuple[str, Mapping[str, Any]]] = schemes.items()
    else:
        named = ((f"<scheme {index}>", data) for index, data in enumerate(schemes, start=1))

    def checked(source: str, data: Mapping[str, Any]) -> tuple[SchemeVersion | None, list[Problem]]:
        try:
            return scheme_from_dict(data, source=source), []
        except SchemeError as error:
            return None, list(error.problems)

    return _registry(checked(source, data) for source, data in named)


def registry_from_loader(
    loader: Callable[[], Iterable[tuple[str, SchemeText]]],
) -> SchemeRegistry:
    """A registry from ``loader()``, which yields ``(source name, TOML text)`` pairs.

    ``loader`` is any callable: a database query (``SELECT name, text FROM schemes``), a
    download, a read of an archive. Call this again to pick up changed texts: unchanged
    ones come from the cache.
    """
    return registry_from_texts(dict(loader()))
