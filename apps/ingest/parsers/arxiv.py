"""arXiv API Atom feeds (export.arxiv.org/api/query) parsed into a `Batch`.

Pure functions over the stdlib ElementTree: no Django, no database, no network. ElementTree
never fetches external entities, and a body with a DOCTYPE is refused outright, so internal
entity expansion ("billion laughs") cannot happen either; the API never sends one.

Decisions (see shared/docs/upstream-apis.md sections 7 and 9):

* One WorkRecord per entry, keyed by the versionless arXiv id; `published` (the v1 date) is the
  publication date. Every entry is a preprint, even when a journal version exists.
* `doi` is the journal DOI from `arxiv:doi` only. The DataCite DOI every paper has
  (10.48550/arXiv.<id>) is not invented here: it is derivable from arxiv_id wherever needed,
  and storing it as `doi` would hide the journal DOI that other sources report.
* The venue is the `arxiv:journal_ref` text when the authors gave one, else arXiv itself.
* GitHub, GitLab, Zenodo and Hugging Face links in `arxiv:comment` and the abstract become
  the work's `links` (shown as found there; the holder removes one that is not theirs).
  `code_url` stays None: a link found in text is not asserted to be the authors' code.
* Topics are the arXiv categories, primary first. Other classification codes that arXiv lists
  as categories (ACM "I.2.6", MSC "68T05") are left out: they are not arXiv categories.
* An entry without a usable id is counted in `Batch.skipped`.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

from apps.ingest import normalized
from apps.ingest.normalized import AuthorRef, Batch, ParseError, WorkRecord
from apps.ingest.parsers._coerce import as_id, first_id, squash
from apps.records.identifiers import normalize_arxiv_id, normalize_doi
from apps.records.links import links_in_text

SOURCE = "arxiv"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
ARXIV_REPOSITORY = normalized.VenueRecord(name="arXiv", kind="repository")

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
# arXiv category codes: an archive ("hep-th", "astro-ph") optionally with a subject class
# ("cs.DC", "cond-mat.stat-mech"). ACM and MSC codes start with a capital or a digit.
_CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?")

# Official names from the arXiv category taxonomy (arXiv/arxiv-base arxiv/taxonomy), including
# the bare archive names that old papers carry as categories.
ARXIV_CATEGORY_NAMES: dict[str, str] = {
    # Computer Science
    "cs.AI": "Artificial Intelligence",
    "cs.AR": "Hardware Architecture",
    "cs.CC": "Computational Complexity",
    "cs.CE": "Computational Engineering, Finance, and Science",
    "cs.CG": "Computational Geometry",
    "cs.CL": "Computation and Language",
    "cs.CR": "Cryptography and Security",
    "cs.CV": "Computer Vision and Pattern Recognition",
    "cs.CY": "Computers and Society",
    "cs.DB": "Databases",
    "cs.DC": "Distributed, Parallel, and Cluster Computing",
    "cs.DL": "Digital Libraries",
    "cs.DM": "Discrete Mathematics",
    "cs.DS": "Data Structures and Algorithms",
    "cs.ET": "Emerging Technologies",
    "cs.FL": "Formal Languages and Automata Theory",
    "cs.GL": "General Literature",
    "cs.GR": "Graphics",
    "cs.GT": "Computer Science and Game Theory",
    "cs.HC": "Human-Computer Interaction",
    "cs.IR": "Information Retrieval",
    "cs.IT": "Information Theory",
    "cs.LG": "Machine Learning",
    "cs.LO": "Logic in Computer Science",
    "cs.MA": "Multiagent Systems",
    "cs.MM": "Multimedia",
    "cs.MS": "Mathematical Software",
    "cs.NA": "Numerical Analysis",
    "cs.NE": "Neural and Evolutionary Computing",
    "cs.NI": "Networking and Internet Architecture",
    "cs.OH": "Other Computer Science",
    "cs.OS": "Operating Systems",
    "cs.PF": "Performance",
    "cs.PL": "Programming Languages",
    "cs.RO": "Robotics",
    "cs.SC": "Symbolic Computation",
    "cs.SD": "Sound",
    "cs.SE": "Software Engineering",
    "cs.SI": "Social and Information Networks",
    "cs.SY": "Systems and Control",
    # Economics
    "econ.EM": "Econometrics",
    "econ.GN": "General Economics",
    "econ.TH": "Theoretical Economics",
    # Electrical Engineering and Systems Science
    "eess.AS": "Audio and Speech Processing",
    "eess.IV": "Image and Video Processing",
    "eess.SP": "Signal Processing",
    "eess.SY": "Systems and Control",
    # Mathematics
    "math.AC": "Commutative Algebra",
    "math.AG": "Algebraic Geometry",
    "math.AP": "Analysis of PDEs",
    "math.AT": "Algebraic Topology",
    "math.CA": "Classical Analysis and ODEs",
    "math.CO": "Combinatorics",
    "math.CT": "Category Theory",
    "math.CV": "Complex Variables",
    "math.DG": "Differential Geometry",
    "math.DS": "Dynamical Systems",
    "math.FA": "Functional Analysis",
    "math.GM": "General Mathematics",
    "math.GN": "General Topology",
    "math.GR": "Group Theory",
    "math.GT": "Geometric Topology",
    "math.HO": "History and Overview",
    "math.IT": "Information Theory",
    "math.KT": "K-Theory and Homology",
    "math.LO": "Logic",
    "math.MG": "Metric Geometry",
    "math.MP": "Mathematical Physics",
    "math.NA": "Numerical Analysis",
    "math.NT": "Number Theory",
    "math.OA": "Operator Algebras",
    "math.OC": "Optimization and Control",
    "math.PR": "Probability",
    "math.QA": "Quantum Algebra",
    "math.RA": "Rings and Algebras",
    "math.RT": "Representation Theory",
    "math.SG": "Symplectic Geometry",
    "math.SP": "Spectral Theory",
    "math.ST": "Statistics Theory",
    # Astrophysics
    "astro-ph": "Astrophysics",
    "astro-ph.CO": "Cosmology and Nongalactic Astrophysics",
    "astro-ph.EP": "Earth and Planetary Astrophysics",
    "astro-ph.GA": "Astrophysics of Galaxies",
    "astro-ph.HE": "High Energy Astrophysical Phenomena",
    "astro-ph.IM": "Instrumentation and Methods for Astrophysics",
    "astro-ph.SR": "Solar and Stellar Astrophysics",
    # Condensed Matter
    "cond-mat": "Condensed Matter",
    "cond-mat.dis-nn": "Disordered Systems and Neural Networks",
    "cond-mat.mes-hall": "Mesoscale and Nanoscale Physics",
    "cond-mat.mtrl-sci": "Materials Science",
    "cond-mat.other": "Other Condensed Matter",
    "cond-mat.quant-gas": "Quantum Gases",
    "cond-mat.soft": "Soft Condensed Matter",
    "cond-mat.stat-mech": "Statistical Mechanics",
    "cond-mat.str-el": "Strongly Correlated Electrons",
    "cond-mat.supr-con": "Superconductivity",
    # Physics archives without subject classes
    "gr-qc": "General Relativity and Quantum Cosmology",
    "hep-ex": "High Energy Physics - Experiment",
    "hep-lat": "High Energy Physics - Lattice",
    "hep-ph": "High Energy Physics - Phenomenology",
    "hep-th": "High Energy Physics - Theory",
    "math-ph": "Mathematical Physics",
    "nucl-ex": "Nuclear Experiment",
    "nucl-th": "Nuclear Theory",
    "quant-ph": "Quantum Physics",
    # Nonlinear Sciences
    "nlin.AO": "Adaptation and Self-Organizing Systems",
    "nlin.CD": "Chaotic Dynamics",
    "nlin.CG": "Cellular Automata and Lattice Gases",
    "nlin.PS": "Pattern Formation and Solitons",
    "nlin.SI": "Exactly Solvable and Integrable Systems",
    # Physics
    "physics.acc-ph": "Accelerator Physics",
    "physics.ao-ph": "Atmospheric and Oceanic Physics",
    "physics.app-ph": "Applied Physics",
    "physics.atm-clus": "Atomic and Molecular Clusters",
    "physics.atom-ph": "Atomic Physics",
    "physics.bio-ph": "Biological Physics",
    "physics.chem-ph": "Chemical Physics",
    "physics.class-ph": "Classical Physics",
    "physics.comp-ph": "Computational Physics",
    "physics.data-an": "Data Analysis, Statistics and Probability",
    "physics.ed-ph": "Physics Education",
    "physics.flu-dyn": "Fluid Dynamics",
    "physics.gen-ph": "General Physics",
    "physics.geo-ph": "Geophysics",
    "physics.hist-ph": "History and Philosophy of Physics",
    "physics.ins-det": "Instrumentation and Detectors",
    "physics.med-ph": "Medical Physics",
    "physics.optics": "Optics",
    "physics.plasm-ph": "Plasma Physics",
    "physics.pop-ph": "Popular Physics",
    "physics.soc-ph": "Physics and Society",
    "physics.space-ph": "Space Physics",
    # Quantitative Biology
    "q-bio": "Quantitative Biology",
    "q-bio.BM": "Biomolecules",
    "q-bio.CB": "Cell Behavior",
    "q-bio.GN": "Genomics",
    "q-bio.MN": "Molecular Networks",
    "q-bio.NC": "Neurons and Cognition",
    "q-bio.OT": "Other Quantitative Biology",
    "q-bio.PE": "Populations and Evolution",
    "q-bio.QM": "Quantitative Methods",
    "q-bio.SC": "Subcellular Processes",
    "q-bio.TO": "Tissues and Organs",
    # Quantitative Finance
    "q-fin.CP": "Computational Finance",
    "q-fin.EC": "Economics",
    "q-fin.GN": "General Finance",
    "q-fin.MF": "Mathematical Finance",
    "q-fin.PM": "Portfolio Management",
    "q-fin.PR": "Pricing of Securities",
    "q-fin.RM": "Risk Management",
    "q-fin.ST": "Statistical Finance",
    "q-fin.TR": "Trading and Market Microstructure",
    # Statistics
    "stat.AP": "Applications",
    "stat.CO": "Computation",
    "stat.ME": "Methodology",
    "stat.ML": "Machine Learning",
    "stat.OT": "Other Statistics",
    "stat.TH": "Statistics Theory",
    # Archives retired in the 1990s, still the categories of their papers
    "acc-phys": "Accelerator Physics",
    "adap-org": "Adaptation, Noise, and Self-Organizing Systems",
    "alg-geom": "Algebraic Geometry",
    "ao-sci": "Atmospheric-Oceanic Sciences",
    "atom-ph": "Atomic, Molecular and Optical Physics",
    "bayes-an": "Bayesian Analysis",
    "chao-dyn": "Chaotic Dynamics",
    "chem-ph": "Chemical Physics",
    "cmp-lg": "Computation and Language",
    "comp-gas": "Cellular Automata and Lattice Gases",
    "dg-ga": "Differential Geometry",
    "funct-an": "Functional Analysis",
    "mtrl-th": "Materials Theory",
    "patt-sol": "Pattern Formation and Solitons",
    "plasm-ph": "Plasma Physics",
    "q-alg": "Quantum Algebra and Topology",
    "solv-int": "Exactly Solvable and Integrable Systems",
    "supr-con": "Superconductivity",
}


def parse(body: bytes | str) -> Batch:
    """The works in one arXiv Atom feed; ParseError for arXiv's error feed or a non-feed."""
    feed = _load(body)
    entries = feed.findall("atom:entry", NS)
    _raise_for_error(entries)
    batch = Batch(total=_total(feed))
    for entry in entries:
        batch.add_work(_work(entry))
    return batch


