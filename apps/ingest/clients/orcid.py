"""ORCID public API v3.0: a researcher's works, person, employments and whole record.

Facts (shared/docs/upstream-apis.md section 4): JSON needs `Accept: application/vnd.orcid+json`;
an unknown or malformed iD is a 404 with a JSON body; going over the burst allowance is a 503,
which the base client retries. The host follows ORCID_API_BASE_URL (pub.orcid.org, or the
sandbox), the same setting sign-in uses.
"""

from __future__ import annotations

from apps.ingest.clients.base import Fetched, UpstreamClient
from apps.records.identifiers import normalize_orcid

API_VERSION = "v3.0"


class OrcidClient(UpstreamClient):
    source = "orcid"
    base_url_setting = "ORCID_API_BASE_URL"
    default_base_url = "https://pub.orcid.org"
    accept = "application/vnd.orcid+json"

    def works(self, orcid: str) -> Fetched:
        """`/v3.0/<iD>/works`: work summaries, grouped by shared identifiers."""
        return self._section(orcid, "works")

    def person(self, orcid: str) -> Fetched:
        """`/v3.0/<iD>/person`: names, other names, public emails, keywords, links."""
        return self._section(orcid, "person")

    def employments(self, orcid: str) -> Fetched:
        """`/v3.0/<iD>/employments`: affiliation summaries."""
        return self._section(orcid, "employments")

    def record(self, orcid: str) -> Fetched:
        """`/v3.0/<iD>/record`: person and activities in one call."""
        return self._section(orcid, "record")

    def _section(self, orcid: str, section: str) -> Fetched:
        return self.get(f"/{API_VERSION}/{normalize_orcid(orcid)}/{section}")
