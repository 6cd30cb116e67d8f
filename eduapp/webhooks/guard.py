"""Sending to a URL a clinic gave us without letting it reach inside our network (SSRF).

Only ``https://`` on port 443 or 8443. The host is resolved once, here; if any address it
resolves to is loopback, private, link-local, multicast, reserved or unspecified (IPv6 too,
and IPv4 hidden in IPv6 as a mapped, 6to4 or Teredo address) the delivery is refused. The
connection then goes to the vetted address itself, with the name only as TLS SNI and
``Host``, so a second lookup cannot swap in another address (DNS rebinding). Redirects are
never followed. A host written as an address (``127.1``, ``0x7f000001``, ``[::1]``: every
form the resolver reads as one) is vetted from the text alone, so a manager registering it
hears why at once; names are resolved only at delivery. Hosts in ``WEBHOOK_ALLOW_HOSTS``
(``EDUAPP_WEBHOOK_ALLOW_HOSTS``, a comma list, empty by default) skip the address and port
checks: for a receiver on the operator's own network, or a test's; production refuses
loopback names and addresses in that list.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

PORTS = (443, 8443)
TIMEOUT = 5.0  # seconds, to connect and for each read
RESPONSE_MAX = 2000  # characters of the receiver's answer kept in the log


class Refused(Exception):
    """The URL or the address it resolves to may not be sent to; the message says why."""


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    path: str
    address: str


def allowed_hosts() -> set[str]:
    value = current_app.config.get("WEBHOOK_ALLOW_HOSTS") or ""
    return {h.strip().lower() for h in value.split(",") if h.strip()}


def check_url(url: str) -> tuple[str, int, str]:
    """(host, port, path) of a URL we may send to, as far as the text shows; else Refused."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port or 443
    except ValueError:
        raise Refused("the address is not a valid URL") from None
    if parts.scheme != "https":
        raise Refused("the address must start with https://")
    host = (parts.hostname or "").lower()
    if not host:
        raise Refused("the address has no host name")
    if parts.username or parts.password:
        raise Refused("the address may not carry a user name or password")
    allowed = host in allowed_hosts()
    if port not in PORTS and not allowed:
        raise Refused("the address must use port 443 or 8443")
    if not allowed and (why := forbidden_literal(host)):
        raise Refused(why)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return host, port, path


def _embedded(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list:
    """The address and any IPv4 address an IPv6 one carries (mapped, 6to4, Teredo)."""
    found = []
    if isinstance(address, ipaddress.IPv6Address):
        for inner in (address.ipv4_mapped, address.sixtofour):
            if inner is not None:
                found.append(inner)
        if address.teredo is not None:
            found.extend(address.teredo)
    return [*found, address]  # the inner first: its class is the telling one


def _kind(text: str) -> str | None:
    """What sort of address this is if not a public one ("a loopback address"), else None."""
    address = ipaddress.ip_address(text.split("%", 1)[0])
    for one in _embedded(address):
        # Most specific first: Python counts loopback, link-local and more as private too.
        for name in ("unspecified", "loopback", "link_local", "multicast", "reserved", "private"):
            if getattr(one, f"is_{name}"):
                return f"{'an' if name[0] in 'aeiou' else 'a'} {name.replace('_', '-')} address"
        if not one.is_global:  # shared (100.64/10), benchmarking and other special ranges
            return "not a public address"
    return None


def forbidden(text: str) -> str | None:
    """Why this address may not be reached, or None if it is a public one."""
    kind = _kind(text)
    return f"{text} is {kind}" if kind else None


def literal(host: str) -> str | None:
    """The address a host written as one stands for, as the resolver reads it (``127.1``,
    ``2130706433`` and ``0x7f000001`` are 127.0.0.1), or None for a name. AI_NUMERICHOST:
    the resolver parses the text and never asks DNS."""
    text = host.split("%", 1)[0].rstrip(".")
    try:
        infos = socket.getaddrinfo(text, None, flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError, ValueError):
        return None
    return str(infos[0][4][0]) if infos else None


def forbidden_literal(host: str) -> str | None:
    """Why a host written as an address may not be reached, or None (a name, or public)."""
    address = literal(host)
    kind = _kind(address) if address else None
    if kind is None:
        return None
    return f"{host} is {kind}" if address == host else f"{host} is {address}, {kind}"


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (a seam for tests)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(f"{host} cannot be resolved: {error}") from None
    return [str(info[4][0]) for info in infos]


def vet(url: str) -> Target:
    """Resolve the URL's host once and choose the address to connect to; Refused if any
    address it has is one we never reach."""
    host, port, path = check_url(url)
    addresses = resolve(host, port)
    if not addresses:
        raise Refused(f"{host} has no address")
    allowed = host in allowed_hosts()
    for address in addresses:
        why = forbidden(address)
        if why is None:
            continue
        if not allowed:
            raise Refused(f"{host} resolves to {why}")
        if current_app.config["ENV"] == "production" and why.endswith("loopback address"):
            raise Refused(f"{host} resolves to loopback, refused in production")
    return Target(host, port, path, addresses[0])


class _Pinned(http.client.HTTPSConnection):
    """HTTPS to a vetted address, with the host's name for SNI, certificate and Host."""

    def __init__(self, target: Target, context: ssl.SSLContext) -> None:
        super().__init__(target.host, target.port, timeout=TIMEOUT, context=context)
        self.address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass
class Answer:
    status: int
    body: str


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST ``body`` to the vetted address; Refused before any connection if not allowed.
    A redirect is answered as it came (the caller counts it a failure), never followed."""
    target = vet(url)
    context = ssl.create_default_context(cafile=current_app.config.get("WEBHOOK_CA_FILE"))
    connection = _Pinned(target, context)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(RESPONSE_MAX).decode("utf-8", "replace")
        return Answer(response.status, text)
    finally:
        connection.close()


def production_check(value: str) -> str | None:
    """Why production refuses this allow list, or None: loopback names or addresses."""
    for host in (h.strip().lower() for h in value.split(",") if h.strip()):
        if host == "localhost" or host.endswith(".localhost"):
            return host
        address = literal(host.strip("[]"))  # 127.1 and 0x7f000001 are loopback too
        if address is not None and _kind(address) == "a loopback address":
            return host
    return None
