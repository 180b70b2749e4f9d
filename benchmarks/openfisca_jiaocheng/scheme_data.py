"""The figures of the bundled Jiaocheng 2020 scheme file, read as data (no paycalc import).

The pyarrow/polars floor pays with these amounts, and every reader here maps post names
with these labels and aliases, so no figure is typed twice. (The OpenFisca model takes its
amounts from its own parameters; the tests check they agree with this file.)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

__all__ = ["JIAOCHENG_2020", "LEVEL_LABELS", "SchemeFigures", "read_figures"]

JIAOCHENG_2020 = (
    Path(__file__).resolve().parents[2] / "schemes/jiaocheng/community-worker/2020-01.toml"
)
#: certificate levels as the roster writes them, in rank order (code 1, 2, 3; 0 = none)
LEVEL_LABELS = ("初级", "中级", "高级")
_LEVEL_CODES = ("junior", "intermediate", "senior")


@dataclass(frozen=True)
class SchemeFigures:
    #: post name (code, label or alias) -> post index: 0 principal, 1 member
    post_index: dict[str, int]
    #: living subsidy in fen by post index
    living_fen: tuple[int, int]
    #: certificate subsidy in fen by level index (0 none, 1 junior, 2 intermediate, 3 senior)
    certificate_fen: tuple[int, int, int, int]


def _fen(amount: Decimal) -> int:
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"amount {amount} is not a whole number of fen")
    return int(fen)


def read_figures(path: Path = JIAOCHENG_2020) -> SchemeFigures:
    spec = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    order = ("principal", "member")
    if sorted(spec["posts"]) != sorted(order):
        raise ValueError(f"{path}: expected the posts {order}, found {sorted(spec['posts'])}")
    names: dict[str, int] = {}
    for index, code in enumerate(order):
        post = spec["posts"][code]
        for name in (code, post["label"], *post.get("aliases", ())):
            names[name] = index
    by_code = {component["code"]: component for component in spec["components"]}
    living = by_code["living_subsidy"]["amounts"]
    certificate = by_code["social_work_subsidy"]["amounts"]
    return SchemeFigures(
        post_index=names,
        living_fen=(_fen(Decimal(living["principal"])), _fen(Decimal(living["member"]))),
        certificate_fen=(0, *(_fen(Decimal(certificate[c])) for c in _LEVEL_CODES)),  # type: ignore[arg-type]
    )
