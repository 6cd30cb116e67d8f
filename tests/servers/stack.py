"""The processes of the two-server run: a TLS certificate, two gunicorn servers and a job worker
beside each, all on one PostgreSQL and one Redis, and haproxy in front.

Each server runs as production does (``EDUAPP_ENV=production``, every secret from the
environment, ``EDUAPP_TRUSTED_PROXIES=1``), with its own instance folder and temporary
directory; only the files folder is shared, as a shared mount would be.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVERS = ("a", "b")

# Only for this run: a request may ask for a server by name (the journeys alternate on every
# request). While the server asked for is down, haproxy balances as usual; a connection that
# fails is retried once on the other server (redispatch).
HAPROXY = """\
global
    maxconn 256
    stats socket {work}/haproxy.sock mode 600 level admin

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response

frontend https
    bind 127.0.0.1:{port} ssl crt {work}/site.pem
    option forwardfor
    http-request set-header X-Forwarded-Proto https
    http-request del-header X-Forwarded-Host
    default_backend eduapp

backend eduapp
    balance roundrobin
    use-server a if {{ req.hdr(x-eduapp-route) -m str a }}
    use-server b if {{ req.hdr(x-eduapp-route) -m str b }}
    http-response set-header X-Eduapp-Server %s
    server a 127.0.0.1:{port_a} check inter 300 fall 1 rise 2
    server b 127.0.0.1:{port_b} check inter 300 fall 1 rise 2
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(command: list[str], env: dict[str, str], work: Path) -> None:
    """Run a setup command; on failure, show its output and stop the run."""
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


@dataclass
class Stack:
    database_url: str
    queue_url: str
    work: Path
    port: int = field(default_factory=free_port)
    ports: dict[str, int] = field(default_factory=lambda: {s: free_port() for s in SERVERS})
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    stops: list[tuple[str, float]] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def files(self) -> Path:
        return self.work / "files"

    @property
    def certificate(self) -> Path:
        return self.work / "cert.pem"

    def prepare(self) -> None:
        """Make the certificate and the secrets, migrate the database, import one course."""
        self.files.mkdir(parents=True)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(self.work / "key.pem"), "-out", str(self.certificate)],
            check=True, capture_output=True,
        )  # fmt: skip
        pem = self.certificate.read_bytes() + (self.work / "key.pem").read_bytes()
        (self.work / "site.pem").write_bytes(pem)
        key = subprocess.run(
            ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        self.secrets = {
            "EDUAPP_SECRET_KEY": secrets.token_urlsafe(48),
            "EDUAPP_CREDENTIAL_KEY": key,
        }
        env = self.env("setup")
        run([str(BIN / "flask"), "db", "upgrade"], env, self.work)
        run([str(BIN / "flask"), "courses", "import", "courses/ethics-scope"], env, self.work)
        run([str(BIN / "flask"), "search", "rebuild", "--missing"], env, self.work)

    def env(self, name: str) -> dict[str, str]:
        """A server's environment: production settings, its own instance folder and temp dir."""
        own = self.work / name
        (own / "instance").mkdir(parents=True, exist_ok=True)
        (own / "tmp").mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("EDUAPP_")}
        env.update(self.secrets)
        env.update(
            FLASK_APP="wsgi",
            TMPDIR=str(own / "tmp"),
            EDUAPP_ENV="production",
            EDUAPP_INSTANCE_PATH=str(own / "instance"),
            EDUAPP_DATABASE_URL=self.database_url,
            EDUAPP_QUEUE_URL=self.queue_url,
            EDUAPP_BASE_URL=self.base_url,
            EDUAPP_FILES_DIR=str(self.files),
            EDUAPP_TRUSTED_PROXIES="1",
            EDUAPP_PROVIDER_NAME="Two Server Test Provider",
            EDUAPP_PROVIDER_CONTACT="ce@two-servers.invalid",
            EDUAPP_CERTIFICATE_SIGNERS="Course Director|Two Server Test Provider",
        )
        return env

    def start_server(self, name: str) -> None:
        """gunicorn with two workers, and a job worker beside it, as one machine would run."""
        env = self.env(name)
        log = (self.work / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{self.ports[name]}",
             "--graceful-timeout", "20", "wsgi:app"],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.processes[f"worker-{name}"] = subprocess.Popen(
            [str(BIN / "flask"), "jobs", "worker"],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def stop_server(self, name: str) -> float:
        """SIGTERM the server and its worker, wait for both to exit; the seconds it took."""
        started = time.monotonic()
        for key in (name, f"worker-{name}"):
            self.processes[key].send_signal(signal.SIGTERM)
        for key in (name, f"worker-{name}"):
            self.processes[key].wait(timeout=60)
        self.stops.append((name, time.monotonic() - started))
        return time.monotonic() - started

    def start_proxy(self) -> None:
        config = HAPROXY.format(
            work=self.work, port=self.port, port_a=self.ports["a"], port_b=self.ports["b"]
        )
        (self.work / "haproxy.cfg").write_text(config)
        check = subprocess.run(
            ["haproxy", "-c", "-q", "-f", str(self.work / "haproxy.cfg")], capture_output=True
        )
        if check.returncode != 0:
            sys.exit(f"haproxy refuses its configuration:\n{check.stderr.decode()}")
        log = (self.work / "haproxy.log").open("ab")
        self.processes["haproxy"] = subprocess.Popen(
            ["haproxy", "-db", "-f", str(self.work / "haproxy.cfg")],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def proxy_stats(self) -> dict[str, dict[str, str]]:
        """haproxy's own counters per server (``show stat``): status, requests, retries."""
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(self.work / "haproxy.sock"))
            s.sendall(b"show stat\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        rows = csv.DictReader(io.StringIO(data.decode().lstrip("# ")))
        return {r["svname"]: r for r in rows if r["pxname"] == "eduapp"}

    def wait_up(self, name: str, timeout: float = 60) -> None:
        """Until haproxy's health check says the server is up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.proxy_stats().get(name, {}).get("status") == "UP":
                    return
            except OSError:
                pass
            for key in (name, f"worker-{name}"):
                process = self.processes.get(key)
                if process is not None and process.poll() is not None:
                    sys.exit(f"{key} exited with {process.returncode}; see {self.work}/{name}.log")
            time.sleep(0.1)
        sys.exit(f"server {name} did not come up in {timeout:.0f} s")

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
