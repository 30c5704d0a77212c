"""A fake upstream HTTP server on 127.0.0.1 for tests of code that calls OpenAlex, ORCID, arXiv
and Crossref. It speaks real HTTP, so clients' timeouts, retries, 429s and Retry-After are
exercised exactly as in production.

    fake_upstream.add("GET", "/works/W1", json={"id": "..."})
    fake_upstream.add("GET", "/works", status=429, headers={"Retry-After": "1"})  # queued:
    fake_upstream.add("GET", "/works", json={...})  # first call gets 429, later calls this
    fake_upstream.add("GET", "/slow", json={}, delay=5)  # for client timeouts
    fake_upstream.url  -> "http://127.0.0.1:PORT"
    fake_upstream.requests  -> every request received, in order

Responses for one route are served in order; the last one repeats. An unknown route is a 404
with a JSON body naming it, so a test that forgot a route fails loudly.
"""

from __future__ import annotations

import json as jsonlib
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeResponse:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode())


class FakeUpstream:
    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], list[FakeResponse]] = defaultdict(list)
        self._served: dict[tuple[str, str], int] = defaultdict(int)
        self._lock = threading.Lock()
        self.requests: list[RecordedRequest] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def add(
        self,
        method: str,
        path: str,
        *,
        status: int = 200,
        json: object = None,
        body: bytes | str = b"",
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        """Queue a response for `method path` (the path without its query string)."""
        if json is not None:
            body = jsonlib.dumps(json)
            content_type = content_type or "application/json"
        if isinstance(body, str):
            body = body.encode()
        all_headers = {"Content-Type": content_type or "text/plain; charset=utf-8"}
        all_headers.update(headers or {})
        with self._lock:
            self._routes[(method.upper(), path)].append(
                FakeResponse(status=status, body=body, headers=all_headers, delay=delay)
            )

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method.upper() and r.path == path]

    def start(self) -> FakeUpstream:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_response(self, method: str, path: str) -> FakeResponse:
        with self._lock:
            queue = self._routes.get((method, path))
            if not queue:
                body = jsonlib.dumps({"error": f"no fake route for {method} {path}"}).encode()
                return FakeResponse(404, body, {"Content-Type": "application/json"})
            index = min(self._served[(method, path)], len(queue) - 1)
            self._served[(method, path)] += 1
            return queue[index]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = RecordedRequest(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                with upstream._lock:
                    upstream.requests.append(request)
                response = upstream._next_response(self.command, parts.path)
                if response.delay:
                    time.sleep(response.delay)
                self.send_response(response.status)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                self.wfile.write(response.body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

            def log_message(self, format, *args) -> None:  # keep test output quiet
                pass

        return Handler
