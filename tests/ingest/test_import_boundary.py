"""The importer's boundary: any upstream body either imports or is refused with one line, and
nothing a body holds reaches a column it does not fit (apps/ingest/importer/clean.py)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from apps.claims.models import Claim
from apps.ingest.importer import import_batch
from apps.ingest.importer.clean import UnusableRecord, batch_clean, cut
from apps.ingest.normalized import AuthorRef, Batch, VenueRecord, WorkRecord
from apps.records.models import Author, Authorship, Venue, Work

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
DOI = "10.5555/peerage.2024.0101"
LONG_OPENALEX_ID = "W" + "1" * 24  # 25 characters; the column holds 20


def _crossref_body(**changes) -> dict:
    body = json.loads((FIXTURES / "crossref" / "work-10.5555-peerage.2024.0101.json").read_text())
    body["message"].update(changes)
    return body


def _openalex_work(**changes) -> dict:
    body = json.loads((FIXTURES / "openalex" / "work-W5100000001-arxiv-preprint.json").read_text())
    return {**body, **changes}


@pytest.fixture
def kofi_client(make_user, records):
    """A holder whose name is printed on the Crossref fixture's byline, signed in."""
    user = make_user(display_name="Kofi Delacroix-Amponsah")
    author = records.author("Kofi Delacroix-Amponsah")
    Claim.objects.create(user=user, author=author, kind="evidence", status="approved")
    client = Client()
    client.force_login(user)
    return client, author


def _add_work(client, author, identifier=DOI):
    return client.post(
        f"/api/v1/curation/{author.pk}/add-work/",
        {"identifier": identifier},
        content_type="application/json",
    )


def test_a_nul_in_a_crossref_title_is_removed_and_add_work_succeeds(
    kofi_client, fake_upstream, settings
):
    settings.CROSSREF_API_URL = fake_upstream.url
    body = _crossref_body(title=["Seed\x00-raft retention\x07 in meadows"])
    body["message"]["author"][1]["family"] = "Delacroix-Amponsah\x00"
    fake_upstream.add("GET", f"/works/{DOI}", json=body)
    client, author = kofi_client

    answer = _add_work(client, author)

    assert answer.status_code == 201, answer.content
    work = Work.objects.get(doi=DOI)
    assert work.title == "Seed-raft retention in meadows"
    assert Authorship.objects.get(work=work, author=author).status == "active"


def test_add_work_with_no_author_printed_with_your_name_leaves_nothing_behind(
    make_user, records, fake_upstream, settings
):
    settings.CROSSREF_API_URL = fake_upstream.url
    fake_upstream.add("GET", f"/works/{DOI}", json=_crossref_body())
    user = make_user(display_name="Nobody On This Byline")
    author = records.author("Nobody On This Byline")
    Claim.objects.create(user=user, author=author, kind="evidence", status="approved")
    client = Client()
    client.force_login(user)
    authors_before = Author.objects.count()

    answer = _add_work(client, author)

    assert answer.status_code == 400 and "printed with your name" in answer.json()["detail"]
    assert not Work.objects.exists()
    assert Author.objects.count() == authors_before  # no placeholder authors either
    assert not Venue.objects.exists()


def test_an_openalex_id_longer_than_its_column_is_refused_with_one_line(tmp_path):
    bad = tmp_path / "long-id.json"
    bad.write_text(json.dumps(_openalex_work(id=f"https://openalex.org/{LONG_OPENALEX_ID}")))

    with pytest.raises(CommandError) as refused:
        call_command("import_records", "--source", "openalex", str(bad))

    assert str(bad) in str(refused.value)
    assert not Work.objects.exists()
    with pytest.raises(UnusableRecord, match="longer than 20 characters") as direct:
        import_batch(
            Batch(works=[WorkRecord(source="openalex", source_key="W1", openalex_id="W1" * 13)])
        )
    assert "\n" not in str(direct.value)


def test_an_author_ref_with_a_malformed_orcid_refuses_the_body():
    ref = AuthorRef(raw_name="Ada", position=0, orcid="0000-0000-0000-000\x00")
    with pytest.raises(UnusableRecord, match="ORCID iD"):
        batch_clean(Batch(works=[WorkRecord(source="crossref", source_key="x", authors=[ref])]))


def test_names_are_cut_at_a_word_and_urls_that_do_not_fit_are_dropped():
    venue = VenueRecord(name="Journal of " + "Very " * 80 + "Long Names", issn_l="1234-56789")
    record = WorkRecord(
        source="crossref",
        source_key="10.1/x",
        title="A\x1b[31m title\ud800",
        landing_url="https://example.org/" + "a" * 1000,
        citation_count=-3,
        venue=venue,
        other_ids={"pmid\x00": "12\x0034"},
        authors=[AuthorRef(raw_name="Ada " * 100, position=0)],
    )
    (clean,) = batch_clean(Batch(works=[record])).works
    assert clean.title == "A[31m title"
    assert clean.landing_url is None and clean.citation_count is None
    assert len(clean.venue.name) <= 300 and clean.venue.name.endswith("Very…")
    assert clean.venue.issn_l == ""
    assert clean.other_ids == {"pmid": "1234"}
    assert len(clean.authors[0].raw_name) <= 300
    assert cut("short", 10) == "short"
    assert cut("abcdefghijkl", 5) == "abcd…"


def test_import_records_goes_on_past_a_bad_file_and_names_each_one(tmp_path):
    good = FIXTURES / "crossref" / "work-10.5555-peerage.2024.0101.json"
    nul = tmp_path / "nul.json"
    nul.write_text(json.dumps(_crossref_body(DOI="10.5555/nul", title=["Nul\x00 title"])))
    cut_short = tmp_path / "cut.json"
    cut_short.write_bytes(good.read_bytes()[:200])
    long_id = tmp_path / "long-id.json"
    long_id.write_text(json.dumps(_crossref_body(DOI="10.5555/" + "x" * 300)))
    other = tmp_path / "c.json"
    other.write_text(json.dumps(_crossref_body(DOI="10.5555/peerage.2024.0102")))
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError) as failed:
        call_command(
            "import_records",
            "--source",
            "crossref",
            *(str(p) for p in (good, nul, cut_short, long_id, other)),
            stdout=out,
            stderr=err,
        )

    assert "Total: 3 created" in out.getvalue()  # a, nul (cleaned) and c
    assert Work.objects.get(doi="10.5555/nul").title == "Nul title"
    assert "2 of 5 file(s) not imported" in str(failed.value)
    assert str(cut_short) in str(failed.value) and str(long_id) in str(failed.value)
    assert [line.split(":")[0] for line in err.getvalue().splitlines()] == [
        str(cut_short),
        str(long_id),
    ]
