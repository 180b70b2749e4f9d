"""Printing the HTML slips to PDF with headless Chromium (``--print-to-pdf``).

Why Chromium rather than a Python PDF library: the PDF is then exactly what the tests check
in the browser (the same layout engine, print CSS and fonts), CJK text needs no font
embedding work of ours, and nothing heavy joins ``pip install``. The "extra" is a system
package: ``apt-get install chromium fonts-wqy-microhei`` (or any Chromium/Chrome; set
``PAYCALC_CHROMIUM`` to its path). Without it, asking for PDF is a usage error before any
work is done.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Final

from paycalc.errors import PaycalcError, Problem, UsageError

__all__ = ["CHROMIUM_NAMES", "find_chromium", "html_to_pdf", "htmls_to_pdf"]

CHROMIUM_NAMES: Final = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_TIMEOUT_S: Final = 120


def find_chromium() -> str | None:
    """The Chromium to print with: ``PAYCALC_CHROMIUM``, else the first on PATH."""
    given = os.environ.get("PAYCALC_CHROMIUM")
    if given:
        return given if Path(given).exists() else shutil.which(given)
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def _require() -> str:
    chromium = find_chromium()
    if chromium is None:
        raise UsageError(
            "--slips-format",
            "PDF slips are printed with headless Chromium, which was not found: install it "
            "(apt-get install chromium fonts-wqy-microhei) or set PAYCALC_CHROMIUM",
        )
    return chromium


def html_to_pdf(html: Path, pdf: Path, *, chromium: str | None = None) -> None:
    """Print one HTML file to ``pdf`` (page size and margins from its print CSS)."""
    program = chromium or _require()
    with tempfile.TemporaryDirectory(prefix="paycalc-chromium-") as profile:
        command = [
            program,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, timeout=_TIMEOUT_S, check=False, text=True
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PaycalcError(
                f"printing {html} to PDF failed: {error}",
                [Problem(str(html), "", f"printing to PDF failed: {error}")],
            ) from None
    if done.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        reason = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
        raise PaycalcError(
            f"printing {html} to PDF failed: {reason[0]}",
            [Problem(str(html), "", f"printing to PDF failed (exit {done.returncode}): {reason[0]}")],
        )


def htmls_to_pdf(htmls: Sequence[Path], *, workers: int = 2) -> list[Path]:
    """Print each file to a PDF beside it (``x.html`` → ``x.pdf``), two at a time."""
    chromium = _require()
    targets = [html.with_suffix(".pdf") for html in htmls]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda pair: html_to_pdf(*pair, chromium=chromium), zip(htmls, targets, strict=True)))
    return targets
