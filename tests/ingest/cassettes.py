"""Recorded HTTP responses from VCR cassettes, as (status, headers, body bytes).

Two recorders wrote the cassettes under shared/samples (see its SOURCES.md):

* R vcr (rorcid, openalexPro): top-level `http_interactions`; the status is
  `status.status_code` as a string (vcr 0.x) or a bare int (vcr 2.x); headers map to strings;
  `body.string` holds the already-decoded text even when the headers say
  `content-encoding: gzip`, and `body.base64_string` holds raw bytes when the recorder was
  asked to preserve them.
* Python vcrpy (habanero): top-level `interactions`; `status.code` is an int; headers map to
  lists; `body.string` is text, or a YAML `!!binary` holding the bytes exactly as sent (often
  gzip-compressed).

Bodies come back as the entity a client would hand to a parser: gzip is undone here, so
parsers never see transfer details. Test helper only: no network, no Django.
"""

from __future__ import annotations

import base64
import gzip
from pathlib import Path

import yaml

_GZIP_MAGIC = b"\x1f\x8b"

Response = tuple[int, dict[str, str], bytes]


def cassette_responses(path: str | Path) -> list[Response]:
    """Every recorded response in the cassette, in recording order."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    interactions = data.get("http_interactions") or data.get("interactions")
    if interactions is None:
        raise ValueError(f"{path}: neither `http_interactions` (R vcr) nor `interactions` (vcrpy)")
    return [_response(item["response"]) for item in interactions]


def _response(response: dict) -> Response:
    headers = _headers(response.get("headers") or {})
    return _status(response["status"]), headers, _body(response.get("body") or {})


def _status(status: dict | int | str) -> int:
    # R vcr 0.x: {"status_code": "200"}; R vcr 2.x: 200; vcrpy: {"code": 200}.
    if isinstance(status, dict):
        status = status.get("status_code", status.get("code"))
    return int(status)


def _headers(headers: dict) -> dict[str, str]:
    """Lower-cased names; vcrpy's value lists joined as a client would see them."""
    joined = {}
    for name, value in headers.items():
        joined[name.lower()] = ", ".join(value) if isinstance(value, list) else str(value)
    return joined


def _body(body: dict) -> bytes:
    if body.get("file"):
        raise ValueError("bodies stored in separate files are not supported")
    if body.get("base64_string") is not None:
        raw = base64.b64decode(body["base64_string"])
    else:
        text = body.get("string") or b""
        raw = text if isinstance(text, bytes) else text.encode("utf-8")
    # Trust the bytes, not the header: R vcr keeps `content-encoding: gzip` next to a body it
    # already decoded, so only the gzip magic number says whether decompression is due.
    return gzip.decompress(raw) if raw.startswith(_GZIP_MAGIC) else raw
