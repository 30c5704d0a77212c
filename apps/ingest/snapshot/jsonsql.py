"""The SQL of staging a works partition in the database (jsonstage.py): the parser's rules
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
# CSV with quote and delimiter bytes that valid JSON never holds outside an escape: the lines
# go in as they are, with no escaping to do in Python (text format needs every backslash
# doubled) and none to undo in the server.
COPY_LINES = "COPY {table} (doc) FROM STDIN (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"

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
words AS (
    SELECT d.line, e.key AS w, v.value::text::numeric AS p
    FROM d, jsonb_each({_obj("d.abstract_inverted_index")}) AS e,
        jsonb_array_elements({_arr("e.value")}) AS v
    WHERE jsonb_typeof(v.value) = 'number' AND strpos(v.value::text, '.') = 0
),
abstracts AS (
    SELECT line, abstract, dup OR abstract ~ %(abstract_odd)s AS py
    FROM (
        SELECT line, NULLIF(btrim(string_agg(w, ' ' ORDER BY p), ' '), '') AS abstract,
            count(*) <> count(DISTINCT p) AS dup
        FROM words GROUP BY line
    ) a
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
    LEFT JOIN abstracts ab ON ab.line = d.line
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


# Classifying the records and resolving what they refer to (works.py's and resolve.py's rules) ---


def numbered(name: str, select: str, order: str, table: str) -> str:
    """A TEMP table `name` of `select`'s rows, each with an `id` from `table`'s sequence drawn
    in `order` (the order in which the Python path creates them)."""
    return f"""
CREATE TEMP TABLE {name}_pre ON COMMIT DROP AS
    SELECT s.*, row_number() OVER (ORDER BY {order}) AS n FROM ({select}) s;
CREATE TEMP TABLE {name} ON COMMIT DROP AS
    SELECT p.*, ids.id FROM {name}_pre p JOIN (
        SELECT row_number() OVER (ORDER BY v) AS n, v AS id FROM (
            SELECT nextval(pg_get_serial_sequence('{table}', 'id')) AS v
            FROM generate_series(1, (SELECT count(*) FROM {name}_pre))) s
    ) ids USING (n)"""


CLASSIFY = """
CREATE TEMP TABLE c_work ON COMMIT DROP AS
    SELECT p.line, p.key, p.doi, p.arxiv_id, coalesce(m.new_id, p.key) AS oa,
        p.has_refs AND NOT p.complete_byline AS truncated
    FROM p_work p LEFT JOIN ingest_mergedid m ON m.old_id = p.key
    WHERE p.usable;
CREATE TEMP TABLE c_class ON COMMIT DROP AS
    WITH keys AS (
        SELECT line, 'o' AS f, oa AS v FROM c_work WHERE oa IS NOT NULL
        UNION ALL SELECT line, 'd', doi FROM c_work WHERE doi IS NOT NULL
        UNION ALL SELECT line, 'a', arxiv_id FROM c_work WHERE arxiv_id IS NOT NULL
    ),
    repeated AS (
        SELECT DISTINCT line
        FROM (SELECT line, min(line) OVER (PARTITION BY f, v) AS first FROM keys) k
        WHERE line > first
    )
    SELECT c.line, c.doi, c.arxiv_id, c.oa, f.found,
        CASE WHEN r.line IS NOT NULL OR (f.found IS NULL AND c.truncated) THEN 'defer'
            WHEN f.found IS NULL THEN 'create' ELSE 'found' END AS outcome
    FROM c_work c
    LEFT JOIN repeated r ON r.line = c.line
    LEFT JOIN records_work wo ON wo.openalex_id = c.oa
    LEFT JOIN records_work wd ON wd.doi = c.doi
    LEFT JOIN records_work wa ON wa.arxiv_id = c.arxiv_id
    CROSS JOIN LATERAL (SELECT coalesce(wo.id, wd.id, wa.id) AS found) f
"""
FOUND = """
SELECT c.line, p.fields, pr.fields FROM c_class c JOIN p_work p USING (line)
LEFT JOIN records_provenance pr
    ON pr.source = 'openalex' AND pr.work_id = c.found AND pr.source_key = p.key
