"""PostgreSQL-only name search indexes; SQLite skips them (as in 0002).

- A GiST trigram index on Author.search_name, so candidates come out of the index already in
  word-similarity order (`ORDER BY key <<-> search_name LIMIT n`) instead of every match being
  scored and sorted. It also serves `%>`, so the GIN trigram index from 0002 goes.
- A GIN index on the words of search_name, for a bare short family name ("Li", "Wu"), where
  trigrams say little: `string_to_array(search_name, ' ') @> ARRAY['li']`, most prolific
  first by author_works_count_idx.
"""

from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS author_search_name_gist
    ON records_author USING gist (search_name gist_trgm_ops);

CREATE INDEX IF NOT EXISTS author_search_words_gin
    ON records_author USING gin (string_to_array(search_name, ' '));

DROP INDEX IF EXISTS author_search_name_trgm;
"""

BACKWARD = """
CREATE INDEX IF NOT EXISTS author_search_name_trgm
    ON records_author USING gin (search_name gin_trgm_ops);

DROP INDEX IF EXISTS author_search_words_gin;
DROP INDEX IF EXISTS author_search_name_gist;
"""


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("records", "0003_provenance_per_source_key")]

    operations = [migrations.RunPython(_on_postgres(FORWARD), _on_postgres(BACKWARD))]
