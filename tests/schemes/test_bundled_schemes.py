"""The bundled scheme files: they validate, cite their sources, are listed, and are found by date."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest

import paycalc
from paycalc.cli import main
from paycalc.errors import SchemeNotFound
from paycalc.period import Month
from paycalc.scheme import SchemeRegistry, check_scheme_file, load_schemes
from paycalc.worker import load_worker
from tests.conftest import EXAMPLES, SCHEMES

#: The five bundled families of issue 3, and the versions each must have.
FAMILIES = {
    "jiaocheng.community-worker": ["2010-01", "2020-01", "2022-draft"],
    "kunming.community-worker": ["2019-01", "2024-01"],
    "kunming.village-cadre": ["2019-01"],
    "guandu.social-work-award": ["2011-01"],
    "generic.three-posts-eighteen-grades": ["2020-01"],
}
#: The source documents (docs/sources.md).
SEEDS = {
    "000_73a9ccdeb8283676.txt",
    "001_d7907324274c1aa1.txt",
    "002_47767154af175321.txt",
    "003_4f95b351937f0bbd.txt",
    "004_2761877e51d603c5.txt",
}
#: Families that no seed document describes; their [scheme.source] says where they come from.
NO_SEED = {"generic.three-posts-eighteen-grades", "demo.community-worker"}

SCHEME_FILES = sorted(SCHEMES.rglob("*.toml"))


@pytest.fixture(scope="module")
def registry() -> SchemeRegistry:
    return load_schemes(SCHEMES)


@pytest.mark.parametrize("path", SCHEME_FILES, ids=lambda p: str(p.relative_to(SCHEMES)))
def test_bundled_file_validates(path) -> None:  # type: ignore[no-untyped-def]
    version, problems = check_scheme_file(path)
    assert problems == []
    assert version is not None
    place, family, _ = path.relative_to(SCHEMES).parts
    assert version.family == f"{place}.{family}", "schemes/<place>/<family>/<version>.toml"
    assert path.stem == version.version


def test_validate_command_passes_on_the_whole_folder(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["validate", str(SCHEMES)]) == 0
    assert "ok:" in capsys.readouterr().out


def test_example_workers_validate_against_the_bundle(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["validate", str(SCHEMES), str(EXAMPLES / "workers")]) == 0


def test_schemes_command_lists_every_family_and_version(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["schemes", "--schemes", str(SCHEMES)]) == 0
    out = capsys.readouterr().out
    for family, versions in FAMILIES.items():
        assert re.search(rf"^{re.escape(family)}$", out, re.MULTILINE), family
        for version in versions:
            assert re.search(rf"^  {re.escape(version)}\s", out, re.MULTILINE), (family, version)


def test_schemes_json_listing_has_status(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["schemes", "--format", "json", "--schemes", str(SCHEMES)]) == 0
    listing = {(v["id"], v["version"]): v["status"] for v in json.loads(capsys.readouterr().out)}
    assert listing[("jiaocheng.community-worker", "2010-01")] == "official"
    assert listing[("jiaocheng.community-worker", "2020-01")] == "official"
    # A proposal awaiting a decision (001: "报区委研究决定"), with invented amounts.
    assert listing[("jiaocheng.community-worker", "2022-draft")] == "draft"
    for family in FAMILIES.keys() - {"jiaocheng.community-worker"}:
        assert all(status == "illustrative" for (f, _), status in listing.items() if f == family)


def test_bundled_families_are_the_ones_of_issue_3(registry: SchemeRegistry) -> None:
    for family, versions in FAMILIES.items():
        assert [v.version for v in registry.versions(family)] == versions


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_version_cites_its_source(registry: SchemeRegistry, family: str) -> None:
    for version in registry.versions(family):
        header = version.spec.scheme
        source = header.source
        assert source.title and source.issuer, version
        if family in NO_SEED:
            assert source.seed == ""
            assert "no seed" in source.issuer + header.note + source.title.lower() or (
                "docs/sources.md" in source.title
            )
            continue
        assert source.date is not None, version
        seeds = {name.strip() for name in source.seed.split(",")}
        assert seeds and seeds <= SEEDS, f"{version}: unknown seed file in {source.seed!r}"


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_status_is_honest(registry: SchemeRegistry, family: str) -> None:
    """Official files hold official figures only; in illustrative files every invented value
    carries a note, and official figures inside them are marked official."""
    for version in registry.versions(family):
        spec = version.spec
        assert spec.scheme.note.strip(), f"{version}: explain the dates chosen"
        for component in spec.components:
            if spec.scheme.status == "official":
                assert component.status == "official", (version, component.code)
                assert component.note, (version, component.code)
            else:
                assert component.status != "official", (version, component.code)
                assert "ILLUSTRATIVE" in component.note, (version, component.code)


def test_kunming_cap_is_the_official_7540(registry: SchemeRegistry) -> None:
    # 002_47767154af175321.txt: "社区专职工作者的薪酬待遇最高上涨至每月7540元(含五险)"
    (cap,) = registry.versions("kunming.community-worker")[0].spec.caps
    assert cap.limit == 7540
    assert cap.status == "official"


def test_every_post_has_an_example_worker(registry: SchemeRegistry) -> None:
    """Each post of each version of each family is held by at least one example worker."""
    posts_seen: dict[str, set[str]] = {}
    for path in (EXAMPLES / "workers").glob("*.*/*.json"):
        worker = load_worker(path)
        assert worker.scheme == path.parent.name, path
        for version in registry.versions(worker.scheme):
            code = version.post_code(worker.post)
            if code is not None:
                posts_seen.setdefault(worker.scheme, set()).add(code)
    for family in FAMILIES:
        posts = {code for version in registry.versions(family) for code in version.spec.posts}
        missing = posts - posts_seen.get(family, set())
        assert not missing, f"{family}: no example worker for post {sorted(missing)}"


# --- versions found by date ------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "month", "expected"),
    [
        # 001: 600/500 "2011年以前"; 2600/2000 "至2020年"; the draft (试行稿) after the 2021 reply.
        ("jiaocheng.community-worker", "2010-06", "2010-01"),
        ("jiaocheng.community-worker", "2010-12", "2010-01"),
        ("jiaocheng.community-worker", "2020-01", "2020-01"),
        ("jiaocheng.community-worker", "2020-06", "2020-01"),
        ("jiaocheng.community-worker", "2021-12", "2020-01"),
        # the draft is not in force: 2022 and later stay on the official 2020 standard
        ("jiaocheng.community-worker", "2022-01", "2020-01"),
        ("jiaocheng.community-worker", "2026-11", "2020-01"),
        ("kunming.community-worker", "2019-01", "2019-01"),
        ("kunming.community-worker", "2023-06", "2019-01"),
        ("kunming.community-worker", "2024-06", "2024-01"),
        ("kunming.village-cadre", "2024-06", "2019-01"),
        ("guandu.social-work-award", "2011-01", "2011-01"),
        ("guandu.social-work-award", "2015-12", "2011-01"),
        ("generic.three-posts-eighteen-grades", "2025-06", "2020-01"),
    ],
)
def test_version_found_by_date(
    registry: SchemeRegistry, family: str, month: str, expected: str
) -> None:
    assert registry.version_for(family, Month.parse(month)).version == expected


@pytest.mark.parametrize("month", ["2011-01", "2015-06", "2019-12"])
def test_jiaocheng_2011_to_2019_is_a_named_gap(registry: SchemeRegistry, month: str) -> None:
    # 001: "2011年以后,我区逐步增加..." — no figures for 2011–2019, so no version applies.
    with pytest.raises(
        SchemeNotFound, match=r"2010-01 ended on 2010-12-31; the next takes effect on 2020-01-01"
    ):
        registry.version_for("jiaocheng.community-worker", Month.parse(month))


@pytest.mark.parametrize(
    ("family", "month"),
    [
        ("jiaocheng.community-worker", "2009-12"),  # before any figure the document states
        ("kunming.community-worker", "2018-12"),
        ("kunming.village-cadre", "2018-12"),
        ("guandu.social-work-award", "2010-12"),
    ],
)
def test_no_version_before_the_first(registry: SchemeRegistry, family: str, month: str) -> None:
    with pytest.raises(SchemeNotFound):
        registry.version_for(family, Month.parse(month))


def test_draft_not_known_before_the_reply_that_describes_it(registry: SchemeRegistry) -> None:
    # The draft is described in the reply of 2021-07-05 (001); asked as of 2021-07-04, a
    # 2022 month is paid under the official 2020 standard.
    june_2022 = Month.parse("2022-06")
    family = "jiaocheng.community-worker"
    drafts = registry.with_drafts()
    assert drafts.version_for(family, june_2022, as_of=date(2021, 7, 4)).version == "2020-01"
    assert drafts.version_for(family, june_2022, as_of=date(2021, 7, 5)).version == "2022-draft"
    # without opting in, the draft is never in force, whatever the date
    assert registry.version_for(family, june_2022, as_of=date(2021, 7, 5)).version == "2020-01"


def test_a_draft_is_used_when_named_or_opted_in_and_the_slip_says_so(
    registry: SchemeRegistry,
) -> None:
    family = "jiaocheng.community-worker"
    june_2024 = Month.parse("2024-06")
    assert registry.version_for(family, june_2024).version == "2020-01"
    assert registry.version_for(f"{family}@2022-draft", june_2024).version == "2022-draft"
    assert registry.version_for(family, june_2024, include_drafts=True).version == "2022-draft"
    # named, but before the draft's own start date: no silent fallback to another version
    with pytest.raises(SchemeNotFound, match="2022-draft takes effect on 2022-01-01"):
        registry.version_for(f"{family}@2022-draft", Month.parse("2021-06"))
    principal = {"id": "P", "post": "社区主干", "hired_on": "2015-03-01", "scheme": family}
    official = paycalc.payslip(principal, "2024-06", schemes=registry)
    # 001: 至2020年 社区主干 每人每月2600元 — the draft's 3,600 example never appears by default
    assert official.gross == Decimal("2600.00") and official.scheme.status == "official"
    drafted = paycalc.payslip(principal, "2024-06", schemes=registry, include_drafts=True)
    assert drafted.scheme.version == "2022-draft" and drafted.scheme.status == "draft"
    assert drafted.warnings[0].startswith("草案")
