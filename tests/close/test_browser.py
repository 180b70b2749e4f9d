"""The printable slips in a real headless Chromium: text, pages, a non-blank screenshot, PDF.

Skipped only when no Chromium is installed (CI installs Debian's; see .ci/run).
"""

from __future__ import annotations

import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from paycalc.close import close_month, write_slips
from paycalc.close.pdf import find_chromium, html_to_pdf
from paycalc.scheme import default_registry
from tests.conftest import EXAMPLES

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium)")
ROSTER = EXAMPLES / "rosters" / "kunming-close.csv"
#: the slip shows the first 16 hex digits of the scheme file's hash
_KUNMING_2024_HASH = (
    default_registry().find("kunming.community-worker", "2024-01").sha256[:16]
)


def _chromium(*args: str, profile: Path) -> str:
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout


def _png_pixels(path: Path) -> tuple[int, int, bytes, int]:
    """Width, height, unfiltered RGB(A) bytes and bytes per pixel of an 8-bit PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat = 8, b""
    width = height = channels = 0
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8
            channels = {2: 3, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    out = bytearray()
    previous = bytearray(stride)
    position = 0
    for _ in range(height):
        kind, line = raw[position], bytearray(raw[position + 1 : position + 1 + stride])
        position += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[i] = (line[i] + pred) & 255
        out += line
        previous = line
    return width, height, bytes(out), channels


@pytest.fixture(scope="module")
def slips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("slips")
    register = close_month(ROSTER, "2024-03").register
    write_slips(register, directory, paper="A4", unit="拓东街道办事处")
    return directory


def test_slip_text_in_the_rendered_page(slips: Path, tmp_path: Path) -> None:
    dom = _chromium("--dump-dom", (slips / "KM-0002.html").as_uri(), profile=tmp_path)
    text = re.sub(r"<[^>]+>", " ", dom)
    for expected in ("工资条", "2024年3月", "张国强", "5,403.52", "伍仟肆佰零叁元伍角贰分",
                     "530***********1233", "**** 4567", "个人所得税", "12.48",
                     "kunming.community-worker", _KUNMING_2024_HASH):  # fmt: skip
        assert expected in text
    assert "530102198003151233" not in dom  # the ID number is masked on the slip
    assert "6222024100001234567" not in dom


def test_screenshot_is_not_blank(slips: Path, tmp_path: Path) -> None:
    shot = tmp_path / "slip.png"
    _chromium(f"--screenshot={shot}", "--window-size=900,1300",
              (slips / "KM-0002.html").as_uri(), profile=tmp_path / "p")  # fmt: skip
    width, height, pixels, channels = _png_pixels(shot)
    assert (width, height) == (900, 1300)
    dark = sum(
        1 for i in range(0, len(pixels), channels * 7) if sum(pixels[i : i + 3]) < 200
    )
    # Text and table rules: a blank or failed page has (almost) no dark pixels.
    assert dark > 2000


def test_combined_file_prints_one_page_per_slip(slips: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "all.pdf"
    html_to_pdf(slips / "all-slips.html", pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages == 4  # four workers, a page break after each slip