WHERE c.outcome = 'found' ORDER BY c.line
"""
NEW_WORKS = numbered(
    "n_work",
    "SELECT line, doi, arxiv_id, oa FROM c_class WHERE outcome = 'create'",
    "line",
    "records_work",
)


def shared_rows(kind: str, table: str, columns: str) -> str:
    """SharedRows' find-or-create for the uses in u_{kind} (each with `grp`, its cache key;
    `nkey`, the upper-cased name of a row known by name only; `db`, the row the database
    holds; `ord`, where the Python path meets it): a group the database does not hold is
    created where it first appears, except that a name-only group takes a row this
    partition created earlier with an identifier and the same name (resolve.SharedRows._learn
    learns the names of the rows it creates). n_{kind} gets the new rows, with ids; each
    use's row is then coalesce(db, n_{kind} of its group, n_{kind} of the group it took)."""
    return (
        f"""
CREATE TEMP TABLE g_{kind} ON COMMIT DROP AS
    SELECT DISTINCT ON (grp) grp, nkey, ord, {columns} FROM u_{kind} WHERE db IS NULL
    ORDER BY grp, ord;
CREATE TEMP TABLE t_{kind} ON COMMIT DROP AS
    SELECT n.grp, i.grp AS via FROM g_{kind} n
    JOIN (SELECT DISTINCT ON (upper(left(name, 300))) upper(left(name, 300)) AS k, grp, ord
          FROM g_{kind} WHERE nkey IS NULL ORDER BY upper(left(name, 300)), ord) i
        ON i.k = n.nkey AND i.ord < n.ord
    WHERE n.nkey IS NOT NULL;
"""
        + numbered(
            f"n_{kind}",
            f"SELECT g.* FROM g_{kind} g WHERE g.grp NOT IN (SELECT grp FROM t_{kind})",
            "ord",
            table,
        )
        + f""";
CREATE TEMP TABLE r_{kind} ON COMMIT DROP AS
    SELECT u.*, coalesce(u.db, n.id, nv.id) AS row_id FROM u_{kind} u
    LEFT JOIN n_{kind} n ON n.grp = u.grp AND u.db IS NULL
    LEFT JOIN t_{kind} t ON t.grp = u.grp AND u.db IS NULL
    LEFT JOIN n_{kind} nv ON nv.grp = t.via
"""
    )


def _names_in_db(table: str, uses: str) -> str:
    """The lowest id per upper-cased name (the importer's name__iexact, order_by("id"))."""
    return f"""(SELECT DISTINCT ON (upper(name)) upper(name) AS k, id FROM {table}
        WHERE upper(name) IN (SELECT nkey FROM {uses} WHERE nkey IS NOT NULL)
        ORDER BY upper(name), id)"""


# Venues: by OpenAlex id, or by name when they have none
VENUES = (
    """
CREATE TEMP TABLE v_use ON COMMIT DROP AS
    SELECT n.line, n.id AS work_id, p.venue_name AS name, p.venue_oa AS oa,
        p.venue_issn AS issn, p.venue_kind AS kind,
        CASE WHEN p.venue_oa IS NULL THEN upper(p.venue_name) END AS nkey
    FROM n_work n JOIN p_work p USING (line)
    WHERE coalesce(p.venue_name, '') <> '' AND NOT btrim(p.venue_name) ~* %(url)s;
CREATE TEMP TABLE u_venue ON COMMIT DROP AS
    SELECT v.*, coalesce('o' || v.oa, 'n' || v.nkey) AS grp, ARRAY[v.line] AS ord,
        CASE WHEN v.oa IS NOT NULL THEN rv.id ELSE dn.id END AS db
    FROM v_use v
    LEFT JOIN records_venue rv ON rv.openalex_id = v.oa
    LEFT JOIN """
    + _names_in_db("records_venue", "v_use")
    + """ dn ON dn.k = v.nkey;
"""
    + shared_rows("venue", "records_venue", "name, oa, issn, kind")
    + """;
INSERT INTO s_venue SELECT id, left(name, 300), oa, left(issn, 9), left(kind, 40) FROM n_venue
"""
)
VENUE_ODD = """
SELECT count(*) FROM v_use WHERE nkey IS NOT NULL AND (NOT name ~ %(ascii)s OR length(name) > 300)
"""

