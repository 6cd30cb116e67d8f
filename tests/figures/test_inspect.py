"""What a figure is, by its bytes: the four types, their limits, and clean SVG."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from eduapp.figures import MAX_BYTES, FigureError, inspect
from tests.figures.imagekit import SVG, png_claiming, raster, svg


@pytest.mark.parametrize(
    ("fmt", "name", "media_type", "ext"),
    [
        ("PNG", "a.png", "image/png", "png"),
        ("JPEG", "a.jpg", "image/jpeg", "jpg"),
        ("JPEG", "a.jpeg", "image/jpeg", "jpg"),
        ("WEBP", "a.webp", "image/webp", "webp"),
    ],
)
def test_raster_types_by_content(fmt: str, name: str, media_type: str, ext: str) -> None:
    data = raster(fmt, (32, 20))
    info = inspect(data, filename=f"figures/{name}")
    assert (info.media_type, info.width, info.height, info.byte_size) == (
        media_type,
        32,
        20,
        len(data),
    )
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.url == f"/figures/{info.sha256}.{ext}"


def test_svg_size_from_width_and_height() -> None:
    info = inspect(SVG.encode(), filename="figures/e.svg")
    assert (info.media_type, info.width, info.height) == ("image/svg+xml", 640, 400)


@pytest.mark.parametrize(
    ("attrs", "size"),
    [
        ('viewBox="0 0 320 200"', (320, 200)),
        ('width="100%" viewBox="0,0,300,150"', (300, 150)),
        ('width="600px" viewBox="0 0 300 150"', (600, 300)),
        ('width="640" height="400"', (640, 400)),
    ],
)
def test_svg_size_from_viewbox(attrs: str, size: tuple[int, int]) -> None:
    info = inspect(svg(attrs=attrs), filename="figures/e.svg")
    assert (info.width, info.height) == size


def test_svg_without_size_is_refused() -> None:
    with pytest.raises(FigureError, match="needs its size, as width and height in pixels or"):
        inspect(svg(attrs='width="50%"'), filename="figures/e.svg")


def test_png_named_svg_is_refused() -> None:
    with pytest.raises(FigureError) as error:
        inspect(raster("PNG"), filename="figures/e.svg")
    assert str(error.value) == (
        "figures/e.svg is a PNG file by its content, but its name says 'svg'; name it .png"
    )


def test_svg_named_png_is_refused() -> None:
    with pytest.raises(FigureError, match="is a SVG file by its content, but its name says 'png'"):
        inspect(SVG.encode(), filename="figures/e.png")


@pytest.mark.parametrize(
    "data",
    [b"GIF89a\x01\x00\x01\x00", b"%PDF-1.7 ...", b"<html><body>hi</body></html>", b"\x00" * 40],
)
def test_other_types_are_refused(data: bytes) -> None:
    with pytest.raises(FigureError, match="is not a PNG, JPEG, WebP or SVG file by its content"):
        inspect(data, filename="figures/e.png")


def test_damaged_png_is_refused() -> None:
    data = raster("PNG", (64, 64))
    with pytest.raises(FigureError, match=r"figures/e\.png is damaged: not a readable PNG file"):
        inspect(data[: len(data) // 2], filename="figures/e.png")


def test_over_one_megabyte_is_refused() -> None:
    data = SVG.encode().replace(b"</svg>", b"<!--" + b"x" * MAX_BYTES + b"--></svg>")
    with pytest.raises(FigureError, match=r"bytes; a figure may be at most 1 MB \(1,048,576"):
        inspect(data, filename="figures/e.svg")


def test_over_4096_pixels_is_refused() -> None:
    with pytest.raises(FigureError, match="is 4097x10 pixels; a figure may be at most 4096x4096"):
        inspect(raster("PNG", (4097, 10)), filename="figures/e.png")
    with pytest.raises(FigureError, match="is 5000x400 pixels"):
        inspect(svg(attrs='width="5000" height="400"'), filename="figures/e.svg")


@pytest.mark.parametrize(
    "size",
    [
        (10_000, 10_000),  # over Pillow's limit: its warning, which we make an error
        (30_000, 30_000),  # over twice the limit: Pillow's own error
    ],
)
def test_decompression_bomb_is_refused_with_a_clear_message(size: tuple[int, int]) -> None:
    with pytest.raises(FigureError) as error:
        inspect(png_claiming(*size), filename="figures/bomb.png")
    assert str(error.value) == (
        "figures/bomb.png claims an enormous size in its header (a decompression bomb: a "
        "small file that would take gigabytes of memory to open); it is refused"
    )


@pytest.mark.parametrize(
    ("inner", "message"),
    [
        ("<script>alert(1)</script>", "may not contain <script>"),
        ('<rect onload="alert(1)" width="1" height="1"/>', "event handlers (onload= on <rect>)"),
        ("<foreignObject><p>x</p></foreignObject>", "may not contain <foreignObject>"),
        ('<image href="https://example.org/x.png"/>', "may not refer to anything outside"),
        (
            '<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="other.svg#a"/>',
            "may not refer to anything outside",
        ),
        ('<a href="javascript:alert(1)"><text>x</text></a>', "may not refer to anything outside"),
        ("<style>rect { fill: url(https://example.org/p.svg#x) }</style>", "<style> url()"),
        ('<rect style="fill: url(http://x/y)" width="1" height="1"/>', "through url()"),
        ('<set attributeName="href" to="javascript:alert(1)"/>', "may not animate a link"),
    ],
)
def test_active_or_external_svg_is_refused(inner: str, message: str) -> None:
    with pytest.raises(FigureError, match=message.replace("(", r"\(").replace(")", r"\)")):
        inspect(svg(inner), filename="figures/e.svg")


def test_svg_internal_references_are_fine() -> None:
    inner = (
        '<defs><linearGradient id="g"/><path id="p" d="M0 0L10 10"/></defs>'
        '<rect fill="url(#g)" width="10" height="10"/><use href="#p"/>'
        "<style>.a { fill: url(#g) }</style>"
    )
    assert inspect(svg(inner), filename="figures/e.svg").width == 640


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">', "not well-formed"),
        (b'<svg width="10" height="10"></svg>', "root element must be <svg xmlns="),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1">&a;</svg>',
            "remove the <!DOCTYPE> line",
        ),
    ],
)
def test_malformed_svg_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(FigureError, match=message):
        inspect(data, filename="figures/e.svg")


def test_a_jpeg_turned_by_its_exif_orientation_is_measured_as_shown() -> None:
    image = Image.new("RGB", (40, 10), "teal")
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise when shown
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    info = inspect(buffer.getvalue(), filename="figures/turned.jpg")
    assert (info.width, info.height) == (10, 40)


def test_an_svg_with_a_doctype_is_told_to_drop_it() -> None:
    data = (
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    )
    with pytest.raises(FigureError, match="remove the <!DOCTYPE> line"):
        inspect(data, filename="figures/e.svg")
