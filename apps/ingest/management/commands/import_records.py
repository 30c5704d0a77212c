import gzip
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.ingest.importer import ImportStats, import_batch
from apps.ingest.normalized import SOURCES, ParseError
from apps.ingest.parsers import parse


def read_body(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # gzip magic, whatever the file is called
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ParseError(f"not a readable gzip file ({exc})") from exc
    return data


class Command(BaseCommand):
    help = (
        "Import saved upstream response bodies (JSON or Atom, optionally gzipped) exactly as "
        "the API returned them. A malformed file is reported and nothing from it is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, choices=SOURCES)
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, source, files, **options):
        total, failed = ImportStats(), []
        for path in files:
            try:
                batch = parse(source, read_body(path))
            except (OSError, ParseError) as exc:
                failed.append(f"{path}: {exc}")
                self.stderr.write(f"{path}: {exc}")
                continue
            stats = import_batch(batch)
            total += stats
            self.stdout.write(f"{path}: {stats.line()}")
        self.stdout.write(f"Total: {total.line()}")
        if failed:
            raise CommandError(f"{len(failed)} of {len(files)} file(s) not imported: {failed[0]}")
