"""The SQL of staging a works partition in the database (jsonstage): the parser's rules
(parsers/openalex.py) for the common spellings of each field, as set-based SQL over the
partition's lines COPYed into s_line as jsonb.

Each rule covers the spelling OpenAlex writes (`https://openalex.org/W1`, a lower-case
`https://doi.org/10.…` DOI, `YYYY-MM-DD` dates, text without markup or entities, …). A line
with any field outside what these rules cover is marked `py` and parsed again by the Python
parser itself, so every rule the SQL does not spell out still comes from one place.
"""

from __future__ import annotations

import re

from apps.ingest.importer.authors import MAX_MERGE_HOPS
from apps.records.models import WorkType

# Python's `\s` (str.isspace): what as_text collapses and strips.
WS_CHARS = "".join(chr(c) for c in range(0x110000) if re.match(r"\s", chr(c)))
OA = "https://openalex.org/"
PARAMS = {
    "ws": f"[{WS_CHARS}]+",
    # what rebuild_abstract's strip() and unescape_entities would still change
    "abstract_odd": f"&|^[{WS_CHARS}]|[{WS_CHARS}]$",
    "markup": "[<&]",
    "work_key": r"^https://openalex\.org/W[1-9][0-9]*$",
    "author_key": r"^https://openalex\.org/A[1-9][0-9]*$",
    "source_key": r"^https://openalex\.org/S[1-9][0-9]*$",
    "inst_key": r"^https://openalex\.org/I[1-9][0-9]*$",
    "topic_key": r"^https://openalex\.org/T[1-9][0-9]*$",
    # ASCII only, and no % or & (normalize_doi unquotes and unescapes those)
    "doi": r"^https://doi\.org/10\.[0-9]{4,9}(\.[0-9]+)*/[!-$'-~]+$",
    "orcid": r"^https://orcid\.org/[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$",
    "ror": r"^https://ror\.org/0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}$",
    "day": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "stamp": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?)?$",
    "integer": r"^-?[0-9]+$",
    "url": f"^([a-z][a-z0-9+.-]*://|www\\.)[^{WS_CHARS}]+$",
    # arxiv ids and code/data links hide in location addresses (_arxiv_from_work, _links)
    "location_hint": r"arxiv|github\.com|gitlab\.com|zenodo\.org|huggingface\.co|10\.5281|%",
    "ascii": r"^[ -~]*$",
    "work_types": list(WorkType.values),
    "null_author": "A9999999999",
    "hops": MAX_MERGE_HOPS,
}


def _string(j: str) -> str:
    j = f"({j})"
    return f"(CASE WHEN jsonb_typeof({j}) = 'string' THEN {j} #>> '{{}}' END)"


def _text(j: str) -> str:
    """as_text: whitespace runs collapsed, ends stripped, '' as NULL; NULL for non-strings."""
    s = _string(j)
    return f"NULLIF(btrim(regexp_replace({s}, %(ws)s, ' ', 'g'), ' '), '')"


def _odd_string(j: str, pattern: str) -> str:
    """A string the fast rule does not cover (the line goes to the Python parser)."""
    j = f"({j})"
    return f"coalesce(jsonb_typeof({j}) = 'string' AND NOT ({j} #>> '{{}}') ~ %({pattern})s, false)"


def _key(j: str, pattern: str) -> str:
    """The bare OpenAlex key of a canonical openalex.org URL."""
    j = f"({j})"
    return (
        f"(CASE WHEN ({_string(j)}) ~ %({pattern})s THEN substr({j} #>> '{{}}', {len(OA) + 1}) END)"
    )


def _obj(j: str) -> str:
    j = f"({j})"
    return f"(CASE WHEN jsonb_typeof({j}) = 'object' THEN {j} ELSE '{{}}'::jsonb END)"


def _arr(j: str) -> str:
    j = f"({j})"
    return f"(CASE WHEN jsonb_typeof({j}) = 'array' THEN {j} ELSE '[]'::jsonb END)"


def _int(j: str) -> str:
    """as_int: a JSON integer (jsonb keeps `1.0` as written, so it is not one)."""
    j = f"({j})"
    return (
        f"(CASE WHEN jsonb_typeof({j}) = 'number' AND {j}::text ~ %(integer)s "
        f"THEN {j}::text::numeric END)"
    )


