"""The published contracts: JSON Schema (2020-12) of every file and document paycalc reads or
writes, generated from the models that parse them.

``paycalc schema NAME`` prints one; docs/contracts.md says what each promises and how it may
change. The schemas and the parsers agree (tests/contracts check both ways with
hypothesis-jsonschema); where JSON Schema cannot say what a parser does, docs/contracts.md
names the gap.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, Final

__all__ = ["CONTRACT_NAMES", "inline_refs", "json_schema"]

JsonSchema = dict[str, Any]

_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"


def _worker() -> JsonSchema:
    from paycalc.worker import Worker

    return Worker.model_json_schema()


_BUILDERS: Final[dict[str, Callable[[], JsonSchema]]] = {
    "worker": _worker,
}

#: The contracts ``paycalc schema`` knows, in the order it lists them.
CONTRACT_NAMES: Final = tuple(_BUILDERS)


def json_schema(name: str) -> JsonSchema:
    """The JSON Schema of contract ``name`` (one of :data:`CONTRACT_NAMES`)."""
    try:
        build = _BUILDERS[name]
    except KeyError:
        raise ValueError(
            f"no contract {name!r}; expected one of {', '.join(CONTRACT_NAMES)}"
        ) from None
    return {"$schema": _DIALECT, **build()}


def inline_refs(schema: JsonSchema) -> JsonSchema:
    """The schema with every local ``$ref`` replaced by its definition, and no ``$defs``.

    For embedding in a larger document (an OpenAPI description), where ``#/$defs/...`` would
    point at the wrong root. The contracts have no recursive definitions.
    """
    definitions = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#/$defs/"):
                target = resolve(copy.deepcopy(definitions[reference.removeprefix("#/$defs/")]))
                rest = {k: resolve(v) for k, v in node.items() if k != "$ref"}
                return {**target, **rest}
            return {k: resolve(v) for k, v in node.items() if k not in ("$defs", "$schema")}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    inlined: JsonSchema = resolve(schema)
    return inlined