# Feed ----------------------------------------------------------------------------------------


def _load(body: bytes | str) -> ET.Element:
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if _DOCTYPE.search(raw):
        raise ParseError("arXiv: body has a DOCTYPE declaration; the API never sends one")
    try:
        # Safe without defusedxml: no DOCTYPE means no entity declarations to expand, and
        # ElementTree never resolves external ones.
        root = ET.fromstring(raw)  # noqa: S314
    except ET.ParseError as exc:
        raise ParseError(f"arXiv: malformed XML ({exc})") from None
    if root.tag != f"{{{NS['atom']}}}feed":
        raise ParseError(f"arXiv: expected an Atom feed, got <{root.tag}>")
    return root


def _raise_for_error(entries: list[ET.Element]) -> None:
    """arXiv answers a bad query (HTTP 400) with a feed whose one entry is the error."""
    if len(entries) != 1:
        return
    entry = entries[0]
    if _text(entry, "atom:title") == "Error" and "/api/errors" in (_text(entry, "atom:id") or ""):
        raise ParseError(f"arXiv: {_text(entry, 'atom:summary') or 'unspecified error'}")


def _total(feed: ET.Element) -> int | None:
    try:
        return int(_text(feed, "opensearch:totalResults") or "")
    except ValueError:
        return None


