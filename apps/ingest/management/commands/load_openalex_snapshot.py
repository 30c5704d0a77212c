from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.ingest.snapshot import ENTITIES, METRICS_KEY, SnapshotError, load_snapshot


def entity_list(value: str) -> tuple[str, ...]:
    chosen = tuple(e.strip() for e in value.split(",") if e.strip())
    unknown = set(chosen) - set(ENTITIES)
    if unknown or not chosen:
        raise ValueError(f"expected a comma-separated subset of {','.join(ENTITIES)}")
    return chosen


class Command(BaseCommand):
    help = (
        "Load an OpenAlex snapshot folder (per-entity manifest, updated_date=… partitions of "
        "gzip JSON Lines, merged_ids CSVs). Each partition loads in one transaction; partitions "
        "already loaded (same size and SHA-256) are skipped unless --force. On PostgreSQL, author "
        "metrics (works, citations, h-index, topics, co-authors) are refreshed once, after the "
        "last partition: while a load runs they lag, and a run that was killed has them "
        "refreshed by the next run, even if that one skips every partition. A run that brings "
        "more works (or authors) than the database holds drops their search indexes and the "
        "foreign keys of the tables it fills while it runs, and puts them back at its end "
        "(a killed run's, at the end of the next run)."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path, help="the snapshot folder (or its data/ folder)")
        parser.add_argument(
            "--entities",
            type=entity_list,
            default=ENTITIES,
            help="comma-separated: authors,works (default both; authors load first)",
        )
        parser.add_argument("--force", action="store_true", help="reload partitions already loaded")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--staging",
            choices=("python", "sql"),
            help="how works partitions are staged on PostgreSQL: parsed by Python reader "
            "processes, or COPYed as jsonb and staged by SQL (default: SNAPSHOT_STAGING)",
        )

    def handle(self, *args, dir, entities, force, no_progress, staging=None, **options):
        try:
            results = load_snapshot(
                dir,
                entities=entities,
                force=force,
                progress=not no_progress,
                report=self.stdout.write,
                staging=staging,
            )
        except SnapshotError as exc:
            raise CommandError(str(exc)) from exc
        files = [r for r in results if r.key != METRICS_KEY]
        loaded = [r for r in files if not r.already_loaded]
        self.stdout.write(
            f"{len(loaded)} file(s) loaded, {len(files) - len(loaded)} already loaded; "
            f"{sum(r.records for r in loaded)} records, "
            f"{sum(r.rows_written for r in results if not r.already_loaded)} rows written"
        )
