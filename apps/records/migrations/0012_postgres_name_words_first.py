"""PostgreSQL-only, as 0002 and 0004: name search finds candidates by the words typed first
(author_search_words_gin, from 0004) and asks trigrams only for the rest, the near spellings
of a name few records carry. That query matches few rows, which a GIN trigram index serves
in a few milliseconds where the GiST index took tens; GiST's nearest-first order was what a
common name needed, and a common name is now served by its words. So GIN replaces GiST."""

from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS author_search_name_trgm
    ON records_author USING gin (search_name gin_trgm_ops);

DROP INDEX IF EXISTS author_search_name_gist;
"""

BACKWARD = """
CREATE INDEX IF NOT EXISTS author_search_name_gist
    ON records_author USING gist (search_name gist_trgm_ops);

DROP INDEX IF EXISTS author_search_name_trgm;
"""


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("records", "0011_author_card_columns")]

    operations = [migrations.RunPython(_on_postgres(FORWARD), _on_postgres(BACKWARD))]
