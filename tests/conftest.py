"""Shared test set-up: hypothesis profiles and paths.

Profiles: ``ci`` (derandomized, so a landing never depends on luck; chosen when CI is set),
``dev`` (the default locally) and ``explore`` (many more examples, for a hunt before a
release: ``HYPOTHESIS_PROFILE=explore pytest``).
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SCHEMES = ROOT / "schemes"
EXAMPLES = ROOT / "examples"

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=100,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "explore", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
