"""The HTTP service, for real: a uvicorn process on a loopback port, called with httpx.

Expected values come from the command line run on the same input (the service promises
the same documents), from the golden slips, or from the hand-checked demo slip (gross
5667.00, worked out in README and tests/test_engine.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from examples.regenerate import load_manifest
from tests.conftest import EXAMPLES, ROOT
from tests.server.conftest import Service, start_service

CHIEF = EXAMPLES / "workers" / "demo.community-worker" / "chief.json"
ROSTERS = EXAMPLES / "rosters"


def paycalc(*argv: str) -> subprocess.CompletedProcess[str]:
    """The command line, run as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "paycalc", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def worker(path: Path = CHIEF) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def jsonl_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


# --- slips ------------------------------------------------------------------------------


def test_health(client: httpx.Client) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok" and answer.json()["read_only"] is True


def test_slip_is_byte_for_byte_what_the_command_line_prints(client: httpx.Client) -> None:
    printed = paycalc("slip", str(CHIEF), "--month", "2024-03", "--format", "json")
    assert printed.returncode == 0
    answer = client.post("/v1/slip", json={"worker": worker(), "month": "2024-03"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.content == printed.stdout.encode("utf-8")
    assert answer.json()["gross"] == "5667.00"  # the README's hand-checked demo slip


@pytest.mark.parametrize("entry", load_manifest(), ids=str)
def test_every_golden_slip_over_http(client: httpx.Client, entry: Any) -> None:
    # A draft prices a slip only when asked, as `paycalc slip --include-drafts`.
    answer = client.post(
        "/v1/slip",
        json={
            "worker": worker(entry.worker),
            "month": entry.month,
            "include_drafts": entry.include_drafts,
        },
    )
    assert answer.status_code == 200
    assert answer.content == entry.path.read_bytes()


def test_a_draft_is_not_in_force_unless_asked(client: httpx.Client) -> None:
    zhugan = worker(EXAMPLES / "workers" / "jiaocheng.community-worker" / "zhugan.json")
    body = {"worker": zhugan, "month": "2024-01"}
    official = client.post("/v1/slip", json=body).json()
    draft = client.post("/v1/slip", json={**body, "include_drafts": True}).json()
    assert (official["scheme"]["status"], draft["scheme"]["status"]) == ("official", "draft")
    refused = client.post("/v1/slip", json={**body, "include_drafts": "yes"})
    assert refused.status_code == 422
    assert [p["location"] for p in refused.json()["problems"]] == ["include_drafts"]


def test_as_of_pays_what_was_known_then(client: httpx.Client) -> None:
    # The demo family's 2024-07 version was published after 2024-06-01 (tests/cli).
    now = client.post("/v1/slip", json={"worker": worker(), "month": "2024-07"}).json()
    then = client.post(
        "/v1/slip", json={"worker": worker(), "month": "2024-07", "as_of": "2024-06-01"}
    ).json()
    assert (now["scheme"]["version"], then["scheme"]["version"]) == ("2024-07", "2023-01")


def test_a_bad_worker_gets_the_problems_the_command_line_prints(
    client: httpx.Client, tmp_path: Path
) -> None:
    # "5.320,00" is refused (a decimal comma is never guessed); a JSON 5320.5 would be exact.
    bad = {
        **worker(),
        "educaton": "本科",
        "hired_on": "2012-02-30",
        "contribution_base": "5.320,00",
    }
    del bad["post"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    printed = paycalc("slip", str(path), "--month", "2024-03", "--format", "json")
    assert printed.returncode == 1
    answer = client.post("/v1/slip", json={"worker": bad, "month": "2024-03"})
    assert answer.status_code == 422
    problems = answer.json()["problems"]
    assert {p["source"] for p in problems} == {"worker"}
    # The same lines, with the request's field name where the command line has the file.
    served = [f"{path}: {p['location']}: {p['message']}" for p in problems]
    assert served == printed.stderr.splitlines()
    assert {p["location"] for p in problems} == {
        "post",
        "hired_on",
        "educaton",
        "contribution_base",
    }


# A worker under a scheme with 五险一金 (the Kunming 2024 table, pension 8% / 16%), whose
# contribution base is a JSON fraction: exact in a file, so exact in a request body too.
EXACT_BASE = (
    '{"worker": {"id": "KM-0003", "scheme": "kunming.community-worker", "post": "正职", '
    '"hired_on": "2014-08-01", "education": "大专", "appraisals": {"2023": "称职"}, '
    '"contribution_base": 5320.50}, "month": "2024-03"}'
)


def _pension(slip: dict[str, Any]) -> dict[str, Any]:
    [line] = [line for line in slip["lines"] if line["code"] == "pension_employee"]
    return line


def test_a_json_fraction_in_the_body_is_exact_as_in_a_file(
    client: httpx.Client, tmp_path: Path
) -> None:
    worker_text = EXACT_BASE.removeprefix('{"worker": ').rsplit(', "month"', 1)[0]
    path = tmp_path / "km.json"
    path.write_text(worker_text, encoding="utf-8")
    printed = paycalc("slip", str(path), "--month", "2024-03", "--format", "json")
    assert printed.returncode == 0, printed.stderr
    answer = client.post(
        "/v1/slip",
        content=EXACT_BASE.encode("utf-8"),
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.content == printed.stdout.encode("utf-8")
    pension = _pension(answer.json())
    # 5,320.50 × 8% = 425.64 exactly (a binary float would not even be accepted).
    assert pension["amount"] == "425.64" and "5,320.50" in pension["basis"]


def test_a_body_with_a_byte_order_mark_is_read_as_a_worker_file_is(client: httpx.Client) -> None:
    body = json.dumps({"worker": worker(), "month": "2024-03"}, ensure_ascii=False)
    answer = client.post(
        "/v1/slip",
        content=b"\xef\xbb\xbf" + body.encode("utf-8"),
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 200 and answer.json()["gross"] == "5667.00"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"worker": {}, "month": "2024-03", "month": "2024-04"}', "given twice"),
        (b'{"worker": {}, "month": NaN}', "not a number"),
        (b'{"worker": {"contribution_base": 1e400}, "month": "2024-03"}', "out of range"),
        (b'["not", "an", "object"]', "expected a JSON object"),
        ('{"worker": {}, "month": "2024-03"}'.encode("utf-16"), "not UTF-8"),
    ],
)
def test_a_body_is_read_as_strictly_as_a_worker_file(
    client: httpx.Client, body: bytes, message: str
) -> None:
    answer = client.post("/v1/slip", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 422
    assert any(message in p["message"] for p in answer.json()["problems"]), answer.json()


def test_a_worker_the_scheme_refuses_is_422_naming_the_worker(client: httpx.Client) -> None:
    answer = client.post(
        "/v1/slip", json={"worker": {**worker(), "post": "门卫"}, "month": "2024-03"}
    )
    assert answer.status_code == 422
    [problem] = answer.json()["problems"]
    assert (problem["source"], problem["location"]) == ("worker DEMO-0001", "post")


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"month": "2024-03"}, "worker"),
        ({"worker": {}, "month": "2024-3"}, "month"),
        ({"worker": {}, "month": "2024-13"}, "month"),
        ({"worker": {}, "month": "2024-03", "as_of": "2024-02-30"}, "as_of"),
        ({"worker": {}, "month": "2024-03", "extra": 1}, "extra"),
        ({"worker": [], "month": "2024-03"}, "worker"),
    ],
)
def test_a_bad_request_names_the_field(
    client: httpx.Client, body: dict[str, Any], location: str
) -> None:
    answer = client.post("/v1/slip", json=body)
    assert answer.status_code == 422
    locations = [p["location"] for p in answer.json()["problems"]]
    assert location in locations, answer.json()


