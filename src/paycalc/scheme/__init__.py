"""Scheme files: the format's models, loading with precise errors, and the version registry."""

from paycalc.scheme.loader import check_scheme_file, load_scheme_file, parse_scheme
from paycalc.scheme.model import SchemeFile
from paycalc.scheme.registry import (
    SchemeRegistry,
    bundled_schemes_dir,
    default_registry,
    load_schemes,
)
from paycalc.scheme.sources import (
    SchemeText,
    registry_from_dicts,
    registry_from_loader,
    registry_from_texts,
    scheme_from_dict,
    scheme_from_text,
)
from paycalc.scheme.version import SchemeVersion

__all__ = [
    "SchemeFile",
    "SchemeRegistry",
    "SchemeText",
    "SchemeVersion",
    "bundled_schemes_dir",
    "check_scheme_file",
    "default_registry",
    "load_scheme_file",
    "load_schemes",
    "parse_scheme",
    "registry_from_dicts",
    "registry_from_loader",
    "registry_from_texts",
    "scheme_from_dict",
    "scheme_from_text",
]
