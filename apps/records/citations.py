"""Citation exports (BibTeX, RIS, CSL-JSON): pure functions over plain data.

`Citation` holds what a reference manager needs of one work; `citation_of` builds it from a
Work and its visible authorships, and `FORMATS` renders a list of them. Titles may carry
upstream markup (`<i>E. coli</i>`, `H<sub>2</sub>O`, MathML): nh3 keeps the tags each format
can say (italic, bold, sub- and superscript) and drops the rest, keeping their text; BibTeX
gets them as LaTeX commands with every other character escaped by pylatexenc, CSL-JSON as
the HTML-like tags CSL processors read, RIS as plain text.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3
import rispy
from pylatexenc.latexencode import UnicodeToLatexEncoder

from .names import fold

MAX_AUTHORS = 100  # a 3,000-author byline exports its first 100, then "and others"
MARKUP_TAGS = {"i", "em", "b", "strong", "sub", "sup"}
PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la"}
PARTICLES |= {"le", "ter", "ten", "zu", "bin", "al"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class Name:
    family: str
    given: str = ""


@dataclass(frozen=True)
class Citation:
    key: str
    type: str  # a WorkType value
    title: str  # as stored: may carry markup
    authors: list[Name] = field(default_factory=list)
    more_authors: bool = False
    date: datetime.date | None = None
    precision: str = "year"  # "day", "month" or "year", as Work.date_precision
    year: int | None = None
    venue: str = ""
    doi: str = ""
    arxiv_id: str = ""
    url: str = ""
    abstract: str = ""


def split_name(printed: str) -> Name:
    """ "Ada M. Lindqvist" -> Name("Lindqvist", "Ada M."); "van der Berg, Jan" and
    "Jan van der Berg" -> Name("van der Berg", "Jan"); one word is all family."""
    printed = " ".join(printed.split())
    if printed.count(",") == 1:
        family, given = (part.strip() for part in printed.split(","))
        return Name(family, given)
    words = printed.split(" ")
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in PARTICLES:
        start -= 1
    return Name(" ".join(words[start:]), " ".join(words[:start]))


def citation_of(work, authorships) -> Citation:
    """A Citation for `work`, with `authorships` (visible, in byline order) as its authors."""
    names = [split_name(a.raw_name) for a in authorships[:MAX_AUTHORS]]
    return Citation(
        key=_key(work, names),
        type=work.type,
        title=work.title,
        authors=names,
        more_authors=len(authorships) > MAX_AUTHORS,
        date=work.publication_date,
        precision=work.date_precision if work.publication_date else "year",
        year=work.publication_year,
        venue=work.venue.name if work.venue_id else "",
        doi=work.doi or "",
        arxiv_id=work.arxiv_id or "",
        url=work.landing_url or (f"https://arxiv.org/abs/{work.arxiv_id}" if work.arxiv_id else ""),
        abstract=work.abstract,
    )


def _key(work, names: list[Name]) -> str:
    """ "lindqvist2024federated" plus the work's id, so keys never collide."""
    family = fold(names[0].family).replace(" ", "") if names else "anon"
    words = [w for w in fold(plain_title(work.title)).split() if len(w) > 3]
    return f"{family}{work.publication_year or ''}{words[0] if words else ''}{work.pk}"


# --- Title markup --------------------------------------------------------------------------


class _Tree(HTMLParser):
    """Parses nh3's cleaned title into nested [tag, children] lists and strings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: list = []
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node: list = []
        self.stack[-1].append((tag, node))
        self.stack.append(node)

    def handle_endtag(self, tag):
        if len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].append(data)


def title_tree(title: str) -> list:
    """The title as text and (tag, children) pairs, only MARKUP_TAGS kept."""
    cleaned = nh3.clean(title, tags=MARKUP_TAGS, attributes={}, clean_content_tags={"script"})
    parser = _Tree()
    parser.feed(cleaned)
    parser.close()
    return parser.root


def _render(nodes: list, text, tag) -> str:
    return "".join(
        text(node) if isinstance(node, str) else tag(node[0], _render(node[1], text, tag))
        for node in nodes
    )


def plain_title(title: str) -> str:
    return " ".join(_render(title_tree(title), str, lambda _tag, inner: inner).split())


# --- BibTeX --------------------------------------------------------------------------------

_latex = UnicodeToLatexEncoder(
    non_ascii_only=False, replacement_latex_protection="braces-all", unknown_char_policy="keep"
)
LATEX_TAGS = {"i": "textit", "em": "textit", "b": "textbf", "strong": "textbf"}
LATEX_TAGS |= {"sub": "textsubscript", "sup": "textsuperscript"}
_WORD = re.compile(r"(\s+)")


def latex_escape(text: str) -> str:
    return _latex.unicode_to_latex(text)


def _latex_title_text(text: str) -> str:
    """Escape, and brace words whose capitals must survive a style's case change (DNA, iOS)."""
    parts = []
    for word in _WORD.split(text):
        escaped = latex_escape(word)
        keep_case = sum(ch.isupper() for ch in word) > 1 or any(ch.isupper() for ch in word[1:])
        parts.append(f"{{{escaped}}}" if keep_case and not word.isspace() else escaped)
    return "".join(parts)