def test_a_body_that_is_not_json_is_422(client: httpx.Client) -> None:
    answer = client.post(
        "/v1/slip", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["source"] == "request"


def test_not_employed_is_a_problem_not_a_crash(client: httpx.Client, tmp_path: Path) -> None:
    # Hired after the month (appraisals and awards only from the hire on).
    hired_later = {**worker(), "hired_on": "2024-05-01", "awards": [], "appraisals": {}}
    path = tmp_path / "later.json"
    path.write_text(json.dumps(hired_later, ensure_ascii=False), encoding="utf-8")
    printed = paycalc("slip", str(path), "--month", "2024-03")
    answer = client.post("/v1/slip", json={"worker": hired_later, "month": "2024-03"})
    assert answer.status_code == 422
    [problem] = answer.json()["problems"]
    assert problem["source"] == "worker DEMO-0001" and "2024-03" in problem["location"]
    assert printed.stderr == f"{problem['source']}: {problem['location']}: {problem['message']}\n"


def test_no_version_in_force_is_located_at_the_family(client: httpx.Client) -> None:
    # Employed since 2012; the demo family's first version takes effect on 2023-01-01.
    answer = client.post("/v1/slip", json={"worker": worker(), "month": "2022-06"})
    assert answer.status_code == 422
    [problem] = answer.json()["problems"]
    assert (problem["source"], problem["location"]) == ("schemes", "demo.community-worker")


def test_explain_prints_what_the_command_line_prints(client: httpx.Client) -> None:
    printed = paycalc("explain", str(CHIEF), "--month", "2024-03")
    answer = client.post("/v1/explain", json={"worker": worker(), "month": "2024-03"})
    assert answer.status_code == 200
    document = answer.json()
    assert document["text"] == printed.stdout
    assert "arrears" not in json.dumps(document["slip"])
    assert document["steps"] == printed.stdout.splitlines()
    assert document["slip"]["gross"] == "5667.00"


# --- payroll ------------------------------------------------------------------------------


def _cli_register(
    tmp_path: Path, roster: Path, month: str, *options: str, suffix: str = ".csv"
) -> list[dict[str, Any]]:
    """The register `paycalc run` writes: CSV rows as text, or JSONL objects; 合计 last."""
    out = tmp_path / f"register{suffix}"
    printed = paycalc("run", str(roster), "--month", month, "--out", str(out), "--quiet", *options)
    assert printed.returncode in (0, 1), printed.stderr
    if suffix == ".jsonl":
        return jsonl_rows(out)
    with out.open(encoding="utf-8-sig", newline="") as table:
        return list(csv.DictReader(table))


def _written(document: dict[str, Any]) -> list[dict[str, Any]]:
    """An answer's register as `paycalc run --out REGISTER.jsonl` writes it."""
    assert all(list(row) == document["columns"] for row in document["register"])
    return [*document["register"], document["totals"]]


def test_payroll_of_json_rows_matches_paycalc_run(client: httpx.Client, tmp_path: Path) -> None:
    roster = ROSTERS / "demo.jsonl"
    answer = client.post("/v1/payroll", json={"month": "2024-03", "rows": jsonl_rows(roster)})
    assert answer.status_code == 200
    document = answer.json()
    assert _written(document) == _cli_register(tmp_path, roster, "2024-03", suffix=".jsonl")
    assert document["rows_in"] == 5 == document["slips_out"] + document["failed_rows"]
    assert document["not_employed"] == [] and document["headers"] == "labels"
    assert [slip["worker_id"] for slip in document["slips"]] == [
        row["工号"] for row in document["register"]
    ]
    assert document["slips"][0]["gross"] == "5667.00"
    # 5667.00 + 3295.00 + 2873.00 + 4945.00 + 1863.58 (the demo slips; DEMO-0002's 2023
    # 基本称职 earns no seniority step: 2 passed years × 30 = 60)
    assert document["totals"]["实发"] == "18643.58" and document["totals"]["工号"] == "合计"
    # FastAPI serialises the slips of the answer as the command line prints them.
    printed = paycalc("slip", str(CHIEF), "--month", "2024-03", "--format", "json")
    assert document["slips"][0] == json.loads(printed.stdout)


def test_payroll_headers_are_codes_when_asked_as_with_paycalc_run(
    client: httpx.Client, tmp_path: Path
) -> None:
    roster = ROSTERS / "demo.jsonl"
    body = {"month": "2024-03", "rows": jsonl_rows(roster), "headers": "codes"}
    document = client.post("/v1/payroll", json=body).json()
    assert document["columns"][:2] == ["worker_id", "name"]
    assert _written(document) == _cli_register(
        tmp_path, roster, "2024-03", "--headers", "codes", suffix=".jsonl"
    )


def test_rows_not_employed_are_counted_apart_as_paycalc_run_counts_them(
    client: httpx.Client, tmp_path: Path
) -> None:
    rows = jsonl_rows(ROSTERS / "demo.jsonl")
    later = {**rows[1], "hired_on": "2024-05-01", "appraisals": {}}  # hired after March
    roster = tmp_path / "later.jsonl"
    roster.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in [rows[0], later]),
        encoding="utf-8",
    )
    printed = paycalc("run", str(roster), "--month", "2024-03", "--out", str(tmp_path / "r.csv"))
    document = client.post(
        "/v1/payroll", json={"month": "2024-03", "rows": [rows[0], later]}
    ).json()
    assert document["summary"] == "2 rows in = 1 slips + 1 not employed + 0 errors"
    assert printed.stdout.splitlines()[-1] == document["summary"]
    [absent] = document["not_employed"]
    assert (absent["row"], absent["worker_id"]) == (2, "DEMO-0002")
    assert document["failed_rows"] == 0 and document["balanced"] is True


