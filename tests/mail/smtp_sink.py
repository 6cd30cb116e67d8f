"""A local SMTP server for tests: plain sockets and threads, on 127.0.0.1 and a free port.

Just enough SMTP for smtplib to hand over messages, so the real SMTP path is exercised. It
can be slow (``delay`` seconds before accepting each message) or refuse every message
(``refuse`` an SMTP reply such as ``451 try later``).
"""

from __future__ import annotations

import socketserver
import threading
import time
from types import TracebackType


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        self.wfile.write(b"220 test ready\r\n")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                self.wfile.write(b"250 test\r\n")
            elif command == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.sink.started.set()
                time.sleep(self.server.sink.delay)
                if self.server.sink.refuse:
                    self.wfile.write(self.server.sink.refuse.encode() + b"\r\n")
                else:
                    self.server.sink.received.append(data)
                    self.wfile.write(b"250 queued\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    sink: SMTPSink


class SMTPSink:
    def __init__(self, delay: float = 0.0, refuse: str = "") -> None:
        self.delay = delay
        self.refuse = refuse
        self.received: list[bytes] = []
        self.started = threading.Event()  # a message's DATA has arrived
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sink = self
        self.port: int = self._server.server_address[1]

    def __enter__(self) -> SMTPSink:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