TOPICS = (
    """
CREATE TEMP TABLE u_topic ON COMMIT DROP AS
    SELECT n.line, n.id AS work_id, t.idx, t.name, t.oa, rt.id AS db
    FROM n_work n JOIN p_topic t USING (line)
    LEFT JOIN records_topic rt ON rt.openalex_id = t.oa;
"""
    + numbered(
        "n_topic",
        "SELECT DISTINCT ON (oa) oa, name, line, idx FROM u_topic WHERE db IS NULL "
        "ORDER BY oa, line, idx",
        "line, idx",
        "records_topic",
    )
    + """;
INSERT INTO s_work_topic
    SELECT DISTINCT u.work_id, coalesce(u.db, nt.id) FROM u_topic u
    LEFT JOIN n_topic nt ON nt.oa = u.oa
"""
)
NEW_TOPICS = "SELECT id, name, oa FROM n_topic ORDER BY id"

# Authors: the records a byline's identifiers resolve to (ORCID iD first, then the surviving
# OpenAlex id, merged records followed to their survivor), else one new record per person.
AUTHOR_REFS = """
CREATE TEMP TABLE a_ref ON COMMIT DROP AS
    SELECT n.id AS work_id, r.line, r.position, r.raw_name, r.display_name, r.orcid,
        coalesce(m.new_id, r.oa) AS key, coalesce(ao.id, ak.id) AS db
    FROM n_work n JOIN p_ref r USING (line)
    LEFT JOIN ingest_mergedid m ON m.old_id = r.oa
    LEFT JOIN records_author ao ON ao.orcid = r.orcid
    LEFT JOIN records_author ak ON ak.openalex_id = coalesce(m.new_id, r.oa)
"""
# An ORCID iD printed with two OpenAlex ids (or with one and without), or an OpenAlex id with
# two ORCID iDs: which record each byline entry gets then depends on the order the entries
# come in, which the Python path follows one by one.
AUTHOR_CONFLICTS = """
SELECT (SELECT count(*) FROM (SELECT orcid FROM a_ref WHERE orcid IS NOT NULL GROUP BY orcid
        HAVING count(DISTINCT coalesce(key, '')) > 1) o)
    + (SELECT count(*) FROM (SELECT key FROM a_ref WHERE key IS NOT NULL GROUP BY key
        HAVING count(DISTINCT orcid) > 1) k)
"""
AUTHORS = (
    """
CREATE TEMP TABLE a_follow ON COMMIT DROP AS
    WITH RECURSIVE f(start, cur, hops) AS (
        SELECT DISTINCT db, db, 0 FROM a_ref WHERE db IS NOT NULL
        UNION ALL
        SELECT f.start, a.merged_into_id, f.hops + 1 FROM f JOIN records_author a ON a.id = f.cur
        WHERE a.merged_into_id IS NOT NULL AND f.hops < %(hops)s
    )
    SELECT DISTINCT ON (start) start, cur FROM f ORDER BY start, hops DESC;
CREATE TEMP TABLE a_res ON COMMIT DROP AS
    SELECT r.*, f.cur AS found,
        CASE WHEN r.key IS NOT NULL THEN 'k' || r.key WHEN r.orcid IS NOT NULL THEN 'o' || r.orcid
            ELSE 'r' || r.line || '.' || r.position END AS grp
    FROM a_ref r LEFT JOIN a_follow f ON f.start = r.db;
"""
    + numbered(
        "n_author",
        "SELECT DISTINCT ON (grp) grp, line, position, raw_name, display_name, orcid, key "
        "FROM a_res WHERE found IS NULL ORDER BY grp, line, position",
        "line, position",
        "records_author",
    )
    + """;
CREATE TEMP TABLE a_kept ON COMMIT DROP AS
    SELECT work_id, line, position, author_id, raw_name,
        row_number() OVER (PARTITION BY work_id ORDER BY position) - 1 AS pos
    FROM (
        SELECT DISTINCT ON (r.work_id, coalesce(r.found, na.id)) r.work_id, r.line, r.position,
            coalesce(r.found, na.id) AS author_id, r.raw_name
        FROM a_res r LEFT JOIN n_author na ON na.grp = r.grp AND r.found IS NULL
        ORDER BY r.work_id, coalesce(r.found, na.id), r.position
    ) k;
INSERT INTO s_authorship SELECT work_id, author_id, pos, left(raw_name, 300) FROM a_kept
"""
)
NEW_AUTHORS = "SELECT id, raw_name, display_name, orcid, key FROM n_author ORDER BY id"

