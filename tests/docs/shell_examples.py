"""Examples in the docs: each ``sh`` (or ``python``) block, with the ``text`` block after it
as output.

A doc shows code in a fenced block; when a fenced ``text`` block follows it (nothing but
blank lines between), that block is the code's exact standard output. A block whose fence
names a file (```` ```python hr_api.py ````) is a file of an example application, tested
on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ShellExample", "shell_examples"]

_FENCE = re.compile(r"^```(\w*)[ \t]*(\S*)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class ShellExample:
    doc: str
    line: int
    command: str
    output: str | None
    file: str = ""

    def __str__(self) -> str:
        return f"{self.doc}:{self.line}"


def shell_examples(path: Path, language: str = "sh") -> list[ShellExample]:
    text = path.read_text(encoding="utf-8")
    blocks = list(_FENCE.finditer(text))
    examples = []
    for index, block in enumerate(blocks):
        if block.group(1) != language:
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        output = None
        if (
            following is not None
            and following.group(1) == "text"
            and not text[block.end() : following.start()].strip()
        ):
            output = following.group(3)
        line = text.count("\n", 0, block.start()) + 1
        examples.append(ShellExample(path.name, line, block.group(3), output, block.group(2)))
    return examples