@pytest.mark.parametrize("name", ["demo.csv", "demo-gbk.csv", "demo.xlsx", "demo.jsonl"])
def test_payroll_of_an_uploaded_roster_matches_paycalc_run(
    client: httpx.Client, tmp_path: Path, name: str
) -> None:
    roster = ROSTERS / name
    answer = client.post(
        "/v1/payroll",
        files={"file": (name, roster.read_bytes())},
        data={"month": "2024-03"},
    )
    assert answer.status_code == 200, answer.text
    assert _written(answer.json()) == _cli_register(tmp_path, roster, "2024-03", suffix=".jsonl")


def test_an_upload_takes_headers_and_include_drafts(client: httpx.Client, tmp_path: Path) -> None:
    roster = ROSTERS / "demo.csv"
    answer = client.post(
        "/v1/payroll",
        files={"file": ("demo.csv", roster.read_bytes())},
        data={"month": "2024-03", "headers": "codes", "include_drafts": "true"},
    )
    assert answer.status_code == 200, answer.text
    assert _written(answer.json()) == _cli_register(
        tmp_path, roster, "2024-03", "--headers", "codes", "--include-drafts", suffix=".jsonl"
    )
    for field, value in (("headers", "english"), ("include_drafts", "yes")):
        refused = client.post(
            "/v1/payroll",
            files={"file": ("demo.csv", roster.read_bytes())},
            data={"month": "2024-03", field: value},
        )
        assert refused.status_code == 422
        assert [p["location"] for p in refused.json()["problems"]] == [field]


