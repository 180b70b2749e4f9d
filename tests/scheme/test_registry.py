from datetime import date

import pytest

from paycalc.errors import SchemeError, SchemeNotFound
from paycalc.period import Month
from paycalc.scheme import SchemeRegistry, bundled_schemes_dir, default_registry
from tests.helpers import HEADER, scheme

BY_POST = """
[[components]]
code = "post_pay"
label = "岗位工资"
kind = "by_post"
amounts = { chief = 2800, deputy = 2500, member = 2300 }
"""


def _version(name: str, effective: str, published: str):  # type: ignore[no-untyped-def]
    header = (
        HEADER.replace('version = "v1"', f'version = "{name}"')
        .replace("effective_from = 2020-01-01", f"effective_from = {effective}")
        .replace("published_on = 2019-12-01", f"published_on = {published}")
    )
    return scheme(BY_POST, header=header)


def test_the_version_in_force_is_the_latest_effective_on_the_first_day() -> None:
    registry = SchemeRegistry(
        [_version("a", "2020-01-01", "2019-12-01"), _version("b", "2024-07-01", "2024-06-15")]
    )
    assert registry.version_for("test.scheme", Month(2024, 6)).version == "a"
    assert registry.version_for("test.scheme", Month(2024, 7)).version == "b"


def test_as_of_hides_versions_published_later() -> None:
    # Version b is published in September but takes effect in July (retroactively).
    registry = SchemeRegistry(
        [_version("a", "2020-01-01", "2019-12-01"), _version("b", "2024-07-01", "2024-09-10")]
    )
    month = Month(2024, 8)
    assert registry.version_for("test.scheme", month).version == "b"
    assert registry.version_for("test.scheme", month, as_of=date(2024, 8, 31)).version == "a"
    assert registry.version_for("test.scheme", month, as_of=date(2024, 9, 10)).version == "b"


def test_a_month_before_the_first_version_is_an_error() -> None:
    registry = SchemeRegistry([_version("a", "2020-01-01", "2019-12-01")])
    with pytest.raises(SchemeNotFound, match="first takes effect on 2020-01-01"):
        registry.version_for("test.scheme", Month(2019, 12))
    with pytest.raises(SchemeNotFound, match="no scheme family 'nope'"):
        registry.version_for("nope", Month(2020, 1))


def test_two_versions_on_one_date_are_an_error_naming_both() -> None:
    with pytest.raises(SchemeError) as caught:
        SchemeRegistry(
            [_version("a", "2020-01-01", "2019-12-01"), _version("b", "2020-01-01", "2019-12-02")]
        )
    assert "same day as version 'a'" in str(caught.value)


def test_the_bundled_schemes_are_found_and_valid() -> None:
    assert bundled_schemes_dir().is_dir()
    assert "demo.community-worker" in default_registry().families
