"""Years active and the three newest works' ids on Author, for the recognition cards
(records.cards), which read them instead of every work of every record listed. Filled here
for the records already held; services.author_metrics_refresh keeps them from then on."""

from django.db import migrations, models

RECENT = 3

BACKFILL = f"""
WITH ranked AS (
    SELECT a.author_id, a.work_id, w.publication_year,
           row_number() OVER (PARTITION BY a.author_id
                              ORDER BY w.publication_date DESC NULLS LAST, a.work_id DESC) AS newest
    FROM records_authorship a JOIN records_work w ON w.id = a.work_id
    WHERE a.status = 'active'
), activity AS (
    SELECT author_id, min(publication_year) AS first_year, max(publication_year) AS last_year,
           jsonb_agg(work_id ORDER BY newest) FILTER (WHERE newest <= {RECENT}) AS recent
    FROM ranked GROUP BY author_id
)
UPDATE records_author au
SET first_year = activity.first_year, last_year = activity.last_year,
    recent_work_ids = coalesce(activity.recent, '[]'::jsonb)
FROM records_author a2 LEFT JOIN activity ON activity.author_id = a2.id
WHERE au.id = a2.id
"""


def backfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKFILL)
        return
    Author = apps.get_model("records", "Author")
    Authorship = apps.get_model("records", "Authorship")
    works: dict[int, list] = {}
    rows = Authorship.objects.filter(status="active").values_list(
        "author_id", "work_id", "work__publication_date", "work__publication_year"
    )
    for author_id, *work in rows.iterator():
        works.setdefault(author_id, []).append(work)
    authors = []
    for author in Author.objects.only("id").iterator():
        mine = works.get(author.pk, [])
        years = [year for _, _, year in mine if year is not None]
        mine.sort(key=lambda w: (w[1] is None, -(w[1].toordinal() if w[1] else 0), -w[0]))
        author.first_year, author.last_year = (min(years), max(years)) if years else (None, None)
        author.recent_work_ids = [work_id for work_id, _, _ in mine[:RECENT]]
        authors.append(author)
    Author.objects.bulk_update(
        authors, ["first_year", "last_year", "recent_work_ids"], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [("records", "0010_merge_20261206_0302")]

    operations = [
        migrations.AddField(
            model_name="author",
            name="first_year",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="author",
            name="last_year",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="author",
            name="recent_work_ids",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
