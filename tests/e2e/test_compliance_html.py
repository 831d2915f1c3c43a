"""The HTML compliance report, rendered in headless Chromium: a real screenshot, not blank.

Skipped (with the reason) only when Chromium is not installed (`apt-get install chromium`).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from dataclasses import replace
from datetime import date, timedelta
from html import escape
from pathlib import Path

import pytest

from domain.compliance import SUPPRESSED
from domain.compliance_html import as_html
from services.compliance import build_report
from services.staff_status import StaffRules
from storage.staff_facts import StaffFacts

AS_OF = date(2026, 11, 23)
CHROMIUM = next(
    (
        p
        for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
        if p and Path(p).exists()
    ),
    None,
)


def _people() -> list[StaffFacts]:
    base = StaffFacts(
        id=0,
        employee_id="E0",
        name="Someone",
        department="",
        manager_id=1,
        manager_name="A Manager",
        start_date=date(2015, 1, 5),
        left_on=None,
        working_pattern="",
        active_reports=0,
        last_one_to_one=AS_OF - timedelta(days=5),
        last_apr=date(2026, 5, 1),
        live_objectives=1,
    )
    people = []
    for i, (department, size, overdue) in enumerate(
        [("Adult Social Care", 12, 4), ("Libraries", 9, 1), ("Waste", 14, 8), ("Archives", 3, 0)]
    ):
        for j in range(size):
            late = j < overdue
            people.append(
                replace(
                    base,
                    id=i * 100 + j,
                    department=department,
                    last_one_to_one=AS_OF - timedelta(days=60 if late else 5),
                    last_apr=None if late else base.last_apr,
                    live_objectives=0 if j == 0 else 1,
                )
            )
    return people


def png_pixels(data: bytes) -> tuple[int, int, set[bytes]]:
    """Width, height and the distinct colours of an 8-bit RGB(A) PNG (a tiny decoder)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    colours: set[bytes] = set()
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        if row % 8 == 0:  # sample rows: plenty to tell a chart from a blank page
            colours.update(bytes(line[i : i + 3]) for i in range(0, stride, channels * 4))
        previous = line
    return width, height, colours


def test_the_html_report_is_self_contained_and_accessible() -> None:
    page = as_html(build_report(_people(), StaffRules(), AS_OF))
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "https://" not in page
    assert page.count('role="img"') == 4 and "<title id=" in page and "<table>" in page
    assert escape(SUPPRESSED) in page  # Archives, 3 people
    assert "Archives" in page


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_chromium_renders_the_charts(tmp_path: Path) -> None:
    """Renders the page and checks the screenshot; CHARTER_SCREENSHOT=path keeps a copy."""
    html = tmp_path / "compliance.html"
    html.write_text(as_html(build_report(_people(), StaffRules(), AS_OF)), encoding="utf-8")
    shot = tmp_path / "compliance.png"
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            f"file://{html}",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = shot.read_bytes()
    assert len(data) > 20_000
    width, height, colours = png_pixels(data)
    assert (width, height) == (1200, 1600)
    # Text, the grey tracks and the three bar colours: far more than a blank page's one.
    assert len(colours) > 20
    assert bytes.fromhex("1d7a46") in colours or bytes.fromhex("b3261e") in colours
    keep = os.environ.get("CHARTER_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)
