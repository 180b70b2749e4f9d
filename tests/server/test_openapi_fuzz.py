"""The API fuzzed from its own OpenAPI description (schemathesis): no request gets a 5xx.

A short derandomized run here (30 examples per operation, valid and invalid data); the
longer run before a release is in docs/http-api.md ("Fuzzing the service"). The operations
are driven with hypothesis directly (schemathesis's pytest plugin does not load under
pytest 9).
"""

from __future__ import annotations

from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from tests.server.conftest import Service  # noqa: E402

OPERATIONS = [
    "GET /healthz",
    "POST /v1/slip",
    "POST /v1/explain",
    "POST /v1/payroll",
    "POST /v1/impact",
    "GET /v1/schemes",
    "GET /v1/schemes/{family}/{version}",
]


@pytest.fixture(scope="module")
def api(service: Service) -> Any:
    return schemathesis.openapi.from_url(f"{service.url}/openapi.json")


def test_every_operation_is_fuzzed(api: Any) -> None:
    labels = {result.ok().label for result in api.get_all_operations()}
    assert labels == set(OPERATIONS)


@pytest.mark.parametrize("label", OPERATIONS)
def test_no_request_gets_a_server_error(api: Any, service: Service, label: str) -> None:
    operation = api.find_operation_by_label(label)
    calls: list[int] = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=30,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: Any) -> None:
        response = case.call_and_validate(base_url=service.url, checks=[not_a_server_error])
        calls.append(response.status_code)

    call()
    assert calls and all(status < 500 for status in calls)