def test_row_errors_name_the_uploaded_file_not_a_temporary_one(client: httpx.Client) -> None:
    text = (ROSTERS / "demo.csv").read_text(encoding="utf-8")
    broken = text.replace("2016/9/1", "2016/13/1").replace("街道\n", "街道,颜色\n", 1)
    answer = client.post(
        "/v1/payroll",
        files={"file": ("五月.csv", broken.encode("utf-8"))},
        data={"month": "2024-03"},
    )
    assert answer.status_code == 200
    document = answer.json()
    assert document["failed_rows"] == 1 and document["slips_out"] == 4
    [error] = document["errors"]
    assert (error["row"], error["worker_id"], error["field"]) == (3, "DEMO-0002", "入职日期")
    [unknown] = document["file_problems"]
    assert unknown["source"] == "五月.csv" and "颜色" in unknown["location"]
    assert "/tmp" not in answer.text and "paycalc-upload" not in answer.text


@pytest.mark.parametrize(
    ("files", "data", "location"),
    [
        ({"file": ("roster.txt", b"id\n1\n")}, {"month": "2024-03"}, "file"),
        ({"file": ("roster.csv", b"id\n1\n")}, {}, "month"),
        (None, {"month": "2024-03"}, "file"),
    ],
)
def test_a_bad_upload_is_422(
    client: httpx.Client, files: Any, data: dict[str, str], location: str
) -> None:
    if files is None:  # a form with no file at all
        answer = client.post("/v1/payroll", data=data, files={"other": ("x.csv", b"")})
    else:
        answer = client.post("/v1/payroll", files=files, data=data)
    assert answer.status_code == 422
    assert location in [p["location"] for p in answer.json()["problems"]]