# Entries -------------------------------------------------------------------------------------


def _work(entry: ET.Element) -> WorkRecord | None:
    arxiv_id = _arxiv_id(_text(entry, "atom:id"))
    if arxiv_id is None:
        return None
    published = _day(_text(entry, "atom:published"))
    journal_ref = _text(entry, "arxiv:journal_ref")
    return WorkRecord(
        source=SOURCE,
        source_key=arxiv_id,
        title=_text(entry, "atom:title"),
        abstract=_text(entry, "atom:summary"),
        type="preprint",
        publication_date=published,
        date_precision="day" if published else None,
        venue=normalized.VenueRecord(name=journal_ref) if journal_ref else ARXIV_REPOSITORY,
        doi=_journal_doi(_text(entry, "arxiv:doi")),
        arxiv_id=arxiv_id,
        landing_url=f"https://arxiv.org/abs/{arxiv_id}",
        pdf_url=_pdf_url(entry),
        authors=[_author(node, position) for position, node in enumerate(_authors(entry))],
        complete_byline=True,
        topics=_topics(entry),
        links=links_in_text(_text(entry, "arxiv:comment"), _text(entry, "atom:summary")),
        source_updated=normalized.iso_utc(_text(entry, "atom:updated")),
    )


def _arxiv_id(url: str | None) -> str | None:
    """The versionless id from the entry's abs URL (new-style or old-style, any version)."""
    return as_id(normalize_arxiv_id, url) if url else None


