"""Write assets/favicon.ico: a map pin in the atlas's accent colour, 32 x 32 pixels.

Dash serves ``assets/favicon.ico`` in place of its own 15 KB icon. The pin is drawn
here (4 x 4 samples a pixel for smooth edges) and stored as a PNG inside the ICO
file, so it takes a few hundred bytes. Python's standard library only:

    python scripts/make_favicon.py
"""
from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "favicon.ico"
SIZE, SAMPLES = 32, 4
ACCENT = (0x0B, 0x5C, 0xAD)  # --accent in assets/atlas.css
CX, CY, R, TIP, DOT = 16.0, 12.5, 10.5, 31.0, 4.0  # pin head centre and radius, tip's y, the hole's radius


def colour(x: float, y: float) -> tuple[int, int, int, int]:
    """The pin at point (x, y): accent inside, white in its round hole, clear outside."""
    d = math.hypot(x - CX, y - CY)
    if d <= DOT:
        return (255, 255, 255, 255)
    # the cone from the tip to the points where its sides touch the head
    to_tip = TIP - CY
    y_touch = CY + R * R / to_tip
    half = R * math.sqrt(1 - (R / to_tip) ** 2) * (TIP - y) / (TIP - y_touch)
    if d <= R or (y_touch <= y <= TIP and abs(x - CX) <= half):
        return (*ACCENT, 255)
    return (0, 0, 0, 0)


def pixel(px: int, py: int) -> bytes:
    points = [colour(px + (i + .5) / SAMPLES, py + (j + .5) / SAMPLES)
              for i in range(SAMPLES) for j in range(SAMPLES)]
    alpha = sum(p[3] for p in points)
    if alpha == 0:
        return bytes(4)
    rgb = [round(sum(p[c] * p[3] for p in points) / alpha) for c in range(3)]
    return bytes(rgb + [round(alpha / len(points))])


def png() -> bytes:
    rows = b"".join(b"\0" + b"".join(pixel(x, y) for x in range(SIZE)) for y in range(SIZE))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))


def ico(image: bytes) -> bytes:
    """One PNG image in an ICO container (read by every current browser)."""
    return (struct.pack("<HHH", 0, 1, 1)
            + struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(image), 6 + 16) + image)


if __name__ == "__main__":
    OUT.write_bytes(ico(png()))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