def test_an_unreadable_upload_is_422_naming_the_file(client: httpx.Client) -> None:
    answer = client.post(
        "/v1/payroll",
        files={"file": ("空.csv", b"")},
        data={"month": "2024-03"},
    )
    assert answer.status_code == 422
    [problem] = answer.json()["problems"]
    assert problem["source"] == "空.csv" and "empty" in problem["message"]


# --- impact and schemes -----------------------------------------------------------------


def test_impact_matches_paycalc_impact(client: httpx.Client) -> None:
    roster = ROSTERS / "demo.jsonl"
    printed = paycalc(
        "impact",
        "demo.community-worker@2023-01",
        "demo.community-worker@2024-07",
        "--roster",
        str(roster),
        "--month",
        "2024-07",
        "--format",
        "json",
    )
    expected = json.loads(printed.stdout)
    answer = client.post(
        "/v1/impact",
        json={
            "old": "demo.community-worker@2023-01",
            "new": "demo.community-worker@2024-07",
            "month": "2024-07",
            "rows": jsonl_rows(roster),
        },
    )
    assert answer.status_code == 200
    document = answer.json()
    assert document["summary"] == expected["summary"]
    assert document["workers"] == expected["workers"]
    assert len(document["problems"]) == len(expected["errors"])


def test_impact_of_an_unknown_version_is_422(client: httpx.Client) -> None:
    answer = client.post(
        "/v1/impact",
        json={
            "old": "demo.community-worker@1999-01",
            "new": "demo.community-worker@2024-07",
            "month": "2024-07",
            "rows": [{"id": "A", "post": "正职", "hired_on": "2020-01-01"}],
        },
    )
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["location"] == "old"


def test_schemes_list_what_paycalc_schemes_lists(client: httpx.Client) -> None:
    listed = json.loads(paycalc("schemes", "--format", "json").stdout)
    served = client.get("/v1/schemes").json()
    assert [(s["id"], s["version"]) for s in served] == [(s["id"], s["version"]) for s in listed]
    assert "path" not in served[0]  # the server's folders are nobody's business


