"""A slip has one JSON form: ``to_dict``, pydantic (TypeAdapter, a model field) and the
HTTP service's answers all give the same document (tests/server checks the live service)."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from paycalc import load_worker, payslip
from paycalc.slip import SLIP_CONTRACT, PayLine, Payslip
from tests.conftest import EXAMPLES

CHIEF = EXAMPLES / "workers" / "demo.community-worker" / "chief.json"


def _slips() -> list[Payslip]:
    slip = payslip(load_worker(CHIEF), "2024-03")
    back_pay = PayLine(
        "arrears_post_pay", "补发岗位工资", "earning", Decimal("100.00"), "2024-01", True
    )
    return [
        slip,
        Payslip.from_lines(slip.worker_id, slip.month, slip.scheme, [*slip.lines, back_pay]),
    ]


class Envelope(BaseModel):
    slip: Payslip


@pytest.mark.parametrize("slip", _slips(), ids=["ordinary", "with back pay"])
def test_every_serialisation_is_to_dict(slip: Payslip) -> None:
    document = slip.to_dict()
    assert document["contract"] == SLIP_CONTRACT
    assert TypeAdapter(Payslip).dump_python(slip, mode="json") == document
    assert json.loads(TypeAdapter(Payslip).dump_json(slip)) == document
    assert Envelope(slip=slip).model_dump(mode="json")["slip"] == document
    # Only back-pay lines carry the flag; an ordinary line never says "arrears": false.
    assert [line.get("arrears") for line in document["lines"]] == [
        True if line.arrears else None for line in slip.lines
    ]


@pytest.mark.parametrize("slip", _slips(), ids=["ordinary", "with back pay"])
def test_pydantic_reads_what_it_writes(slip: Payslip) -> None:
    assert Envelope.model_validate_json(Envelope(slip=slip).model_dump_json()).slip == slip


def test_a_document_of_another_contract_or_with_wrong_totals_is_refused() -> None:
    document = _slips()[0].to_dict()
    with pytest.raises(ValidationError, match=r"paycalc\.slip/1"):
        Envelope.model_validate({"slip": {**document, "contract": "paycalc.slip/2"}})
    with pytest.raises(ValidationError, match=r"lines add up to 5667\.00"):
        Envelope.model_validate({"slip": {**document, "gross": "5668.00"}})
    legacy = {key: value for key, value in document.items() if key != "contract"}
    assert Payslip.from_dict(legacy) == _slips()[0]  # written before contracts: version 1


def test_a_slip_is_a_frozen_dataclass_still() -> None:
    slip = _slips()[0]
    assert dataclasses.replace(slip, worker_id="X").to_dict()["worker_id"] == "X"
