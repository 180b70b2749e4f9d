"""What a running service knows: its limits, and the schemes and contribution tables it
loaded once at start-up.

The scheme files and tables are read when the service starts, and never again: a request
names a family and a version, never a path, so no request reaches the file system; the text
a client downloads is the text whose SHA-256 every slip carries.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from paycalc.contributions import ContributionTables, load_contribution_tables
from paycalc.errors import Problem, SchemeError
from paycalc.scheme import SchemeRegistry, SchemeVersion, default_registry, load_schemes

__all__ = ["ServiceConfig", "ServiceState"]


@dataclass(frozen=True)
class ServiceConfig:
    """Start-up settings of the service; the defaults suit one office's HR system."""

    #: scheme folders (the bundled schemes when empty)
    schemes: tuple[Path, ...] = ()
    #: contribution table folders (五险一金, DIR/<id>/<version>.toml; the bundled tables
    #: when empty)
    contributions: tuple[Path, ...] = ()
    #: largest request body accepted, in bytes (a 5,000-row XLSX roster is about 400 KB)
    max_body_bytes: int = 8 * 1024 * 1024
    #: most roster rows one payroll or impact request may carry
    max_rows: int = 20_000
    #: seconds a request may compute before the service answers 503
    timeout_seconds: float = 30.0
    #: requests computed at once (each in its own thread); others wait their turn
    workers: int = 2
    #: no endpoint writes anything; kept explicit so a deployment can state its posture
    read_only: bool = True


@dataclass(frozen=True)
class ServiceState:
    """The loaded schemes and the exact text of each version, by (family, version), and
    the contribution tables (None: the bundled tables)."""

    config: ServiceConfig
    registry: SchemeRegistry
    texts: dict[tuple[str, str], str] = field(default_factory=dict)
    contributions: ContributionTables | None = None

    @classmethod
    def load(cls, config: ServiceConfig) -> ServiceState:
        registry = load_schemes(*config.schemes) if config.schemes else default_registry()
        tables = load_contribution_tables(*config.contributions) if config.contributions else None
        return cls(config, registry, {_key(v): _text_of(v) for v in registry}, tables)


def _key(version: SchemeVersion) -> tuple[str, str]:
    return (version.family, version.version)


def _text_of(version: SchemeVersion) -> str:
    raw = Path(version.path).read_bytes()
    if hashlib.sha256(raw).hexdigest() != version.sha256:
        raise SchemeError(
            [Problem(version.path, "", "the file changed while the service was loading it")]
        )
    return raw.decode("utf-8")
