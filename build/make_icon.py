"""Draw the icon of setup.exe and write `assets/setup.ico` (standard library only).

The picture: a white arrow going down into a tray on a blue rounded square, the usual sign for "install".
Each size is drawn at its own resolution (4x4 samples a pixel for smooth edges) and stored as a PNG entry of
the ICO file, which Windows reads from Vista on.

    python build/make_icon.py            # rewrites assets/setup.ico
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)
SAMPLES = 4
TOP = (0x1B, 0x6F, 0xC7)
BOTTOM = (0x0B, 0x44, 0x8C)
WHITE = (0xFF, 0xFF, 0xFF)
OUT = Path(__file__).resolve().parent.parent / "assets" / "setup.ico"


def _in_rounded_square(x: float, y: float, lo: float = 0.04, hi: float = 0.96, radius: float = 0.2) -> bool:
    if not (lo <= x <= hi and lo <= y <= hi):
        return False
    # Distance to the inner rectangle whose corners the radius rounds off.
    cx = min(max(x, lo + radius), hi - radius)
    cy = min(max(y, lo + radius), hi - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius


def _in_symbol(x: float, y: float) -> bool:
    shaft = 0.43 <= x <= 0.57 and 0.16 <= y <= 0.48
    # Arrow head: a triangle pointing down, base at y=0.40, tip at y=0.66.
    head = 0.40 <= y <= 0.66 and abs(x - 0.5) <= 0.21 * (0.66 - y) / 0.26
    tray_bottom = 0.22 <= x <= 0.78 and 0.72 <= y <= 0.81
    tray_sides = 0.58 <= y <= 0.81 and (0.22 <= x <= 0.32 or 0.68 <= x <= 0.78)
    return shaft or head or tray_bottom or tray_sides


def _pixel(px: int, py: int, size: int) -> tuple[int, int, int, int]:
    square = symbol = 0
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            x = (px + (sx + 0.5) / SAMPLES) / size
            y = (py + (sy + 0.5) / SAMPLES) / size
            if _in_rounded_square(x, y):
                square += 1
                if _in_symbol(x, y):
                    symbol += 1
    if not square:
        return (0, 0, 0, 0)
    shade = py / max(size - 1, 1)
    background = [round(t + (b - t) * shade) for t, b in zip(TOP, BOTTOM, strict=True)]
    white_share = symbol / square
    rgb = [round(bg + (w - bg) * white_share) for bg, w in zip(background, WHITE, strict=True)]
    alpha = round(255 * square / SAMPLES**2)
    return (rgb[0], rgb[1], rgb[2], alpha)


def _png(size: int) -> bytes:
    rows = bytearray()
    for py in range(size):
        rows.append(0)  # filter type "none" for every row
        for px in range(size):
            rows.extend(_pixel(px, py, size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8 bits, RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def build_ico(sizes: tuple[int, ...] = SIZES) -> bytes:
    images = [_png(size) for size in sizes]
    directory = struct.pack("<HHH", 0, 1, len(images))
    offset = len(directory) + 16 * len(images)
    entries = b""
    for size, image in zip(sizes, images, strict=True):
        # A width or height of 256 is written as 0.
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return directory + entries + b"".join(images)


def main() -> int:
    OUT.write_bytes(build_ico())
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, sizes {', '.join(map(str, SIZES))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
