"""What the fuzz test sends: hostile values, and requests built byte by byte around them.

Bodies and query strings are encoded here rather than by the test client, because the
client would re-encode (or refuse) exactly the bytes worth sending: invalid UTF-8, NUL, a
filename with quotes. Every request is a :class:`Case`, so a failure prints what was sent.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import quote_from_bytes

from werkzeug.routing import Rule

LONG_TEXT = b"long text " * 2000  # longer than any field allows but the invite list
HOSTILE: tuple[bytes, ...] = (
    b"9" * 5000,
    str(2**64).encode(),
    b"2147483648",
    b"-1",
    b"0",
    b"abc",
    b"a\x00b",
    b"\xff\xfe",  # not UTF-8
    b"0001-01-01",
    b"9999-12-31",
    b"2026-02-30",
    b"Infinity",
    b"NaN",
    b"sNaN",
    b"1e999999",
    LONG_TEXT,
    b"",
    b" ",
    b"a\r\nb",
    "\ufdfa".encode() * 20,  # grows eighteen-fold under NFKC
    b"<script>alert(1)</script>",
    b"../../etc/passwd",
    b"//evil.example/",
)

# The values that have broken eduapp before (NUL in PostgreSQL, undecodable bytes, integers
# Python will not parse): every route's own query parameters always get them.
WORST: tuple[bytes, ...] = (b"a\x00b", b"\xff\xfe", b"9" * 5000)


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str
    mimetype: str


def _random_bytes(n: int) -> bytes:
    return random.Random("fuzz-file").randbytes(n)


HOSTILE_FILES: tuple[Upload, ...] = (
    Upload(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "c.pdf",
        "application/pdf",
    ),
    Upload(b"", "empty.pdf", "application/pdf"),
    Upload(_random_bytes(4096), "random.bin", "application/octet-stream"),
    Upload(b"%PDF-1.4\x00\xff", '../../x"\r\n.pdf', "application/pdf"),
    Upload(b"a@example.org\n\xff\xfe,b@example.org\x00,\n" * 50, "list.csv", "text/csv"),
    Upload(b"\x89PNG\r\n\x1a\n" + _random_bytes(64), "x" * 300 + ".png", "image/png"),
)
PDF = Upload(b"%PDF-1.4 fuzz\n", "certificate.pdf", "application/pdf")

Value = bytes | Upload
BOUNDARY = "fuzz-b0undary-7MA4YWxkTrZu0gW"
# Bodies sent under a type they are not.
CONTENT_TYPE_LIES = (
    "multipart/form-data; boundary=nope",
    "multipart/form-data",
    "application/json",
    "text/plain",
)


@dataclass
class Case:
    """One request; ``fields`` is None for a request without a body."""

    method: str
    path: str
    query: list[tuple[str, bytes]] = field(default_factory=list)
    fields: list[tuple[str, Value]] | None = None
    json: bool = False  # ask for JSON, as the quiz's autosave script does
    content_type: str | None = None  # a lie about the body, instead of its real type

    @property
    def url(self) -> str:
        if not self.query:
            return self.path
        return self.path + "?" + "&".join(f"{_q(k.encode())}={_q(v)}" for k, v in self.query)

    def body(self) -> tuple[bytes, str] | tuple[None, None]:
        if self.fields is None:
            return None, None
        if any(isinstance(v, Upload) for _, v in self.fields):
            body, content_type = multipart(self.fields)
        else:
            pairs = [f"{_q(k.encode())}={_q(v)}" for k, v in self.fields if isinstance(v, bytes)]
            body, content_type = "&".join(pairs).encode(), "application/x-www-form-urlencoded"
        return body, self.content_type or content_type

    def describe(self) -> str:
        names = [k for k, v in self.fields or () if v not in (b"",)]
        lie = f" as {self.content_type}" if self.content_type else ""
        return f"{self.method} {self.url[:300]} fields={names[:12]}{lie}"


@cache
def _q(value: bytes) -> str:
    return quote_from_bytes(value, safe="")


def _header_quote(text: str) -> str:
    """As browsers write a filename: quotes and line breaks escaped, the rest as is."""
    return text.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def multipart(fields: list[tuple[str, Value]]) -> tuple[bytes, str]:
    parts = []
    for name, value in fields:
        disposition = f'form-data; name="{_header_quote(name)}"'
        if isinstance(value, Upload):
            disposition += f'; filename="{_header_quote(value.filename)}"'
            head = f"Content-Disposition: {disposition}\r\nContent-Type: {value.mimetype}\r\n"
            data = value.data
        else:
            head, data = f"Content-Disposition: {disposition}\r\n", value
        parts.append(f"--{BOUNDARY}\r\n{head}\r\n".encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
    return body, f"multipart/form-data; boundary={BOUNDARY}"


ARGUMENT = re.compile(r"<(?:[a-zA-Z_]+(?:\([^)]*\))?:)?([a-zA-Z_]+)>")


def build_path(rule: Rule, values: dict[str, bytes]) -> str:
    """The rule's path with each argument's bytes %-encoded: no converter gets a say."""
    return ARGUMENT.sub(lambda m: _q(values[m.group(1)]), rule.rule)
