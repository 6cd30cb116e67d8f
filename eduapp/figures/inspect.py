"""What a figure file is, decided by its bytes and never by its name.

Pure (no app, no database): ``courses check`` runs it on files, ``store()`` on whatever it is
given, so a file that checks clean is exactly a file that imports. A figure is PNG, JPEG,
WebP or SVG, at most 1 MB and 4096 pixels a side; an SVG must be clean (no script, event
handlers, foreignObject or external references) even though it is served sandboxed, and a
raster whose header claims a huge size is refused before it is decoded.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import ParseError, fromstring
from PIL import Image

MAX_BYTES = 1024 * 1024
MAX_SIDE = 4096
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

# media type -> (the extension it is served under, the extensions a file may be named with)
TYPES = {
    "image/png": ("png", {"png"}),
    "image/jpeg": ("jpg", {"jpg", "jpeg"}),
    "image/webp": ("webp", {"webp"}),
    "image/svg+xml": ("svg", {"svg"}),
}
PILLOW_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
TYPE_NAMES = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/webp": "WebP",
    "image/svg+xml": "SVG",
}
LENGTH = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*(px)?\s*$")
NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
EXIF_ORIENTATION = 0x0112
TURNED = {5, 6, 7, 8}  # EXIF orientations that rotate the picture by 90 or 270 degrees
CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.I)


class FigureError(ValueError):
    """A file that cannot be a figure; the message says why, for the person who made it."""


@dataclass(frozen=True)
class FigureInfo:
    sha256: str
    media_type: str
    width: int
    height: int
    byte_size: int

    @property
    def ext(self) -> str:
        return TYPES[self.media_type][0]

    @property
    def url(self) -> str:
        return f"/figures/{self.sha256}.{self.ext}"


def inspect(data: bytes, *, filename: str) -> FigureInfo:
    """Validate ``data`` as a figure by its content and measure it.

    ``filename`` only has to agree with the content (a PNG named ``.svg`` is refused, so a
    course folder never lies about its files) and names the file in messages.
    """
    name = filename
    if len(data) > MAX_BYTES:
        raise FigureError(
            f"{name} is {len(data):,} bytes; a figure may be at most 1 MB ({MAX_BYTES:,} bytes)"
        )
    if not data:
        raise FigureError(f"{name} is empty")
    media_type = _sniff(data)
    if media_type is None:
        raise FigureError(
            f"{name} is not a PNG, JPEG, WebP or SVG file by its content "
            "(only those four types are accepted)"
        )
    ext = PurePosixPath(filename).suffix.lower().lstrip(".")
    served, allowed = TYPES[media_type]
    if ext not in allowed:
        raise FigureError(
            f"{name} is a {TYPE_NAMES[media_type]} file by its content, but its name says "
            f"{ext or 'nothing'!r}; name it .{served}"
        )
    if media_type == "image/svg+xml":
        width, height = _svg_size(data, name)
    else:
        width, height = _raster_size(data, name, media_type)
    if width > MAX_SIDE or height > MAX_SIDE:
        raise FigureError(
            f"{name} is {width}x{height} pixels; a figure may be at most "
            f"{MAX_SIDE}x{MAX_SIDE} pixels"
        )
    if width < 1 or height < 1:
        raise FigureError(f"{name} has no size ({width}x{height} pixels)")
    return FigureInfo(
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=media_type,
        width=width,
        height=height,
        byte_size=len(data),
    )


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE")) and b"<svg" in data:
        return "image/svg+xml"
    return None


def _raster_size(data: bytes, name: str, media_type: str) -> tuple[int, int]:
    """Open with Pillow, with its decompression-bomb warning raised as an error: a small
    file whose header claims a huge size would otherwise be decoded into gigabytes."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                if PILLOW_FORMATS.get(image.format or "") != media_type:
                    raise FigureError(f"{name} is not a readable {TYPE_NAMES[media_type]} file")
                width, height = image.size
                if width > MAX_SIDE or height > MAX_SIDE:
                    return width, height  # refused by the caller, before any decoding
                image.load()
                if image.getexif().get(EXIF_ORIENTATION) in TURNED:
                    width, height = height, width  # browsers show it turned a quarter
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise FigureError(
                f"{name} claims an enormous size in its header (a decompression bomb: a small "
                "file that would take gigabytes of memory to open); it is refused"
            ) from None
        except FigureError:
            raise
        except (OSError, SyntaxError, ValueError) as error:
            raise FigureError(
                f"{name} is damaged: not a readable {TYPE_NAMES[media_type]} file ({error})"
            ) from None
    return width, height


def _svg_size(data: bytes, name: str) -> tuple[int, int]:
    try:
        root = fromstring(data, forbid_dtd=True)
    except DTDForbidden:
        raise FigureError(f"{name}: remove the <!DOCTYPE> line; an SVG figure needs none") from None
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise FigureError(f"{name} is not well-formed SVG ({error})") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise FigureError(
            f'{name}: the root element must be <svg xmlns="{SVG_NS}">, not {root.tag!r}'
        )
    _refuse_active_svg(root, name)
    width, height = _svg_length(root.get("width")), _svg_length(root.get("height"))
    view_box = [float(n) for n in NUMBER.findall(root.get("viewBox") or "")]
    if width is None or height is None:
        if len(view_box) != 4:
            raise FigureError(
                f"{name}: an SVG needs its size, as width and height in pixels or a viewBox"
            )
        box_w, box_h = view_box[2], view_box[3]
        if width is None and height is None:
            width, height = box_w, box_h
        elif width is None:
            width = height * box_w / box_h if box_h else 0  # type: ignore[operator]
        else:
            height = width * box_h / box_w if box_w else 0
    return round(width), round(height)  # type: ignore[arg-type]


def _svg_length(value: str | None) -> float | None:
    """A width or height in user units (``640`` or ``640px``); percentages and ems have no
    size of their own, so the viewBox decides."""
    match = LENGTH.match(value or "")
    return float(match.group(1)) if match else None


def _refuse_active_svg(root: Element, name: str) -> None:
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag == "script":
            raise FigureError(f"{name}: an SVG figure may not contain <script>")
        if tag == "foreignObject":
            raise FigureError(f"{name}: an SVG figure may not contain <foreignObject>")
        if tag in ("set", "animate") and (element.get("attributeName") or "").endswith("href"):
            raise FigureError(f"{name}: an SVG figure may not animate a link (<{tag}> of href)")
        if tag == "style" and CSS_URL.search(element.text or ""):
            raise FigureError(f"{name}: an SVG figure may not load anything from a <style> url()")
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                raise FigureError(
                    f"{name}: an SVG figure may not have event handlers ({local}= on <{tag}>)"
                )
            if (attribute == XLINK_HREF or local == "href") and not value.strip().startswith("#"):
                raise FigureError(
                    f"{name}: an SVG figure may not refer to anything outside itself "
                    f"({local}={value[:60]!r} on <{tag}>); only #fragment links are allowed"
                )
            if CSS_URL.search(value):
                raise FigureError(
                    f"{name}: an SVG figure may not load anything through url() "
                    f"({local} on <{tag}>)"
                )
