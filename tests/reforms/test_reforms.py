"""Reforms: patches applied exactly, checked like a scheme, dated, hashed, never official."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from paycalc import Month, SchemeError, default_registry
from paycalc.cli import main
from paycalc.reforms import load_reform, parse_reform, reformed_registry
from tests.conftest import EXAMPLES

KUNMING = "kunming.community-worker"


def _reform(**parts: object) -> dict[str, object]:
    header = {"id": "r", "title": "测试", "scheme": KUNMING, "effective_from": "2026-01"}
    return {"reform": header, **parts}


def _kunming_2024() -> object:
    return default_registry().find(KUNMING, "2024-01")


def _component(version: object, code: str) -> object:
    return next(c for c in version.spec.components if c.code == code)  # type: ignore[attr-defined]


def test_scale_every_amount_rounds_each_to_the_fen() -> None:
    reformed = parse_reform(_reform(scale=[{"factor": "1.03"}])).apply(_kunming_2024())
    base_pay = _component(reformed, "base_pay")
    # 3000 × 1.03 = 3090; 3300 × 1.03 = 3399; 2400 × 1.03 = 2472
    assert base_pay.amounts["chief"] == Decimal("3090.00")  # type: ignore[attr-defined]
    assert base_pay.amounts["secretary_director"] == Decimal("3399.00")  # type: ignore[attr-defined]
    performance = _component(reformed, "performance")
    # start + step are each scaled: 800 × 1.03 = 824, 320 × 1.03 = 329.6
    assert (performance.start, performance.step) == (Decimal("824.00"), Decimal("329.60"))  # type: ignore[attr-defined]


def test_scale_one_post_writes_a_start_step_component_out_as_a_table() -> None:
    reform = parse_reform(_reform(scale=[{"factor": "1.05", "posts": ["chief"], "round_to": 1}]))
    reformed = reform.apply(_kunming_2024())
    table = _component(reformed, "performance").table  # type: ignore[attr-defined]
    # chief grade 7: 800 + 320 × (7 − 1) = 2720; × 1.05 = 2856; deputy grade 7 unchanged
    assert table["chief"][7] == Decimal(2856)
    assert table["deputy"][7] == Decimal(2720)
    # grade 3 chief: 1440 × 1.05 = 1512
    assert table["chief"][3] == Decimal(1512)
    assert _component(reformed, "base_pay").amounts["chief"] == Decimal(3150)  # type: ignore[attr-defined]


def test_a_reformed_slip_pays_the_new_figures_and_records_the_reform() -> None:
    from paycalc import load_worker, payslip

    worker = load_worker(EXAMPLES / "workers" / KUNMING / "zhengzhi.json")
    reform = parse_reform(_reform(scale=[{"factor": "1.03", "components": ["base_pay"]}]))
    registry = reformed_registry(default_registry(), reform)
    before = payslip(worker, Month(2026, 1))
    after = payslip(worker, Month(2026, 1), schemes=registry)
    line = {x.code: x.amount for x in after.lines}
    old = {x.code: x.amount for x in before.lines}
    # a chief's 岗位基本报酬 3000 → 3000 × 1.03 = 3090; 绩效奖励 not scaled
    assert (old["base_pay"], line["base_pay"]) == (Decimal("3000.00"), Decimal("3090.00"))
    assert old["performance"] == line["performance"]
    assert after.scheme.version == "2024-01+r"
    assert after.scheme.sha256 != before.scheme.sha256


def test_the_hash_is_of_the_base_hash_and_the_reform_text() -> None:
    path = EXAMPLES / "reforms" / "kunming-raise-3.toml"
    reform = load_reform(path)
    base = _kunming_2024()
    text_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    expected = hashlib.sha256(f"{base.sha256}\n{text_hash}".encode()).hexdigest()  # type: ignore[attr-defined]
    assert reform.apply(base).sha256 == expected  # type: ignore[arg-type]


def test_an_official_version_becomes_illustrative() -> None:
    official = default_registry().find("jiaocheng.community-worker", "2020-01")
    assert official.status == "official"
    reform = parse_reform(
        {"reform": {"id": "x", "title": "t", "scheme": "jiaocheng.community-worker",
                    "effective_from": "2026-01"}, "scale": [{"factor": "1.1"}]}
    )  # fmt: skip
    assert reform.apply(official).status == "illustrative"


def test_the_registry_pays_the_base_before_the_month_and_the_reform_from_it() -> None:
    registry = reformed_registry(default_registry(), parse_reform(_reform(scale=[{"factor": "1.03"}])))
    assert registry.version_for(KUNMING, Month(2025, 12)).version == "2024-01"
    assert registry.version_for(KUNMING, Month(2026, 1)).version == "2024-01+r"
    assert registry.version_for(KUNMING, Month(2019, 6)).version == "2019-01"


def test_set_a_cap_limit_and_add_and_remove_components() -> None:
    reform = parse_reform(
        _reform(
            set=[{"path": "caps.monthly_cap.limit", "value": 8000},
                 {"path": "components.base_pay.amounts.member", "value": 2500}],
            add_component=[{"after": "base_pay", "code": "living", "label": "生活补贴",
                            "kind": "by_post", "amounts": {"member": 100}, "default": 0}],
        )
    )  # fmt: skip
    reformed = reform.apply(_kunming_2024())
    assert reformed.spec.caps[0].limit == 8000
    assert [c.code for c in reformed.spec.components] == ["base_pay", "living", "performance"]
    assert _component(reformed, "base_pay").amounts["member"] == 2500  # type: ignore[attr-defined]
    removed = parse_reform(_reform(remove_components=["living"]))
    with pytest.raises(SchemeError) as caught:
        removed.apply(_kunming_2024())
    assert [(p.location, p.message) for p in caught.value.problems] == [
        ("remove_components[0]", "no component 'living' (components: base_pay, performance)")
    ]


@pytest.mark.parametrize(
    ("parts", "location", "fragment"),
    [
        ({"set": [{"path": "caps.monthly_cap.limt", "value": 1}]}, "set[0]",
         "caps.monthly_cap.limt: unknown key"),
        ({"set": [{"path": "caps.nocap.limit", "value": 1}]}, "set[0].path", "no cap 'nocap'"),
        ({"set": [{"path": "components.base_pay.amounts.chief", "value": -5}]}, "set[0]",
         "components.base_pay.amounts.chief: must not be negative"),
        ({"scale": [{"factor": "1.1", "components": ["nothing"]}]}, "scale[0].components[0]",
         "no component 'nothing'"),
        ({"scale": [{"factor": "1.1", "posts": ["boss"]}]}, "scale[0].posts[0]", "no post 'boss'"),
        ({"remove_components": ["performance"]}, "applied to kunming.community-worker 2024-01",
         "caps.monthly_cap.reduce: 'performance' is not an earning component"),
    ],
)  # fmt: skip
def test_every_problem_is_located(parts: dict[str, object], location: str, fragment: str) -> None:
    with pytest.raises(SchemeError) as caught:
        parse_reform(_reform(**parts)).apply(_kunming_2024())
    assert any(p.location == location and fragment in p.message for p in caught.value.problems), [
        str(p) for p in caught.value.problems
    ]


def test_the_file_itself_is_checked_with_key_paths(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        '[reform]\nid = "a b"\ntitle = "t"\nscheme = "x"\neffective_from = "2026-13"\n'
        "[[scale]]\nfactor = 0\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemeError) as caught:
        load_reform(path)
    locations = sorted(p.location for p in caught.value.problems)
    assert locations == ["reform.effective_from", "reform.id", "scale[0].factor"]


def test_cli_diff_shows_a_reform(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["diff", "--reform", str(EXAMPLES / "reforms" / "kunming-cap-8000.toml")])
    out = capsys.readouterr().out
    assert code == 0
    assert "封顶 monthly_cap 上限 7540 → 8000" in out
    assert "岗位基本报酬 正职 3000 → 3090" in out


def test_cli_impact_with_a_reform(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["impact", "--reform", str(EXAMPLES / "reforms" / "kunming-raise-3.toml"), "--roster",
         str(EXAMPLES / "rosters" / "kunming-close.csv"), "--month", "2026-01"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    # the explained engine's total over the four workers (hand sums in
    # tests/forecast/test_scenarios.py)
    assert "cost change: 363.60 a month" in out
