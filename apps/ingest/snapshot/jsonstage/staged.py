"""The SQL that classifies a works partition's records and resolves what they refer to, by
works.py's and resolve.py's rules, over the rows extract.py parsed (p_work, p_ref, p_inst,
p_topic); each statement fills a staging table (staging.TABLES) or the scratch tables that
lead to one."""

from __future__ import annotations


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
    coalesce(k.authors, 0), p.key, p.fields
FROM n_work n JOIN p_work p USING (line)
LEFT JOIN r_venue v ON v.work_id = n.id
LEFT JOIN (SELECT work_id, count(*) AS authors FROM a_kept GROUP BY work_id) k
    ON k.work_id = n.id
"""
