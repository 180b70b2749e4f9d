"""The public namespace: what ``__all__`` promises resolves, and importing it stays cheap."""

from __future__ import annotations

import subprocess
import sys

import pytest

import paycalc


@pytest.mark.parametrize("name", paycalc.__all__)
def test_every_public_name_resolves(name: str) -> None:
    value = getattr(paycalc, name)
    if name != "__version__":
        # the lazy table and the real home agree (a typo there would hand out another object)
        home = getattr(value, "__module__", None)
        assert home is None or home.startswith("paycalc")


def test_the_lazy_table_is_the_public_namespace() -> None:
    eager = {name for name in vars(paycalc.errors) if name in paycalc.__all__}
    assert set(paycalc._LAZY) | eager | {"__version__"} == set(paycalc.__all__)
    assert not set(paycalc._LAZY) & eager


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'payslips'"):
        paycalc.payslips  # noqa: B018 - the lookup is the test


def test_import_paycalc_builds_no_models_and_imports_no_extras() -> None:
    # `import paycalc` must not pay for pydantic's model build, numpy or the readers: a name
    # loads its module when first used (checked by what is imported, never by a timer).
    code = "import sys, paycalc; print(' '.join(sorted(sys.modules)))"
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout.split())  # fmt: skip
    assert not loaded & {"pydantic", "numpy", "pyarrow", "paycalc.scheme.model", "paycalc.io"}


def test_paying_a_slip_does_not_import_the_roster_readers_or_forecasting() -> None:
    code = (
        "import sys, paycalc\n"
        "w = paycalc.load_worker('examples/workers/demo.community-worker/chief.json')\n"
        "print(paycalc.payslip(w, '2024-03').gross)\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    gross, modules = out.stdout.splitlines()
    assert gross == "5667.00"  # the package docstring's example, checked by its doctest too
    assert not set(modules.split()) & {
        "numpy",
        "paycalc.io.roster",
        "paycalc.forecasting",
        "paycalc.batch",
    }


def test_no_public_name_is_also_a_submodule() -> None:
    # Importing a submodule sets it as the package's attribute: a function named like its
    # module (paycalc.explain, once) would become the module after `import paycalc.explain`.
    import pkgutil

    submodules = {info.name for info in pkgutil.iter_modules(paycalc.__path__)}
    assert not set(paycalc.__all__) & submodules


def test_names_survive_importing_every_module() -> None:
    code = (
        "import importlib, pkgutil, paycalc\n"
        "for info in pkgutil.walk_packages(paycalc.__path__, 'paycalc.'):\n"
        "    if not info.name.startswith(('paycalc.server', 'paycalc.__main__')):\n"
        "        importlib.import_module(info.name)\n"
        "import types\n"
        "print(sorted(n for n in paycalc.__all__ if isinstance(getattr(paycalc, n), types.ModuleType)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
