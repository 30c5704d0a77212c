import gzip
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from apps.ingest.importer import ImportStats, import_batch
from apps.ingest.normalized import SOURCES, ParseError
from apps.ingest.parsers import parse
from apps.ingest.parsers._coerce import one_line


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
                stats = import_batch(parse(source, read_body(path)))
            except (OSError, ParseError, DatabaseError) as exc:
                # One file's failure is its own: report it in one line and go on to the next.
                failed.append(str(path))
                self.stderr.write(f"{path}: {one_line(str(exc)) or type(exc).__name__}")
                continue
            total += stats
            self.stdout.write(f"{path}: {stats.line()}")
        self.stdout.write(f"Total: {total.line()}")
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(files)} file(s) not imported: {', '.join(failed)}"
            )
