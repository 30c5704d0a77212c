"""A fake upstream HTTP server on 127.0.0.1 for tests of code that calls OpenAlex, ORCID, arXiv
and Crossref. It speaks real HTTP, so clients' timeouts, retries, 429s and Retry-After are
exercised exactly as in production.

    fake_upstream.add("GET", "/works/W1", json={"id": "..."})
    fake_upstream.add("GET", "/works", status=429, headers={"Retry-After": "1"})  # queued:
    fake_upstream.add("GET", "/works", json={...})  # first call gets 429, later calls this
    fake_upstream.add("GET", "/slow", json={}, delay=5)  # for client timeouts
    fake_upstream.url  -> "http://127.0.0.1:PORT"
    fake_upstream.requests  -> every request received, in order, each with its arrival time

Recorded responses and faults:

    fake_upstream.add_file("GET", "/works/W1", "tests/fixtures/openalex/W1.json")
    fake_upstream.add_truncated("GET", "/works/W1", json={...})  # Content-Length lies, then close
    fake_upstream.add_malformed("GET", "/works/W1")  # a 200 whose JSON is cut off
    fake_upstream.max_requests_in_window(1.0)  # the most requests any 1-second window saw

Responses for one route are served in order; the last one repeats. An unknown route is a 404
with a JSON body naming it, so a test that forgot a route fails loudly.

By hand, serving a directory laid out by path (DIR/works/W123.json answers GET /works/W123):

    python -m tests.fakes.upstream --port 8799 --routes DIR
"""

from __future__ import annotations

import argparse
import bisect
import json as jsonlib
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

# Suffixes a recorded file may carry, longest first, and the Content-Type each is served with.
CONTENT_TYPES = {
    ".atom.xml": "application/atom+xml; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass
class FakeResponse:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # Send only this many bytes of the body (Content-Length still announces all of it), then
    # close the connection: the client sees a truncated body.
    truncate_at: int | None = None


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    at: float = 0.0  # arrival, on the server's time.monotonic() clock

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode())


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client that timed out or was sent a truncated body hangs up: expected here."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeUpstream:
    def __init__(self, port: int = 0) -> None:
        self._routes: dict[tuple[str, str], list[FakeResponse]] = defaultdict(list)
        self._served: dict[tuple[str, str], int] = defaultdict(int)
        self._lock = threading.Lock()
        self.requests: list[RecordedRequest] = []
        self._server = _QuietServer(("127.0.0.1", port), self._handler_class())
        # A short poll interval makes stop() (and so every test's teardown) quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

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
        truncate_at: int | None = None,
    ) -> None:
        """Queue a response for `method path` (the path without its query string)."""
        if json is not None:
            body = jsonlib.dumps(json)
            content_type = content_type or "application/json"
        if isinstance(body, str):
            body = body.encode()
        all_headers = {"Content-Type": content_type or "text/plain; charset=utf-8"}
        all_headers.update(headers or {})
        response = FakeResponse(status, body, all_headers, delay, truncate_at)
        with self._lock:
            self._routes[(method.upper(), path)].append(response)

    def add_file(
        self,
        method: str,
        path: str,
        file: str | Path,
        status: int = 200,
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Queue a recorded response body read from `file`, its Content-Type guessed from the
        file's suffix unless given."""
        file = Path(file)
        content_type = content_type or _content_type(file.name)
        self.add(
            method,
            path,
            status=status,
            body=file.read_bytes(),
            content_type=content_type,
            headers=headers,
        )

    def add_directory(self, root: str | Path) -> int:
        """Serve every file under `root` to GET at its relative path without the suffix
        (root/works/W1.json answers GET /works/W1). Returns the number of routes added."""
        root = Path(root)
        files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
        for file in files:
            relative = file.relative_to(root).as_posix()
            self.add_file("GET", "/" + _strip_suffix(relative), file)
        return len(files)

    def add_truncated(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        body: bytes | str = b"",
        keep: float = 0.5,
    ) -> None:
        """Queue a response that announces its full length but sends only the first `keep`
        fraction of the body before closing the connection."""
        raw = jsonlib.dumps(json).encode() if json is not None else body
        raw = raw.encode() if isinstance(raw, str) else raw
        content_type = "application/json" if json is not None else None
        self.add(
            method, path, body=raw, content_type=content_type, truncate_at=int(len(raw) * keep)
        )

    def add_malformed(
        self, method: str, path: str, *, status: int = 200, body: bytes | str = b'{"results": ['
    ) -> None:
        """Queue a complete response whose JSON body is not valid JSON."""
        self.add(method, path, status=status, body=body, content_type="application/json")

    def requests_in_windows(self, window: float = 1.0) -> list[int]:
        """For each request, how many requests (itself included) arrived in the `window`
        seconds starting at its arrival: a sliding per-second count for rate-limit tests."""
        times = sorted(r.at for r in self.requests)
        return [bisect.bisect_left(times, t + window) - i for i, t in enumerate(times)]

    def max_requests_in_window(self, window: float = 1.0) -> int:
        """The most requests that arrived within any `window` seconds."""
        return max(self.requests_in_windows(window), default=0)

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
                arrived = time.monotonic()
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = RecordedRequest(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                    at=arrived,
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
                if response.truncate_at is None:
                    self.wfile.write(response.body)
                else:
                    self.wfile.write(response.body[: response.truncate_at])
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

            def log_message(self, format, *args) -> None:  # keep test output quiet
                pass

        return Handler


def _content_type(name: str) -> str:
    for suffix, content_type in CONTENT_TYPES.items():
        if name.endswith(suffix):
            return content_type
    return "application/octet-stream"


def _strip_suffix(relative: str) -> str:
    """Drop one known content suffix (works/10.1/x.y.json -> works/10.1/x.y; a DOI's own dots
    stay)."""
    for suffix in CONTENT_TYPES:
        if relative.endswith(suffix):
            return relative[: -len(suffix)]
    return relative


def main(argv: list[str] | None = None) -> None:
    """Serve a directory of recorded responses on 127.0.0.1 until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.upstream",
        description="Serve recorded upstream responses: DIR/works/W1.json answers GET /works/W1.",
    )
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--routes", type=Path, required=True, metavar="DIR")
    args = parser.parse_args(argv)
    server = FakeUpstream(port=args.port)
    count = server.add_directory(args.routes)
    print(f"Fake upstream serving {count} routes from {args.routes} at {server.url}", flush=True)
    print(
        f"Point settings at it, e.g. OPENALEX_API_URL={server.url} CROSSREF_API_URL={server.url}",
        flush=True,
    )
    server.start()
    try:
        server._thread.join()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