def _date(s: str) -> str:
    """`s` (YYYY-MM-DD…) as a date when its first ten characters are a real day, else NULL."""
    y, m, d = f"substr({s}, 1, 4)", f"substr({s}, 6, 2)", f"substr({s}, 9, 2)"
    last = (
        f"extract(day from date_trunc('month', make_date({y}::int, {m}::int, 1)) "
        "+ interval '1 month - 1 day')::int"
    )
    return (
        f"(CASE WHEN {y} <> '0000' AND {m} BETWEEN '01' AND '12' AND {d} >= '01' THEN "
        f"CASE WHEN {d}::int <= {last} THEN left({s}, 10)::date END END)"
    )


def _orcid_ok(bare: str) -> str:
    """ISO 7064 MOD 11-2 over the 15 digits of a hyphenated iD (orcid_checksum)."""
    digits = f"replace({bare}, '-', '')"
    total = " + ".join(f"substr({digits}, {i}, 1)::int * {2 ** (16 - i)}" for i in range(1, 16))
    check = f"mod(12 - mod({total}, 11), 11)"
    return f"(CASE {check} WHEN 10 THEN 'X' ELSE ({check})::text END) = substr({digits}, 16, 1)"


def _ror_ok(bare: str) -> str:
    """ISO 7064 MOD 97-10 over the Crockford base32 body of a ROR id (_ror_checksum)."""
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    number = " + ".join(
        f"(strpos('{alphabet}', substr({bare}, {i + 2}, 1)) - 1)::bigint * {32 ** (5 - i)}"
        for i in range(6)
    )
    return f"lpad((98 - mod(({number}) * 100, 97))::text, 2, '0') = substr({bare}, 8, 2)"


def _last_segment(j: str) -> str:
    """_last_segment: a string's or an integer's text after its last "/" (trailing ones cut)."""
    j = f"({j})"
    text = (
        f"(CASE WHEN jsonb_typeof({j}) = 'string' THEN {j} #>> '{{}}' "
        f"WHEN jsonb_typeof({j}) = 'number' AND {j}::text ~ %(integer)s THEN {j}::text END)"
    )
    return f"NULLIF(regexp_replace(rtrim({text}, '/'), '^.*/', ''), '')"


def _odd_ids(idset: str) -> str:
    """Work ids the fast rules leave to Python: booleans (Python's True is the integer 1),
    text with whitespace in it (as_text would collapse it), a PMCID in other scripts."""
    checks = []
    for name in ("mag", "pmid", "pmcid"):
        j = f"{idset}->'{name}'"
        checks.append(f"jsonb_typeof({j}) = 'boolean'")
        checks.append(f"coalesce(jsonb_typeof({j}) = 'string' AND {j} #>> '{{}}' ~ %(ws)s, false)")
    checks.append(f"coalesce(NOT ({idset}->>'pmcid') ~ %(ascii)s, false)")
    return "(" + " OR ".join(checks) + ")"


# The partition's lines, and what the Python parser's records hold, per line ---------------------

# The lines go into an UNLOGGED table (named for the backend, dropped with the partition's
# staging): in shared buffers, where a TEMP table of a 300 MB partition would spill out of
# temp_buffers. Stored uncompressed, as each line is read once, right after.
LINES = """
CREATE UNLOGGED TABLE {table} (line bigint GENERATED ALWAYS AS IDENTITY, doc jsonb);
ALTER TABLE {table} ALTER COLUMN doc SET STORAGE EXTERNAL
"""
# Text format, each backslash doubled on the way (jsonstage.as_copy_text): the server reads it
# faster than CSV with quote and delimiter bytes JSON never holds, which would need no escaping
# (docs/benchmarks.md, "Staging in the database").
COPY_LINES = "COPY {table} (doc) FROM STDIN"

PARSED = """
CREATE TEMP TABLE p_work (
    line bigint, py boolean, usable boolean, key text, title text, title_markup text,
    abstract text, type text, publication_date date, date_precision text, venue_name text,
    venue_oa text, venue_issn text, venue_kind text, doi text, arxiv_id text, other_ids jsonb,
    landing_url text, pdf_url text, code_url text, citation_count numeric, has_refs boolean,
    complete_byline boolean, source_updated text, fields jsonb
) ON COMMIT DROP;
CREATE TEMP TABLE p_ref (
    line bigint, position int, raw_name text, orcid text, oa text, display_name text
) ON COMMIT DROP;
CREATE TEMP TABLE p_inst (
    line bigint, position int, idx int, name text, ror text, oa text, country text
) ON COMMIT DROP;
CREATE TEMP TABLE p_topic (line bigint, idx int, name text, oa text) ON COMMIT DROP
"""
PARSED_TABLES = ("p_work", "p_ref", "p_inst", "p_topic")