def latex_title(title: str) -> str:
    tree = title_tree(" ".join(title.split()))
    return _render(tree, _latex_title_text, lambda tag, inner: f"\\{LATEX_TAGS[tag]}{{{inner}}}")


BIBTEX_TYPES = {"article": "article", "proceedings": "inproceedings"}
BIBTEX_TYPES |= {"book-chapter": "incollection", "dataset": "misc", "preprint": "misc"}
BIBTEX_VENUE = {"article": "journal", "proceedings": "booktitle", "book-chapter": "booktitle"}


def _bibtex_name(name: Name) -> str:
    family = latex_escape(name.family)
    family = f"{{{family}}}" if " " in name.family else family
    return f"{family}, {latex_escape(name.given)}" if name.given else family


def bibtex_entry(c: Citation) -> str:
    fields: list[tuple[str, str]] = []
    names = [_bibtex_name(n) for n in c.authors] + (["others"] if c.more_authors else [])
    if names:
        fields.append(("author", "{" + " and ".join(names) + "}"))
    fields.append(("title", "{" + latex_title(c.title) + "}"))
    if c.venue:
        fields.append((BIBTEX_VENUE.get(c.type, "howpublished"), "{" + latex_escape(c.venue) + "}"))
    if c.year:
        fields.append(("year", f"{{{c.year}}}"))
    if c.date and c.precision in ("day", "month"):
        fields.append(("month", MONTHS[c.date.month - 1]))
    if c.doi:
        fields.append(("doi", "{" + c.doi + "}"))  # verbatim, as biblatex reads it
    if c.arxiv_id:
        fields += [("eprint", "{" + c.arxiv_id + "}"), ("archiveprefix", "{arXiv}")]
    if c.url:
        fields.append(("url", "{" + c.url + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{BIBTEX_TYPES.get(c.type, 'misc')}{{{c.key},\n{body}\n}}\n"


def to_bibtex(citations: list[Citation]) -> str:
    return "\n".join(bibtex_entry(c) for c in citations)


# --- RIS -----------------------------------------------------------------------------------

RIS_TYPES = {"article": "JOUR", "proceedings": "CPAPER", "book-chapter": "CHAP"}
RIS_TYPES |= {"dataset": "DATA", "preprint": "UNPB"}


class _RisWriter(rispy.RisWriter):
    def set_header(self, count: int) -> str:
        return ""  # rispy numbers each reference ("1."), which RIS has no tag for


def ris_record(c: Citation) -> dict:
    record: dict = {"type_of_reference": RIS_TYPES.get(c.type, "GEN")}
    record["title"] = plain_title(c.title)
    record["authors"] = [f"{n.family}, {n.given}" if n.given else n.family for n in c.authors]
    if c.year:
        record["year"] = str(c.year)
    if c.date and c.precision != "year":
        day = f"{c.date.day:02d}" if c.precision == "day" else ""
        record["date"] = f"{c.date.year}/{c.date.month:02d}/{day}"
    if c.venue:
        record["secondary_title"] = c.venue
    if c.doi:
        record["doi"] = c.doi
    if c.url:
        record["urls"] = [c.url]
    if c.abstract:
        record["abstract"] = " ".join(c.abstract.split())
    return {key: value for key, value in record.items() if value != []}


def to_ris(citations: list[Citation]) -> str:
    return _RisWriter().formats([ris_record(c) for c in citations])


# --- CSL-JSON ------------------------------------------------------------------------------

CSL_TYPES = {"article": "article-journal", "proceedings": "paper-conference"}
CSL_TYPES |= {"book-chapter": "chapter", "dataset": "dataset", "preprint": "article"}
CSL_TAGS = {"i": "i", "em": "i", "b": "b", "strong": "b", "sub": "sub", "sup": "sup"}


def csl_title(title: str) -> str:
    tree = title_tree(" ".join(title.split()))
    return _render(tree, str, lambda tag, inner: f"<{CSL_TAGS[tag]}>{inner}</{CSL_TAGS[tag]}>")


def csl_item(c: Citation) -> dict:
    item: dict = {
        "id": c.key,
        "type": CSL_TYPES.get(c.type, "document"),
        "title": csl_title(c.title),
    }
    item["author"] = [
        {"family": n.family, "given": n.given} if n.given else {"literal": n.family}
        for n in c.authors
    ]
    if c.year:
        parts = {"day": 3, "month": 2}.get(c.precision, 1) if c.date else 1
        full = [c.date.year, c.date.month, c.date.day] if c.date else [c.year]
        item["issued"] = {"date-parts": [full[:parts]]}
    optional = {"container-title": c.venue, "DOI": c.doi, "URL": c.url, "abstract": c.abstract}
    item |= {name: value for name, value in optional.items() if value}
    if c.arxiv_id:
        item["number"] = f"arXiv:{c.arxiv_id}"
    return item


def to_csl(citations: list[Citation]) -> str:
    return json.dumps([csl_item(c) for c in citations], ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class Format:
    render: object
    content_type: str
    extension: str


FORMATS = {
    "bibtex": Format(to_bibtex, "application/x-bibtex; charset=utf-8", "bib"),
    "ris": Format(to_ris, "application/x-research-info-systems; charset=utf-8", "ris"),
    "csl": Format(to_csl, "application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}