# Institutions of the byline entries kept: by ROR id, then OpenAlex id, then name
INSTITUTION_REFS = (
    """
CREATE TEMP TABLE i_use ON COMMIT DROP AS
    SELECT k.work_id, k.pos, i.line, i.position, i.idx, i.name, i.ror, i.oa, i.country,
        CASE WHEN i.ror IS NULL AND i.oa IS NULL THEN upper(i.name) END AS nkey
    FROM a_kept k JOIN p_inst i ON i.line = k.line AND i.position = k.position;
CREATE TEMP TABLE u_inst ON COMMIT DROP AS
    SELECT i.*, coalesce('i' || coalesce(i.oa, i.ror), 'n' || i.nkey) AS grp,
        ARRAY[i.line, i.pos, i.idx] AS ord,
        CASE WHEN i.nkey IS NULL THEN coalesce(ir.id, io.id) ELSE dn.id END AS db
    FROM i_use i
    LEFT JOIN records_institution ir ON ir.ror_id = i.ror
    LEFT JOIN records_institution io ON io.openalex_id = i.oa
    LEFT JOIN """
    + _names_in_db("records_institution", "i_use")
    + """ dn ON dn.k = i.nkey
"""
)
# A ROR id printed with two OpenAlex ids (or with one and without), or the reverse: which row
# a use gets then depends on the order of the lines. And upper() is the Python path's only
# for ASCII.
INSTITUTION_CONFLICTS = """
SELECT (SELECT count(*) FROM u_inst WHERE NOT country ~ %(ascii)s
        OR (nkey IS NOT NULL AND (NOT name ~ %(ascii)s OR length(name) > 300)))
    + (SELECT count(*) FROM (SELECT ror FROM u_inst WHERE ror IS NOT NULL GROUP BY ror
        HAVING count(DISTINCT coalesce(oa, '')) > 1) r)
    + (SELECT count(*) FROM (SELECT oa FROM u_inst WHERE oa IS NOT NULL GROUP BY oa
        HAVING count(DISTINCT ror) > 1) o)
"""
INSTITUTIONS = (
    shared_rows("inst", "records_institution", "name, ror, oa, country")
    + """;
INSERT INTO s_institution
    SELECT id, left(name, 300), ror, oa, upper(left(country, 2)) FROM n_inst;
INSERT INTO s_authorship_institution SELECT DISTINCT work_id, pos, row_id FROM r_inst
"""
)

WORKS = """
INSERT INTO s_work
SELECT n.id, coalesce(p.title, ''),
    CASE WHEN coalesce(p.title, '') <> '' THEN coalesce(p.title_markup, '') ELSE '' END,
    coalesce(p.abstract, ''),
    CASE WHEN p.type = ANY(%(work_types)s) THEN p.type ELSE 'other' END,
    p.publication_date,
    CASE WHEN p.publication_date IS NULL THEN 'day' ELSE coalesce(p.date_precision, 'day') END,
    extract(year FROM p.publication_date)::int,
    v.row_id,
    CASE WHEN length(n.doi) <= 255 THEN n.doi END,
    CASE WHEN length(n.arxiv_id) <= 40 THEN n.arxiv_id END,
    CASE WHEN length(n.oa) <= 20 THEN n.oa END,
    p.other_ids, left(coalesce(p.landing_url, ''), 1000), left(coalesce(p.pdf_url, ''), 1000),
    left(coalesce(p.code_url, ''), 1000), coalesce(p.citation_count, 0),
    (SELECT count(*) FROM a_kept k WHERE k.work_id = n.id), p.key, p.fields
FROM n_work n JOIN p_work p USING (line)
LEFT JOIN r_venue v ON v.work_id = n.id
"""
