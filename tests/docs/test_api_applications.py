"""The example applications of docs/api.md, run for real: the FastAPI one under a uvicorn
process on a loopback port, the Django view in Django with its test client.

Each is the doc's block, written to a file as the doc names it; expected answers are the
command line's (``paycalc slip --format json``) and the worker contract's problems.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.docs.shell_examples import shell_examples

DOC = ROOT / "docs" / "api.md"
FILES = {e.file: e.command for e in shell_examples(DOC, "python") if e.file}
CHIEF = EXAMPLES / "workers" / "demo.community-worker" / "chief.json"


def printed_slip() -> bytes:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "paycalc",
            "slip",
            str(CHIEF),
            "--month",
            "2024-03",
            "--format",
            "json",
        ],
        capture_output=True,
        check=True,
        cwd=ROOT,
    )
    return run.stdout


def test_the_doc_has_both_applications() -> None:
    assert set(FILES) == {"hr_api.py", "payslips/views.py"}


@pytest.fixture(scope="module")
def hr_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("fastapi")
    from tests.server.conftest import start_service

    folder = tmp_path_factory.mktemp("hr_api")
    (folder / "hr_api.py").write_text(FILES["hr_api.py"], encoding="utf-8")
    for service in start_service(
        module=("uvicorn", "--app-dir", str(folder), "hr_api:app"), health="/docs"
    ):
        yield service.url


# The Kunming 2024 scheme charges 五险一金 on the contribution base: 5,320.50 × 8% = 425.64.
EXACT_WORKER = (
    '{"id": "KM-1", "scheme": "kunming.community-worker", "post": "正职", '
    '"hired_on": "2014-08-01", "contribution_base": 5320.50}'
)


def _pension(slip: dict[str, object]) -> object:
    lines = slip["lines"]
    assert isinstance(lines, list)
    return next(line["amount"] for line in lines if line["code"] == "pension_employee")


def test_fastapi_example_answers_the_slip(hr_api: str) -> None:
    import httpx

    worker = json.loads(CHIEF.read_text(encoding="utf-8"))
    answer = httpx.post(f"{hr_api}/payslips/2024-03", json=worker, timeout=30)
    assert answer.status_code == 200
    assert answer.json() == json.loads(printed_slip())
    bad = httpx.post(
        f"{hr_api}/payslips/2024-03", json={**worker, "hired_on": 20120315}, timeout=30
    )
    assert bad.status_code == 422
    assert bad.json()["problems"] == [
        {
            "source": "worker",
            "location": "hired_on",
            "message": "expected a date as YYYY-MM-DD, got 20120315",
        }
    ]
    exact = httpx.post(
        f"{hr_api}/payslips/2024-03",
        content=EXACT_WORKER.encode(),
        headers={"content-type": "application/json"},
        timeout=30,
    )
    assert exact.status_code == 200 and _pension(exact.json()) == "425.64"
    not_json = httpx.post(f"{hr_api}/payslips/2024-03", content=b"{not json", timeout=30)
    assert not_json.status_code == 422
    assert not_json.json()["problems"][0]["message"].startswith("not valid JSON")


def test_django_example_answers_what_paycalc_slip_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("django")
    import django
    from django.conf import settings

    package = tmp_path / "payslips"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "views.py").write_text(FILES["payslips/views.py"], encoding="utf-8")
    (tmp_path / "doc_urls.py").write_text(
        "from django.urls import path\nfrom payslips import views\n"
        'urlpatterns = [path("payslips/<str:month>", views.payslip_view)]\n',
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    if not settings.configured:
        settings.configure(ROOT_URLCONF="doc_urls", ALLOWED_HOSTS=["testserver"], DEBUG=False)
        django.setup()
    from django.test import Client

    client = Client()
    worker = CHIEF.read_text(encoding="utf-8")
    answer = client.post("/payslips/2024-03", data=worker, content_type="application/json")
    assert answer.status_code == 200
    assert answer.content + b"\n" == printed_slip()  # print() adds the final newline
    bad = client.post(
        "/payslips/2024-03", data=json.dumps({"id": "X"}), content_type="application/json"
    )
    assert bad.status_code == 422
    assert {p["location"] for p in json.loads(bad.content)["problems"]} == {"post", "hired_on"}
    exact = client.post("/payslips/2024-03", data=EXACT_WORKER, content_type="application/json")
    assert exact.status_code == 200 and _pension(json.loads(exact.content)) == "425.64"
    not_json = client.post("/payslips/2024-03", data="{not json", content_type="application/json")
    assert not_json.status_code == 422
    assert client.get("/payslips/2024-03").status_code == 405