def test_a_scheme_version_is_its_text_and_the_hash_of_that_text(client: httpx.Client) -> None:
    answer = client.get("/v1/schemes/demo.community-worker/2023-01")
    assert answer.status_code == 200
    document = answer.json()
    on_disk = (ROOT / "schemes" / "demo" / "community-worker" / "2023-01.toml").read_bytes()
    assert document["text"].encode("utf-8") == on_disk
    assert document["sha256"] == hashlib.sha256(on_disk).hexdigest()
    slip = client.post("/v1/slip", json={"worker": worker(), "month": "2024-03"}).json()
    assert slip["scheme"]["sha256"] == document["sha256"]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/schemes/demo.community-worker/1999-01",
        "/v1/schemes/no.such-family/2023-01",
        "/v1/schemes/..%2F..%2Fetc/passwd",
        "/v1/nothing",
    ],
)
def test_unknown_things_are_404_with_problems(client: httpx.Client, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 404
    assert answer.json()["problems"][0]["message"]


def test_openapi_and_docs_are_served(client: httpx.Client) -> None:
    described = client.get("/openapi.json").json()
    assert {"/v1/slip", "/v1/payroll", "/v1/explain", "/v1/impact", "/v1/schemes"} <= set(
        described["paths"]
    )
    payroll = described["paths"]["/v1/payroll"]["post"]["requestBody"]["content"]
    assert set(payroll) == {"application/json", "multipart/form-data"}
    assert "swagger" in client.get("/docs").text.lower()


def test_no_answer_writes_a_file(client: httpx.Client, tmp_path: Path) -> None:
    # Uploads go through a private temporary folder that is gone before the answer.
    import tempfile

    before = set(Path(tempfile.gettempdir()).glob("paycalc-upload-*"))
    client.post(
        "/v1/payroll",
        files={"file": ("demo.csv", (ROSTERS / "demo.csv").read_bytes())},
        data={"month": "2024-03"},
    )
    assert set(Path(tempfile.gettempdir()).glob("paycalc-upload-*")) == before


def test_json_rows_with_a_csv_upload_content_type_mismatch(client: httpx.Client) -> None:
    answer = client.post(
        "/v1/payroll",
        content=io.BytesIO(b"month=2024-03").read(),
        headers={"content-type": "text/plain"},
    )
    assert answer.status_code == 422


# --- contribution tables ------------------------------------------------------------------


@pytest.fixture(scope="module")
def own_tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled Kunming 2024 table with the worker's pension rate at 10% (was 8%)."""
    folder = tmp_path_factory.mktemp("tables")
    bundled = ROOT / "src" / "paycalc" / "contributions" / "tables" / "yunnan.kunming" / "2024.toml"
    text = bundled.read_text(encoding="utf-8")
    changed = text.replace(
        "employee_rate = 0.08\nemployer_rate = 0.16", "employee_rate = 0.10\nemployer_rate = 0.16"
    )
    assert changed != text
    (folder / "yunnan.kunming").mkdir()
    (folder / "yunnan.kunming" / "2024.toml").write_text(changed, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tables_service(own_tables: Path) -> Iterator[Service]:
    yield from start_service("--contributions", str(own_tables))


def test_serve_pays_with_the_contribution_tables_it_is_given(
    tables_service: Service, own_tables: Path, tmp_path: Path
) -> None:
    path = tmp_path / "km.json"
    path.write_text(EXACT_BASE.removeprefix('{"worker": ').rsplit(', "month"', 1)[0], "utf-8")
    printed = paycalc(
        "slip", str(path), "--month", "2024-03", "--format", "json",
        "--contributions", str(own_tables),
    )  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    with tables_service.client() as client:
        answer = client.post(
            "/v1/slip", content=EXACT_BASE.encode(), headers={"content-type": "application/json"}
        )
        rows = {"month": "2024-03", "rows": [json.loads(path.read_text("utf-8"))]}
        payroll = client.post("/v1/payroll", json=rows).json()
    assert answer.status_code == 200
    assert answer.content == printed.stdout.encode("utf-8")
    # 5,320.50 × 10% = 532.05 (the bundled 8% gives 425.64)
    assert _pension(answer.json())["amount"] == "532.05"
    assert _pension(payroll["slips"][0])["amount"] == "532.05"


def test_serve_refuses_a_contributions_folder_as_every_command_does(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    served = paycalc("serve", "--port", "1", "--contributions", str(missing))
    by_slip = paycalc("slip", str(CHIEF), "--month", "2024-03", "--contributions", str(missing))
    assert served.returncode == by_slip.returncode == 1
    assert served.stderr == by_slip.stderr and "no such folder" in served.stderr