_ORCID_RAW = _string("au->'orcid'")
_ROR_RAW = _string("i->'ror'")
_PUB = _string("publication_date")
_UPD = _string("updated_date")
_SQ_T1, _SQ_T2 = _string("title"), _string("display_name")

EXTRACT = f"""
WITH d AS MATERIALIZED (
    SELECT l.line, jsonb_typeof(l.doc) = 'object' AS obj, r.*
    FROM s_line l,
    jsonb_to_record(CASE WHEN jsonb_typeof(l.doc) = 'object' THEN l.doc ELSE '{{}}' END) AS r(
        id jsonb, ids jsonb, doi jsonb, title jsonb, display_name jsonb, publication_date jsonb,
        publication_year jsonb, primary_location jsonb, best_oa_location jsonb,
        locations jsonb, type jsonb, type_crossref jsonb, authorships jsonb,
        is_authors_truncated jsonb, cited_by_count jsonb, topics jsonb,
        abstract_inverted_index jsonb, updated_date jsonb)
    WHERE l.doc IS NOT NULL
),
refs AS MATERIALIZED (
    SELECT d.line, (e.n - 1)::int AS position, e.a, {_obj("e.a->'author'")} AS au
    FROM d, jsonb_array_elements({_arr("d.authorships")}) WITH ORDINALITY AS e(a, n)
    WHERE jsonb_typeof(e.a) = 'object'
),
ref_rows AS MATERIALIZED (
    SELECT line, position,
        coalesce({_text("a->'raw_author_name'")}, {_text("au->'display_name'")}, '') AS raw_name,
        CASE WHEN {_ORCID_RAW} ~ %(orcid)s AND {_orcid_ok(f"substr({_ORCID_RAW}, 19)")}
            THEN substr({_ORCID_RAW}, 19) END AS orcid,
        NULLIF({_key("au->'id'", "author_key")}, %(null_author)s) AS oa,
        {_text("au->'display_name'")} AS display_name,
        {_odd_string("au->'orcid'", "orcid")} OR {_odd_string("au->'id'", "author_key")} AS py
    FROM refs
),
insts AS MATERIALIZED (
    SELECT r.line, r.position, (e.n - 1)::int AS idx, {_obj("e.i")} AS i
    FROM refs r, jsonb_array_elements({_arr("r.a->'institutions'")}) WITH ORDINALITY AS e(i, n)
),
inst_rows AS MATERIALIZED (
    SELECT line, position, idx, {_text("i->'display_name'")} AS name,
        CASE WHEN {_ROR_RAW} ~ %(ror)s AND {_ror_ok(f"substr({_ROR_RAW}, 17)")}
            THEN substr({_ROR_RAW}, 17) END AS ror,
        {_key("i->'id'", "inst_key")} AS oa, coalesce({_text("i->'country_code'")}, '') AS country,
        {_odd_string("i->'ror'", "ror")} OR {_odd_string("i->'id'", "inst_key")} AS py
    FROM insts
),
topic_rows AS MATERIALIZED (
    SELECT d.line, (e.n - 1)::int AS idx, {_text("e.t->'display_name'")} AS name,
        {_key("e.t->'id'", "topic_key")} AS oa, {_odd_string("e.t->'id'", "topic_key")} AS py
    FROM d, jsonb_array_elements({_arr("d.topics")}) WITH ORDINALITY AS e(t, n)
    WHERE jsonb_typeof(e.t) = 'object'
),
bylines AS (
    SELECT line, bool_or(py) AS py,
        jsonb_agg(jsonb_build_array(raw_name, position, orcid, oa) ORDER BY position) AS full_,
        jsonb_agg(jsonb_build_array(NULL::text, NULL::int, orcid, oa) ORDER BY position) AS ids
    FROM ref_rows GROUP BY line
),
inst_py AS (SELECT line, bool_or(py) AS py FROM inst_rows GROUP BY line),
topic_lists AS (
    SELECT line, bool_or(py) AS py,
        jsonb_agg(jsonb_build_object('name', name, 'code', NULL::text, 'openalex_id', oa)
            ORDER BY idx) FILTER (WHERE name IS NOT NULL) AS topics
    FROM topic_rows GROUP BY line
),
ins_ref AS (
    INSERT INTO p_ref SELECT line, position, raw_name, orcid, oa, display_name FROM ref_rows
),
ins_inst AS (
    INSERT INTO p_inst SELECT line, position, idx, name, ror, oa, country
    FROM inst_rows WHERE name IS NOT NULL
),
ins_topic AS (
    INSERT INTO p_topic SELECT line, idx, name, oa FROM topic_rows WHERE name IS NOT NULL
),
w AS (
    SELECT d.*, x.*, ab.abstract, ab.py AS abstract_py, b.py AS byline_py, b.full_, b.ids AS ids_,
        ip.py AS inst_py, tl.py AS topic_py, tl.topics AS topic_list
    FROM d
    CROSS JOIN LATERAL (
        SELECT {_obj("d.primary_location")} AS pl, {_obj("d.best_oa_location")} AS best,
            {_obj("d.ids")} AS idset, {_arr("d.locations")} AS locs
    ) x
    -- each abstract rebuilt on its own: a GROUP BY over every word of the partition would
    -- sort a hundred rows per work
    CROSS JOIN LATERAL (
        SELECT abstract, dup OR abstract ~ %(abstract_odd)s AS py
        FROM (
            SELECT NULLIF(btrim(string_agg(e.key, ' ' ORDER BY v.value::text::numeric), ' '), '')
                    AS abstract,
                count(*) <> count(DISTINCT v.value::text::numeric) AS dup
            FROM jsonb_each({_obj("d.abstract_inverted_index")}) AS e,
                jsonb_array_elements({_arr("e.value")}) AS v
            WHERE jsonb_typeof(v.value) = 'number' AND strpos(v.value::text, '.') = 0
        ) a
    ) ab
    LEFT JOIN bylines b ON b.line = d.line
    LEFT JOIN inst_py ip ON ip.line = d.line
    LEFT JOIN topic_lists tl ON tl.line = d.line
),
v AS (
    SELECT w.*, {_obj("w.pl->'source'")} AS src,
        {_key("w.id", "work_key")} AS key,
        coalesce(
            CASE WHEN {_string("w.doi")} ~ %(doi)s THEN lower(substr(w.doi #>> '{{}}', 17)) END,
            CASE WHEN {_string("w.idset->'doi'")} ~ %(doi)s
                THEN lower(substr(w.idset->>'doi', 17)) END) AS doi_,
        coalesce(NULLIF(btrim(regexp_replace({_SQ_T1}, %(ws)s, ' ', 'g'), ' '), ''),
            NULLIF(btrim(regexp_replace({_SQ_T2}, %(ws)s, ' ', 'g'), ' '), '')) AS title_,
        CASE WHEN {_PUB} ~ %(day)s THEN {_date(_PUB)} END AS day_,
        CASE WHEN {_UPD} ~ %(stamp)s AND {_date(_UPD)} IS NOT NULL
                AND coalesce(substr({_UPD}, 12, 2) <= '23' AND substr({_UPD}, 15, 2) <= '59'
                    AND substr({_UPD}, 18, 2) <= '59', true)
            THEN left({_UPD}, 10) || 'T' || coalesce(NULLIF(substr({_UPD}, 12, 8), ''), '00:00:00')
        END AS updated_,
        jsonb_strip_nulls(jsonb_build_object(
            'mag', {_last_segment("w.idset->'mag'")},
            'pmid', {_last_segment("w.idset->'pmid'")},
            'pmcid', 'PMC' || regexp_replace(upper({_last_segment("w.idset->'pmcid'")}), '^PMC', '')
        )) AS other_ids_,
        EXISTS (
            SELECT 1 FROM jsonb_array_elements(jsonb_build_array(w.pl, w.best) || w.locs) l
            WHERE jsonb_typeof(l) = 'object' AND (l->>'id' ~* %(location_hint)s
                OR l->>'landing_page_url' ~* %(location_hint)s
                OR l->>'pdf_url' ~* %(location_hint)s)
        ) OR coalesce(w.idset->>'arxiv' ~* 'arxiv', false) AS location_py,
        EXISTS (
            SELECT 1 FROM jsonb_array_elements(w.pl || w.locs) l
            WHERE jsonb_typeof(l) = 'object' AND (jsonb_typeof(l->'raw_source_name') = 'string'
                OR jsonb_typeof(l->'source'->'display_name') = 'string')
        ) AS other_venue
    FROM w
),
u AS (
    SELECT v.*, {_text("v.src->'display_name'")} AS venue_name_,
        {_text("v.src->'type'")} AS venue_kind_,
        CASE WHEN {_PUB} ~ %(day)s AND day_ IS NOT NULL THEN day_
            WHEN {_int("v.publication_year")} BETWEEN 1 AND 9999
            THEN make_date({_int("v.publication_year")}::int, 1, 1) END AS date_,
        CASE WHEN {_PUB} ~ %(day)s AND day_ IS NOT NULL THEN 'day'
            WHEN {_int("v.publication_year")} BETWEEN 1 AND 9999 THEN 'year' END AS precision_
    FROM v
),
t AS (
    SELECT u.*,
        CASE WHEN venue_name_ IS NULL THEN NULL
            ELSE jsonb_build_object('name', venue_name_,
                'openalex_id', {_key("u.src->'id'", "source_key")},
                'issn_l', coalesce({_text("u.src->'issn_l'")}, ''),
                'kind', coalesce(venue_kind_, '')) END AS venue_,
        CASE WHEN jsonb_typeof(u.type) <> 'string' OR u.type IS NULL THEN NULL
            WHEN u.type_crossref = '"proceedings-article"' THEN 'proceedings'
            WHEN u.type #>> '{{}}' IN ('article', 'journal-article')
                AND venue_name_ IS NOT NULL AND venue_kind_ = 'conference' THEN 'proceedings'
            ELSE coalesce((jsonb_build_object(
                'article', 'article', 'journal-article', 'article', 'review', 'article',
                'preprint', 'preprint', 'posted-content', 'preprint',
                'proceedings-article', 'proceedings', 'book-chapter', 'book-chapter',
                'book-section', 'book-chapter', 'book-part', 'book-chapter',
                'dataset', 'dataset') ->> (u.type #>> '{{}}')), 'other') END AS type_,
        {_text("u.pl->'landing_page_url'")} AS landing_,
        coalesce({_text("u.pl->'pdf_url'")}, {_text("u.best->'pdf_url'")}) AS pdf_,
        {_int("u.cited_by_count")} AS cited_,
        coalesce(u.is_authors_truncated = 'true', false) AS truncated_,
        u.full_ IS NOT NULL AS has_refs_,
        (u.key IS NULL OR NOT u.obj
            OR {_SQ_T1} ~ %(markup)s OR {_SQ_T2} ~ %(markup)s
            OR coalesce(abstract_py, false) OR coalesce(byline_py, false)
            OR coalesce(inst_py, false) OR coalesce(topic_py, false) OR location_py
            OR {_odd_string("u.doi", "doi")} OR {_odd_string("u.idset->'doi'", "doi")}
            OR coalesce(doi_ LIKE '10.48550/arxiv.%%', false)
            OR {_odd_string("u.publication_date", "day")}
            OR jsonb_typeof(u.publication_year) = 'boolean'
            OR coalesce(jsonb_typeof(u.updated_date) NOT IN ('string', 'null'), false)
            OR {_odd_string("u.updated_date", "stamp")}
            OR coalesce(jsonb_typeof(u.is_authors_truncated) NOT IN ('boolean', 'null'), false)
            OR (venue_name_ IS NULL AND other_venue)
            OR (venue_name_ IS NOT NULL AND {_odd_string("u.src->'id'", "source_key")})
            OR {_odd_ids("u.idset")}) AS py_
    FROM u
)
INSERT INTO p_work
SELECT line, coalesce(py_, false),
    title_ IS NOT NULL OR doi_ IS NOT NULL OR other_ids_ <> '{{}}', key, title_,
    NULL, abstract, type_, date_, precision_, venue_->>'name', venue_->>'openalex_id',
    venue_->>'issn_l', venue_->>'kind', doi_, NULL, other_ids_, landing_, pdf_, NULL, cited_,
    has_refs_, has_refs_ AND NOT truncated_, updated_,
    jsonb_build_object(
        'title', title_, 'title_markup', NULL::text, 'abstract', abstract, 'type', type_,
        'publication_date', date_::text, 'date_precision', precision_, 'venue', venue_,
        'citation_count', cited_, 'landing_url', landing_, 'pdf_url', pdf_,
        'code_url', NULL::text, 'doi', doi_, 'arxiv_id', NULL::text, 'openalex_id', key,
        'other_ids', other_ids_, 'topics', coalesce(topic_list, '[]'), 'links', '[]'::jsonb,
        'byline', CASE WHEN NOT has_refs_ THEN '[]'::jsonb WHEN truncated_ THEN ids_ ELSE full_ END,
        'complete_byline', has_refs_ AND NOT truncated_, '_updated', updated_)
FROM t
"""
