"""What the CLI prints is safe to show: no control, bidi or invisible characters sent raw.

Names, ids, cells and messages come from input files. A carriage return, an escape sequence
(``\\x1b[2J``), a right-to-left override (U+202E) or a zero-width space in them could
rewrite what a clerk sees on the terminal, or hide it. Every such character (Unicode
categories Cc, Cf, Zl, Zp) is printed as its escape, ``\\u202e``, which also keeps JSON output
valid: inside a JSON string ``\\u202e`` means the same character.

* :func:`escape_line` escapes all of them, newlines included: for one value on one line.
* :class:`EscapingStream` wraps ``sys.stdout``/``sys.stderr`` for the whole command and
  escapes all but the newline (the CLI's own line breaks).
"""

from __future__ import annotations

import io
import re
from typing import Final, TextIO

__all__ = ["EscapingStream", "escape_line", "escape_text"]

# Unicode 14 categories Cc, Cf, Zl and Zp (a test checks this against unicodedata), and the
# Egyptian format controls that Unicode 15 added after U+13438.
_CONTROLS_BUT_NEWLINE: Final = "\x00-\x09\x0b-\x1f"
_OTHERS: Final = (
    "\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
_ANY: Final = re.compile(f"[\n{_CONTROLS_BUT_NEWLINE}{_OTHERS}]")
_BUT_NEWLINE: Final = re.compile(f"[{_CONTROLS_BUT_NEWLINE}{_OTHERS}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def escape_line(text: object) -> str:
    """``text`` with every control, bidi and invisible character escaped, newlines too."""
    return _ANY.sub(_escape, str(text))


def escape_text(text: str) -> str:
    """``text`` with every control, bidi and invisible character escaped but the newline."""
    return _BUT_NEWLINE.sub(_escape, text)


class EscapingStream(io.TextIOBase):
    """A text stream that escapes what it is given (:func:`escape_text`) and passes it on.

    ``raw`` is the stream underneath, for the progress bar's own carriage returns.
    """

    def __init__(self, raw: TextIO) -> None:
        super().__init__()
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(escape_text(text))
        return len(text)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.raw.encoding
