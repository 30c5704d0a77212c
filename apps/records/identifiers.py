"""Identifier normalisation: ORCID iDs, DOIs, arXiv ids, OpenAlex ids and ROR ids.

Plain functions over strings (no Django, no database, no network). Each `normalize_*` returns
the one canonical spelling we store under a unique constraint, or raises `InvalidIdentifier`
with a message a user can read. Facts: shared/docs/upstream-apis.md sections 3, 7, 8 and 9.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote


class InvalidIdentifier(ValueError):
    """The text is not a well-formed identifier of the kind asked for."""


def _invalid(noun: str, value: object, reason: str = "") -> InvalidIdentifier:
    suffix = f" ({reason})" if reason else ""
    return InvalidIdentifier(f"not {noun}: {value!r}{suffix}")


def _clean(value: object, noun: str) -> str:
    """The value with surrounding whitespace removed; non-strings are invalid, not crashes."""
    if not isinstance(value, str):
        raise _invalid(noun, value)
    return value.strip()


# ORCID -----------------------------------------------------------------------------------------

_ORCID_PREFIX = re.compile(r"^(?:(?:https?://)?(?:www\.|sandbox\.)?orcid\.org/|orcid:)", re.I)
# Either all three hyphens in place or none; [0-9] rather than \d so other scripts' digits fail.
_ORCID_BODY = re.compile(r"[0-9]{4}(-?)[0-9]{4}\1[0-9]{4}\1[0-9]{3}[0-9X]")


def orcid_checksum(base15: str) -> str:
    """ISO 7064 MOD 11-2 check character ("0"-"9" or "X") for the first 15 digits of an iD."""
    if not re.fullmatch(r"[0-9]{15}", base15):
        raise _invalid("the 15 leading digits of an ORCID iD", base15)
    total = 0
    for digit in base15:
        total = (total + int(digit)) * 2
    remainder = (12 - total % 11) % 11
    return "X" if remainder == 10 else str(remainder)


def normalize_orcid(value: str) -> str:
    """`0000-0002-1825-0097` from a bare iD (hyphens optional, x any case) or an orcid.org URL.

    Sandbox URLs are accepted and give the same bare iD: the caller decides whether a sandbox
    record is acceptable. Issued ranges are not checked (docs section 3: don't assume a prefix).
    """
    text = _ORCID_PREFIX.sub("", _clean(value, "an ORCID iD"), count=1).upper()
    if not _ORCID_BODY.fullmatch(text):
        raise _invalid("an ORCID iD", value)
    digits = text.replace("-", "")
    if orcid_checksum(digits[:15]) != digits[15]:
        raise _invalid("an ORCID iD", value, "the check digit does not match")
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def is_valid_orcid(value: str) -> bool:
    """True if `normalize_orcid` accepts the value."""
    try:
        normalize_orcid(value)
    except InvalidIdentifier:
        return False
    return True


# DOI -------------------------------------------------------------------------------------------

_DOI_PREFIX = re.compile(r"^(?:doi:\s*|(?:https?://)?(?:dx\.|www\.)?doi\.org/)", re.I)
_DOI = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/[^\s\x00-\x1f\x7f]+")
_XML_ENTITIES = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&amp;": "&"}


def _unescape_xml(text: str) -> str:
    """Undo XML escaping, repeatedly, as ORCID's DOINormalizer does for double-escaped text."""
    previous = None
    while text != previous:
        previous = text
        for entity, char in _XML_ENTITIES.items():
            text = text.replace(entity, char)
    return text


def normalize_doi(value: str) -> str:
    """`10.<registrant>/<suffix>`, lower-cased (DOIs are case-insensitive).

    Strips surrounding whitespace, XML escaping, one level of percent-encoding, a `doi:` prefix
    or a doi.org / dx.doi.org resolver URL. Nothing else is removed: `.`, `,`, `;` and `)` are
    legal suffix characters, so a trailing one is kept and `10.1234/abc.` stays distinct from
    `10.1234/abc`. Pulling DOIs out of running text is a job for the caller, not for this key.
    """
    text = unquote(_unescape_xml(_clean(value, "a DOI"))).strip()
    doi = _DOI_PREFIX.sub("", text, count=1).lower()
    if not _DOI.fullmatch(doi):
        raise _invalid("a DOI", value)
    return doi


# arXiv -----------------------------------------------------------------------------------------

_ARXIV_PREFIX = re.compile(
    r"""^(?:
        arxiv:\s*
      | oai:arxiv\.org:
      | (?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/
      | (?:doi:\s*|(?:https?://)?(?:dx\.|www\.)?doi\.org/)?10\.48550/arxiv\.
    )""",
    re.I | re.X,
)
_ARXIV_ID = re.compile(
    r"""(?:
        (?P<yymm>[0-9]{4})\.(?P<seq>[0-9]{4,5})
      | (?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.[a-z]{2})?/(?P<old>[0-9]{7})
    )(?:v(?P<version>[1-9][0-9]*))?(?:\.pdf)?""",
    re.I | re.X,
)


def _arxiv_date_ok(match: re.Match[str]) -> bool:
    """New ids: 4-digit sequence 0704-1412, 5-digit from 1501. Old ids: 9107-0703."""
    yymm = match["yymm"] or match["old"][:4]
    if not 1 <= int(yymm[2:]) <= 12:
        return False
    if match["old"]:
        return yymm >= "9107" or yymm <= "0703"
    if yymm < "0704":
        return False
    return len(match["seq"]) == (4 if yymm <= "1412" else 5)


def _parse_arxiv(value: str) -> tuple[str, int | None]:
    """(versionless id, version or None) from any accepted arXiv spelling."""
    text = _ARXIV_PREFIX.sub("", _clean(value, "an arXiv id"), count=1)
    match = _ARXIV_ID.fullmatch(text)
    if not match or not _arxiv_date_ok(match):
        raise _invalid("an arXiv id", value)
    if match["old"]:
        arxiv_id = f"{match['archive'].lower()}/{match['old']}"
    else:
        arxiv_id = f"{match['yymm']}.{match['seq']}"
    return arxiv_id, int(match["version"]) if match["version"] else None


def normalize_arxiv_id(value: str) -> str:
    """The versionless id: `2401.01234`, or `astro-ph/0601001` for the pre-2007 scheme.

    Accepts `arXiv:` and `oai:arXiv.org:` prefixes, arxiv.org /abs/ and /pdf/ URLs (also
    export.arxiv.org, with or without `.pdf`) and the DataCite DOI `10.48550/arXiv.<id>`.
    An old-style subject class is dropped (`math.GT/0309136` gives `math/0309136`): arXiv's
    preferred external form omits it and the number is unique within the archive, so both
    spellings name one article. Archives are lower-case, as arXiv writes them.
    """
    return _parse_arxiv(value)[0]


def arxiv_version(value: str) -> int | None:
    """The version number (`2401.01234v2` gives 2), or None when the id names the article."""
    return _parse_arxiv(value)[1]


def arxiv_id_from_doi(doi: str) -> str | None:
    """The arXiv id behind a `10.48550/arxiv.<id>` DOI; None for any other DOI.

    Raises InvalidIdentifier if `doi` is not a DOI, or is an arXiv DOI with a malformed id.
    """
    normalized = normalize_doi(doi)
    if not normalized.startswith("10.48550/arxiv."):
        return None
    return normalize_arxiv_id(normalized)


# OpenAlex --------------------------------------------------------------------------------------

OPENALEX_KINDS = {
    "W": "work",
    "A": "author",
    "S": "source",
    "I": "institution",
    "T": "topic",
    "F": "funder",
    "P": "publisher",
    "C": "concept",
}
_OPENALEX = re.compile(
    r"(?:(?:https?://)?(?:api\.)?openalex\.org/(?:(?P<plural>[a-z]+)/)?)?(?P<key>[a-z][1-9][0-9]*)",
    re.I,
)


def _openalex_key(value: str) -> str:
    """The upper-cased key of a known entity type; a URL's entity path must agree with it."""
    match = _OPENALEX.fullmatch(_clean(value, "an OpenAlex id"))
    key = match["key"].upper() if match else ""
    kind = OPENALEX_KINDS.get(key[:1])
    plural = match["plural"] if match else None
    if not kind or (plural and plural.lower() != f"{kind}s"):
        raise _invalid("an OpenAlex id", value)
    return key


def normalize_openalex_id(value: str, kind: str | None = None) -> str:
    """The bare key (`W2741809807`) from a key in any case or an openalex.org URL.

    With `kind` ("work", "author", ...) the type letter must match. Ids without a letter key
    (keywords, domains, fields, subfields) are rejected.
    """
    if kind is not None and kind not in OPENALEX_KINDS.values():
        raise ValueError(f"unknown OpenAlex kind: {kind!r}")
    key = _openalex_key(value)
    found = OPENALEX_KINDS[key[0]]
    if kind is not None and found != kind:
        raise _invalid(f"an OpenAlex {kind} id", value, f"it is a {found} id")
    return key


def openalex_kind(key: str) -> str:
    """The entity kind ("work", "author", ...) of any spelling `normalize_openalex_id` accepts."""
    return OPENALEX_KINDS[normalize_openalex_id(key)[0]]


# ROR -------------------------------------------------------------------------------------------

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
_ROR = re.compile(
    r"(?:(?:https?://)?(?:www\.)?ror\.org/|ror:)?(?P<id>0(?P<body>[0-9a-hjkmnp-tv-z]{6})[0-9]{2})",
    re.I,
)


def _ror_checksum(body: str) -> str:
    """ISO 7064 MOD 97-10 check digits over the Crockford base32 value of the 6-char body."""
    number = 0
    for char in body:
        number = number * 32 + _CROCKFORD.index(char)
    return f"{98 - (number * 100) % 97:02d}"


def normalize_ror(value: str) -> str:
    """The bare lower-case 9-character ROR id (`05ppvf150`) from a bare id or ror.org URL.

    Crockford's look-alike letters (i, l, o, u) are rejected rather than mapped to digits.
    """
    match = _ROR.fullmatch(_clean(value, "a ROR id"))
    if not match:
        raise _invalid("a ROR id", value)
    ror_id = match["id"].lower()
    if _ror_checksum(ror_id[1:7]) != ror_id[7:]:
        raise _invalid("a ROR id", value, "the check digits do not match")
    return ror_id


# Where a reader can look a work up by each of its identifiers. A key without a resolver (MAG,
# a publisher's own id) is shown as text.
WORK_ID_LINKS = {
    "pmid": ("PubMed", "https://pubmed.ncbi.nlm.nih.gov/{}/"),
    "pmcid": ("PMC", "https://www.ncbi.nlm.nih.gov/pmc/articles/{}/"),
    "mag": ("MAG", None),
    "version-of:doi": ("Other version, DOI", "https://doi.org/{}"),
    "version-of:arxiv": ("Other version, arXiv", "https://arxiv.org/abs/{}"),
}


def work_id_links(
    openalex_id: str | None, other_ids: dict[str, str]
) -> list[tuple[str, str, str | None]]:
    """(label, value, url or None) for a work's identifiers beyond DOI and arXiv id, in a
    fixed order: OpenAlex, then the WORK_ID_LINKS keys, then any other key by name."""
    found: list[tuple[str, str, str | None]] = []
    if openalex_id:
        found.append(("OpenAlex", openalex_id, f"https://openalex.org/{openalex_id}"))
    known = [k for k in WORK_ID_LINKS if k in other_ids]
    for key in known + sorted(set(other_ids) - set(WORK_ID_LINKS)):
        value = str(other_ids[key])
        label, pattern = WORK_ID_LINKS.get(key, (key.replace("-", " ").upper(), None))
        found.append((label, value, pattern.format(quote(value, safe="")) if pattern else None))
    return found


# Any of them, as typed into a search box --------------------------------------------------------

_LOOKS_LIKE_DOI = re.compile(r"^(?:doi:|(?:https?://)?(?:dx\.|www\.)?doi\.org/|10\.)", re.I)
_BARE_OPENALEX = re.compile(r"[AW][0-9]{5,}", re.I)  # short keys ("A1") are more likely words


def recognise(text: str) -> tuple[str, str] | None:
    """(kind, canonical id) when `text` is a whole identifier of a record or a work: kind is
    "orcid", "doi", "arxiv" (versionless) or "openalex" (an author or work key). None for
    anything else, so ordinary words go on to name and title search. An arXiv DOI counts as
    an arXiv id."""
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        return None
    if _LOOKS_LIKE_DOI.match(text) and not _ARXIV_PREFIX.match(text):
        return _attempt("doi", normalize_doi, text)
    if "openalex.org" in text.lower() or _BARE_OPENALEX.fullmatch(text):
        found = _attempt("openalex", normalize_openalex_id, text)
        return found if found and found[1][0] in "AW" else None
    return _attempt("orcid", normalize_orcid, text) or _attempt("arxiv", normalize_arxiv_id, text)


def _attempt(kind: str, normalize, text: str) -> tuple[str, str] | None:
    try:
        return kind, normalize(text)
    except InvalidIdentifier:
        return None
