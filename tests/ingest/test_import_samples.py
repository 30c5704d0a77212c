"""Every genuine success response in shared/samples parses and imports; importing them all a
second time creates and updates nothing and leaves the same database contents."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.ingest.importer import ImportStats, import_batch
from apps.ingest.parsers import parse
from apps.records.models import Work
from tests import samples
from tests.ingest.cassettes import cassette_responses
from tests.ingest.content import content_hash, table_rows

SAMPLES = samples.SAMPLES
# Plain files that are not a success body of a source we parse.
NOT_SUCCESS = {
    "arxiv/id_list-abc-error-400.atom.xml",  # arXiv's 400 error feed
    "crossref/works-notarealdoi-404.body.txt",  # Crossref's 404 text
    "orcid/django-allauth-orcid-test-mocked-record.json",  # ORCID API v2 shape, not v3.0
    "orcid/oauth-token-response-authenticate.json",  # OAuth token, not a record
    "orcid/oauth-token-response-read-public-client-credentials.json",
}
PLAIN = {
    "openalex": ["*.json"],
    "crossref": ["*.body.json"],
    "orcid": ["*.json"],
    "arxiv": ["*.atom.xml"],
}
CASSETTES = {"openalex": "*.yml", "crossref": "*.yaml", "orcid": "*.yml"}

pytestmark = [
    samples.needs_samples,
    pytest.mark.django_db,
]


@functools.cache
def success_bodies() -> list[tuple[str, str, bytes]]:
    """(source, label, body) for every success response in the samples, in a fixed order."""
    found = []
    for source, patterns in PLAIN.items():
        for pattern in patterns:
            for path in sorted((SAMPLES / source).glob(pattern)):
                label = f"{source}/{path.name}"
                if label not in NOT_SUCCESS:
                    found.append((source, label, path.read_bytes()))
    for source, pattern in CASSETTES.items():
        for path in sorted((SAMPLES / source).glob(pattern)):
            for i, (status, _, body) in enumerate(cassette_responses(path)):
                if 200 <= status < 300:
                    found.append((source, f"{source}/{path.name}#{i}", body))
    return found


def import_all() -> ImportStats:
    total = ImportStats()
    for source, _, body in success_bodies():
        total += import_batch(parse(source, body))
    return total


def test_the_samples_hold_success_responses_from_every_source():
    bodies = success_bodies()
    assert {source for source, _, _ in bodies} == {"openalex", "crossref", "orcid", "arxiv"}
    assert len(bodies) > 30
    assert sum(len(parse(source, body).works) for source, _, body in bodies) > 300


@pytest.mark.parametrize("index", range(len(success_bodies()) if SAMPLES.is_dir() else 0))
def test_every_success_response_parses(index):
    source, label, body = success_bodies()[index]
    batch = parse(source, body)  # raises ParseError if it does not
    assert batch.total is None or batch.total >= len(batch.works), label


def test_importing_every_sample_twice_changes_nothing_the_second_time():
    first = import_all()
    assert first.created > 100
    rows, digest = {t: len(r) for t, r in table_rows().items()}, content_hash()

    second = import_all()

    assert (second.created, second.updated) == (0, 0)
    assert {t: len(r) for t, r in table_rows().items()} == rows
    assert content_hash() == digest


def test_the_import_command_reads_files_as_saved_and_reports_counts(capsys, tmp_path):
    import gzip

    work = SAMPLES / "openalex/work-W2741809807-state-of-oa-doi-pmid-pmcid.json"
    gz = tmp_path / "work.json.gz"
    gz.write_bytes(gzip.compress(work.read_bytes()))
    call_command("import_records", "--source", "openalex", str(gz))
    out = capsys.readouterr().out
    assert "Total: 1 created, 0 updated, 0 unchanged, 0 skipped" in out
    assert Work.objects.filter(openalex_id="W2741809807").exists()


def test_a_malformed_file_exits_non_zero_with_one_line_and_writes_nothing(tmp_path, capsys):
    import subprocess
    import sys

    good = SAMPLES / "crossref/works-10.1371-journal.pone.0033693.body.json"
    bad = tmp_path / "cut.json"
    bad.write_bytes(good.read_bytes()[:200])
    result = subprocess.run(  # noqa: S603  (our own manage.py)
        [sys.executable, "manage.py", "import_records", "--source", "crossref", str(bad)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("CommandError: 1 of 1 file(s) not imported:") and str(bad) in last
    assert "Traceback" not in result.stderr


def test_a_malformed_file_among_good_ones_writes_nothing_from_it(tmp_path):
    good = SAMPLES / "crossref/works-10.1371-journal.pone.0033693.body.json"
    bad = tmp_path / "cut.json"
    bad.write_bytes(good.read_bytes()[:200])
    with pytest.raises(Exception, match="1 of 2 file"):
        call_command("import_records", "--source", "crossref", str(good), str(bad))
    assert Work.objects.count() == 1  # the good file's work, nothing from the bad one
