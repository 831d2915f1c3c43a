"""Regenerate the Teams app icons (color.png and outline.png) without Pillow.

Run from the repository root::

    .venv/bin/python manifest/make_icons.py

Teams rules for the two icons:

* ``color.png``: 192x192, full colour. Here a calm teal rounded square with a white
  speech bubble carrying a teal tick ("conversation logged").
* ``outline.png``: 32x32, white on a transparent background. Every pixel is
  (255, 255, 255, alpha); the tick is cut out of the bubble so it shows through.

Shapes are described in unit coordinates (0..1 across the icon) and rasterised with
SxS supersampling for anti-aliasing. The PNG writer uses zlib and struct only, writes
8-bit RGBA with filter type 0 on every row and no ancillary chunks, so the output is
byte-for-byte reproducible.
"""

from __future__ import annotations

import itertools
import math
import struct
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

TEAL = (0x0F, 0x6E, 0x75)  # matches accentColor in manifest.json
WHITE = (0xFF, 0xFF, 0xFF)

Shape = Callable[[float, float], bool]
Pixel = tuple[int, int, int, int]


# --------------------------------------------------------------------------- PNG writer


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def encode_png(width: int, height: int, pixels: list[Pixel]) -> bytes:
    """Encode row-major RGBA pixels as an 8-bit RGBA PNG (filter 0 on every row)."""
    if len(pixels) != width * height:
        raise ValueError(f"expected {width * height} pixels, got {len(pixels)}")
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter type 0 (None)
        for r, g, b, a in pixels[y * width : (y + 1) * width]:
            raw += bytes((r, g, b, a))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit, RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + _chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------- geometry


def rounded_rect(x0: float, y0: float, x1: float, y1: float, r: float) -> Shape:
    def inside(x: float, y: float) -> bool:
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            return False
        cx = min(max(x, x0 + r), x1 - r)
        cy = min(max(y, y0 + r), y1 - r)
        return (x - cx) ** 2 + (y - cy) ** 2 <= r * r

    return inside


def triangle(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> Shape:
    def edge(p: tuple[float, float], q: tuple[float, float], x: float, y: float) -> float:
        return (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])

    def inside(x: float, y: float) -> bool:
        d1, d2, d3 = edge(a, b, x, y), edge(b, c, x, y), edge(c, a, x, y)
        has_neg = d1 < 0 or d2 < 0 or d3 < 0
        has_pos = d1 > 0 or d2 > 0 or d3 > 0
        return not (has_neg and has_pos)

    return inside


def polyline(points: list[tuple[float, float]], width: float) -> Shape:
    """A stroked polyline with round caps and joins."""
    half_sq = (width / 2) ** 2
    segments = list(itertools.pairwise(points))

    def dist_sq(p: tuple[float, float], q: tuple[float, float], x: float, y: float) -> float:
        dx, dy = q[0] - p[0], q[1] - p[1]
        t = ((x - p[0]) * dx + (y - p[1]) * dy) / (dx * dx + dy * dy)
        t = min(1.0, max(0.0, t))
        ex, ey = p[0] + t * dx - x, p[1] + t * dy - y
        return ex * ex + ey * ey

    def inside(x: float, y: float) -> bool:
        return any(dist_sq(p, q, x, y) <= half_sq for p, q in segments)

    return inside


def union(*shapes: Shape) -> Shape:
    return lambda x, y: any(s(x, y) for s in shapes)


@dataclass(frozen=True)
class Glyph:
    """A speech bubble with a tick, placed in the box (x0, y0)-(x1, y1) in unit coords."""

    x0: float
    y0: float
    x1: float
    y1: float
    tick_width: float

    def _map(self, u: float, v: float) -> tuple[float, float]:
        return self.x0 + u * (self.x1 - self.x0), self.y0 + v * (self.y1 - self.y0)

    def bubble(self) -> Shape:
        # Body: rounded rectangle over the top 78% of the box; tail at the bottom left.
        bx0, by0 = self._map(0.0, 0.0)
        bx1, by1 = self._map(1.0, 0.78)
        radius = 0.22 * (by1 - by0)
        body = rounded_rect(bx0, by0, bx1, by1, radius)
        tail = triangle(self._map(0.18, 0.70), self._map(0.46, 0.70), self._map(0.14, 1.0))
        return union(body, tail)

    def tick(self) -> Shape:
        pts = [self._map(0.29, 0.41), self._map(0.44, 0.56), self._map(0.71, 0.22)]
        return polyline(pts, self.tick_width)


# --------------------------------------------------------------------------- raster


def coverage(shape: Shape, size: int, samples: int) -> list[float]:
    """Fraction of each pixel covered by ``shape`` (row-major), via samples x samples grid."""
    out: list[float] = []
    step = 1.0 / (size * samples)
    offsets = [(i + 0.5) * step for i in range(samples)]
    total = samples * samples
    for py in range(size):
        for px in range(size):
            x0, y0 = px / size, py / size
            hits = sum(1 for oy in offsets for ox in offsets if shape(x0 + ox, y0 + oy))
            out.append(hits / total)
    return out


def _blend(under: tuple[int, int, int], over: tuple[int, int, int], t: float) -> tuple:
    return tuple(round(u + (o - u) * t) for u, o in zip(under, over, strict=True))


def color_icon(size: int = 192, samples: int = 4) -> list[Pixel]:
    background = rounded_rect(0.0, 0.0, 1.0, 1.0, 0.22)
    glyph = Glyph(0.22, 0.25, 0.78, 0.80, tick_width=0.075)
    bg = coverage(background, size, samples)
    bubble = coverage(glyph.bubble(), size, samples)
    tick = coverage(glyph.tick(), size, samples)
    pixels: list[Pixel] = []
    for a_bg, a_bubble, a_tick in zip(bg, bubble, tick, strict=True):
        white = a_bubble * (1.0 - a_tick)
        r, g, b = _blend(TEAL, WHITE, white)
        pixels.append((r, g, b, round(255 * a_bg)))
    return pixels


def outline_icon(size: int = 32, samples: int = 8) -> list[Pixel]:
    glyph = Glyph(0.06, 0.10, 0.94, 0.94, tick_width=0.12)
    bubble = coverage(glyph.bubble(), size, samples)
    tick = coverage(glyph.tick(), size, samples)
    pixels: list[Pixel] = []
    for a_bubble, a_tick in zip(bubble, tick, strict=True):
        alpha = max(0.0, a_bubble - a_tick)
        pixels.append((255, 255, 255, round(255 * alpha)))
    return pixels


def main(out_dir: Path = HERE) -> int:
    for name, size, pixels in (
        ("color.png", 192, color_icon()),
        ("outline.png", 32, outline_icon()),
    ):
        path = out_dir / name
        path.write_bytes(encode_png(size, size, pixels))
        side = int(math.sqrt(len(pixels)))
        print(f"wrote {path} ({side}x{side})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
