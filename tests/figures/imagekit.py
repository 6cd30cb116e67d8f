"""Tiny figure files made in memory, so no test depends on a binary fixture."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400" viewBox="0 0 640 400">'
    '<rect x="10" y="10" width="620" height="380" fill="none" stroke="black"/>'
    '<text x="40" y="60" font-family="sans-serif">Effleurage</text></svg>'
)


def raster(fmt: str = "PNG", size: tuple[int, int] = (32, 20), colour: str = "teal") -> bytes:
    """A small image in ``fmt`` (PNG, JPEG or WEBP)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


def svg(inner: str = "", attrs: str = 'width="640" height="400" viewBox="0 0 640 400"') -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" {attrs}>{inner}</svg>'.encode()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int) -> bytes:
    """A few bytes of valid PNG whose header claims ``width`` x ``height`` pixels: opening it
    for real would take width x height x 3 bytes of memory."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )
