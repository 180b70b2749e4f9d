"""What one request can cost the service: body size, rows, time; and what a bug shows.

Each test starts its own real service (``paycalc serve`` with small limits, or uvicorn
with a route that fails like a bug) on a loopback port.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES
from tests.server.conftest import Service, start_service

ROW = {
    "id": "T-1",
    "scheme": "demo.community-worker",
    "post": "正职",
    "hired_on": "2012-03-15",
    "education": "本科",
    "社区星级评定": "A",
}


def rows(count: int) -> list[dict[str, Any]]:
    return [{**ROW, "id": f"T-{n}"} for n in range(count)]


@pytest.fixture(scope="module")
def small() -> Iterator[Service]:
    yield from start_service("--max-body-bytes", "4096", "--max-rows", "3")


@pytest.fixture(scope="module")
def hasty() -> Iterator[Service]:
    yield from start_service("--timeout", "0.01", "--workers", "1")


@pytest.fixture(scope="module")
def buggy() -> Iterator[Service]:
    yield from start_service(module=("uvicorn", "tests.server.crashing_app:app"))


def test_a_body_over_the_limit_is_413_before_it_is_read(small: Service) -> None:
    with small.client() as client:
        answer = client.post("/v1/payroll", json={"month": "2024-03", "rows": rows(40)})
    assert answer.status_code == 413
    [problem] = answer.json()["problems"]
    assert "4096 bytes" in problem["message"]


def test_a_chunked_body_over_the_limit_is_413_too(small: Service) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the size shows only as it arrives
        body = json.dumps({"month": "2024-03", "rows": rows(40)}).encode()
        for start in range(0, len(body), 1000):
            yield body[start : start + 1000]

    with small.client() as client:
        answer = client.post(
            "/v1/payroll", content=chunks(), headers={"content-type": "application/json"}
        )
    assert answer.status_code == 413


def test_more_rows_than_the_limit_is_413(small: Service) -> None:
    with small.client() as client:
        answer = client.post("/v1/payroll", json={"month": "2024-03", "rows": rows(4)})
        fits = client.post("/v1/payroll", json={"month": "2024-03", "rows": rows(3)})
    assert answer.status_code == 413
    assert answer.json()["problems"][0]["message"].startswith("4 roster rows")
    assert fits.status_code == 200 and fits.json()["slips_out"] == 3


def test_an_uploaded_roster_over_the_row_limit_is_413(small: Service) -> None:
    text = (EXAMPLES / "rosters" / "demo.csv").read_bytes()  # five rows
    with small.client() as client:
        answer = client.post(
            "/v1/payroll", files={"file": ("demo.csv", text)}, data={"month": "2024-03"}
        )
    assert answer.status_code == 413


def test_a_request_past_the_time_limit_is_503_and_the_service_goes_on(hasty: Service) -> None:
    # 2,000 rows take far more than 10 ms to read and pay (about 11,000 slips/s at best).
    with hasty.client() as client:
        answer = client.post("/v1/payroll", json={"month": "2024-03", "rows": rows(2000)})
        assert answer.status_code == 503
        assert "0.01 s" in answer.json()["problems"][0]["message"]
        assert client.get("/healthz").status_code == 200


def test_a_bug_is_500_internal_error_and_nothing_more(buggy: Service) -> None:
    with buggy.client() as client:
        answer = client.get("/v1/crash")
    assert answer.status_code == 500
    assert answer.json() == {
        "problems": [{"source": "paycalc", "location": "", "message": "internal error"}]
    }
    assert "secret" not in answer.text and "Traceback" not in answer.text
    assert "Traceback" in Path(buggy.log).read_text(encoding="utf-8")  # logged on the server
