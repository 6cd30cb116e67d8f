"""Fixtures webhook tests share: a clinic with a sharing staff member, and a real HTTPS receiver
(a local ``http.server`` behind TLS with a certificate made here) that records each request."""

from __future__ import annotations

import datetime as dt
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import Flask

from eduapp.clock import now
from eduapp.extensions import db
from eduapp.models import Clinic, ClinicMember, User
from eduapp.webhooks import guard
from tests.certificates.test_certificates import ce_course  # noqa: F401 - a fixture
from tests.clinics.helpers import packs  # noqa: F401 - a fixture for test_events

NAME = "receiver.test"  # resolves nowhere: only through the vetted address


@dataclass
class World:
    clinic: Clinic
    manager: User
    staff: User


@pytest.fixture
def world(app: Flask, make_user: Any) -> World:
    manager = make_user("mia@example.org", "Mia Manager")
    staff = make_user("sam@example.org", "Sam Staff")
    clinic = Clinic(name="Harbour Clinic")
    db.session.add(clinic)
    db.session.flush()
    db.session.add_all(
        [
            ClinicMember(clinic_id=clinic.id, user_id=manager.id, role="manager"),
            ClinicMember(clinic_id=clinic.id, user_id=staff.id, role="staff", consented_at=now()),
        ]
    )
    db.session.commit()
    return World(clinic, manager, staff)


@dataclass
class Receiver:
    url: str
    port: int
    requests: list[dict[str, Any]] = field(default_factory=list)
    answer: list[int] = field(default_factory=lambda: [200])
    headers: dict[str, str] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)


def _certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)])
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(NAME)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "receiver.pem", directory / "receiver.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def receiver(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    """An HTTPS server on 127.0.0.1 for ``receiver.test``, which the guard resolves to that
    address (counted) and is allowed to reach through WEBHOOK_ALLOW_HOSTS."""
    cert_path, key_path = _certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    found: Receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            found.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
            status = found.answer[min(len(found.requests), len(found.answer)) - 1]
            self.send_response(status)
            for name, value in found.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    found = Receiver(url=f"https://{NAME}:{port}/hooks/eduapp", port=port)
    original = guard.resolve

    def resolve(host: str, port: int) -> list[str]:
        found.lookups.append(host)
        return ["127.0.0.1"] if host == NAME else original(host, port)

    monkeypatch.setattr(guard, "resolve", resolve)
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_HOSTS", NAME)
    monkeypatch.setitem(app.config, "WEBHOOK_CA_FILE", str(cert_path))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