def _journal_doi(text: str | None) -> str | None:
    """The first well-formed DOI: the field is free text and occasionally lists several."""
    return first_id(normalize_doi, (text or "").split())


def _day(timestamp: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((timestamp or "")[:10])
    except ValueError:
        return None


def _pdf_url(entry: ET.Element) -> str | None:
    for link in entry.findall("atom:link", NS):
        if link.get("title") == "pdf" and link.get("href"):
            return link.get("href")
    return None


def _authors(entry: ET.Element) -> list[ET.Element]:
    return [node for node in entry.findall("atom:author", NS) if _text(node, "atom:name")]


def _author(node: ET.Element, position: int) -> AuthorRef:
    affiliations = [squash(a.text or "") for a in node.findall("arxiv:affiliation", NS)]
    return AuthorRef(
        raw_name=_text(node, "atom:name") or "",
        position=position,
        institutions=[normalized.InstitutionRecord(name=name) for name in affiliations if name],
    )


def _topics(entry: ET.Element) -> list[normalized.TopicRecord]:
    """arXiv categories, the primary one first, each once."""
    primary = entry.find("arxiv:primary_category", NS)
    terms = [primary.get("term")] if primary is not None else []
    terms += [node.get("term") for node in entry.findall("atom:category", NS)]
    codes = dict.fromkeys(t.strip() for t in terms if t and _CATEGORY.fullmatch(t.strip()))
    return [
        normalized.TopicRecord(name=ARXIV_CATEGORY_NAMES.get(code, code), code=code)
        for code in codes
    ]


# Helpers -------------------------------------------------------------------------------------


def _text(node: ET.Element, path: str) -> str | None:
    """The child's text with whitespace runs collapsed (titles and abstracts are hard-wrapped)."""
    child = node.find(path, NS)
    text = squash(child.text or "") if child is not None else ""
    return text or None
