"""PostgreSQL-only search machinery; SQLite (the bare-machine default) skips all of it.

- pg_trgm, and a GIN trigram index on Author.search_name (name search, typo-tolerant).
- The newest-first index behind every works listing's keyset pagination.
- A trigger that keeps Work.search_vector (title weighted A, abstract B) current on every
  INSERT and UPDATE, COPY included, and a GIN index on it (work search).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS author_search_name_trgm
    ON records_author USING gin (search_name gin_trgm_ops);

CREATE OR REPLACE FUNCTION records_work_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english'::regconfig, coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(NEW.abstract, '')), 'B');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS records_work_search_vector ON records_work;
CREATE TRIGGER records_work_search_vector
    BEFORE INSERT OR UPDATE OF title, abstract ON records_work
    FOR EACH ROW EXECUTE FUNCTION records_work_search_vector();

UPDATE records_work SET title = title;

CREATE INDEX IF NOT EXISTS work_search_vector_gin ON records_work USING gin (search_vector);

CREATE INDEX IF NOT EXISTS work_recent_idx
    ON records_work (publication_date DESC NULLS LAST, id DESC);
"""

BACKWARD = """
DROP INDEX IF EXISTS work_recent_idx;
DROP INDEX IF EXISTS work_search_vector_gin;
DROP TRIGGER IF EXISTS records_work_search_vector ON records_work;
DROP FUNCTION IF EXISTS records_work_search_vector();
DROP INDEX IF EXISTS author_search_name_trgm;
"""


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(_on_postgres(FORWARD), _on_postgres(BACKWARD)),
    ]
