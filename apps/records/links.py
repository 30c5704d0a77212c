"""Code and data links: where a work's code, data or models live (GitHub, GitLab, Zenodo,
Hugging Face), found in the text and locations a source gives. Pure functions."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# A host we recognise, with or without a scheme, up to whitespace or closing punctuation.
_LINK = re.compile(
    r"(?:https?://)?(?:www\.)?"
    r"(github\.com|gitlab\.com|zenodo\.org|huggingface\.co)"
    r"(/[^\s<>\"'\])}]*)?",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?*'\""
MAX_LINKS = 10  # per text: a long comment listing more is not a work's own list


class LinkKind:
    CODE = "code"
    DATA = "data"
    MODEL = "model"
    DEPOSIT = "deposit"  # a Zenodo record: data, software or a copy of the paper
    OTHER = "other"

    choices = [
        (CODE, "Code"),
        (DATA, "Data"),
        (MODEL, "Model"),
        (DEPOSIT, "Deposit"),
        (OTHER, "Other"),
    ]


def normalize_link(url: str) -> str | None:
    """https, lower-case host without www, no trailing punctuation, ".git" or slash; None
    for a bare host or a host we do not recognise."""
    match = _LINK.fullmatch(url.strip().rstrip(_TRAILING))
    if not match or not match.group(2) or match.group(2).strip("/") == "":
        return None
    host = match.group(1).lower()
    path = match.group(2).rstrip(_TRAILING).rstrip("/").removesuffix(".git")
    if host in ("github.com", "gitlab.com") and len([p for p in path.split("/") if p]) < 2:
        return None  # a user's page, not a repository
    if host == "zenodo.org":
        path = re.sub(r"^/record/(\d+)", r"/records/\1", path)
    return f"https://{host}{path}"


def link_kind(url: str) -> str:
    parts = urlsplit(url)
    host, path = parts.netloc.lower(), parts.path
    if host in ("github.com", "gitlab.com"):
        return LinkKind.CODE
    if host == "zenodo.org":
        return LinkKind.DEPOSIT
    if host == "huggingface.co":
        return LinkKind.DATA if path.startswith("/datasets/") else LinkKind.MODEL
    return LinkKind.OTHER


def links_in_text(*texts: str | None) -> list[str]:
    """Recognised links in free text (an arXiv comment, an abstract), normalised, in order,
    each once."""
    found: list[str] = []
    for text in texts:
        for match in _LINK.finditer(text or ""):
            url = normalize_link(match.group(0))
            if url and url not in found:
                found.append(url)
    return found[:MAX_LINKS]


_ZENODO_DOI = re.compile(r"^10\.5281/zenodo\.(\d+)$")


def zenodo_link_for_doi(doi: str | None) -> str | None:
    """Zenodo's record for one of its DOIs (10.5281/zenodo.N), else None."""
    match = _ZENODO_DOI.match(doi or "")
    return f"https://zenodo.org/records/{match.group(1)}" if match else None
