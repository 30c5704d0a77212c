"""A merged_ids file: record every merge, fold the rows we hold (importer.run._apply_merge).

ingest.MergedId gets every pair set-based (only new or changed pairs written). Then the pairs
whose old id names a row we hold are applied one by one, in file order, by the importer's
rule: a work or author whose survivor we do not hold takes the survivor's id; an author whose
survivor we hold is folded into it (records.services.author_merge_into, which moves
authorships, keeps names as variants and refreshes metrics); two rows for one OpenAlex work
are left as they are.
"""

from __future__ import annotations

from apps.records.models import Author, Work
from apps.records.services import author_merge_into

from .outcome import PartitionStats

UPSERT = """
    INSERT INTO ingest_mergedid (old_id, new_id)
    SELECT DISTINCT ON (old_id) old_id, new_id FROM s_merge ORDER BY old_id, n DESC
    ON CONFLICT (old_id) DO UPDATE SET new_id = EXCLUDED.new_id
    WHERE ingest_mergedid.new_id IS DISTINCT FROM EXCLUDED.new_id
"""
HELD = """
    SELECT s.old_id FROM s_merge s
    WHERE EXISTS (SELECT 1 FROM records_author a WHERE a.openalex_id = s.old_id)
       OR EXISTS (SELECT 1 FROM records_work w WHERE w.openalex_id = s.old_id)
"""


def load_merges(cursor, pairs: list[tuple[str, str]], stats: PartitionStats) -> None:
    cursor.execute("DROP TABLE IF EXISTS s_merge")
    cursor.execute("CREATE TEMP TABLE s_merge (n integer, old_id text, new_id text) ON COMMIT DROP")
    with cursor.copy("COPY s_merge (n, old_id, new_id) FROM STDIN") as copy:
        for n, (old, new) in enumerate(pairs):
            copy.write_row((n, old, new))
    cursor.execute(UPSERT)
    stats.records = len(pairs)
    stats.created = max(cursor.rowcount, 0)
    stats.rows_written += stats.created
    cursor.execute(HELD)
    held = {row[0] for row in cursor.fetchall()}
    for old, new in _relevant(pairs, held):
        if fold(old, new):
            stats.updated += 1
            stats.rows_written += 1
    stats.unchanged = stats.records - stats.created  # pairs already recorded as they are


def _relevant(pairs: list[tuple[str, str]], held: set[str]) -> list[tuple[str, str]]:
    """Pairs whose old id we hold now, or may hold once an earlier pair renamed a row to it."""
    renamed_to, relevant = set(), []
    for old, new in pairs:
        if old in held or old in renamed_to:
            relevant.append((old, new))
            renamed_to.add(new)
    return relevant


def fold(old: str, new: str) -> bool:
    """Apply one merge to the rows we hold; True if anything changed."""
    model = Author if old.startswith("A") else Work if old.startswith("W") else None
    stale = model.objects.filter(openalex_id=old).first() if model else None
    if stale is None:
        return False
    survivor = model.objects.filter(openalex_id=new).first()
    if survivor is None:
        return bool(model.objects.filter(pk=stale.pk).update(openalex_id=new))
    if model is Author and stale.pk != survivor.pk and stale.merged_into_id != survivor.pk:
        author_merge_into(stale, survivor)
        return True
    return False
