"""Genuine upstream data shows as published (issue 22, F1 to F9): each test imports responses
from shared/samples as the sources sent them and checks what a reader then sees."""

from __future__ import annotations

import re

import pytest

from apps.ingest.importer import import_batch
from apps.ingest.parsers import parse
from apps.records.models import Author, Authorship, Work
from tests.ingest.cassettes import cassette_responses
from tests.samples import SAMPLES, needs_samples

pytestmark = [needs_samples, pytest.mark.django_db]

SNOWBALL = "openalex/vcr-works-snowball-cites-cited_by-38-works.yml"
ARXIV_PAIR = "openalex/vcr-works-filter-openalex-OR-cursor-arxiv-preprint.yml"


def body(name: str, index: int | None = None) -> bytes:
    if index is None:
        return (SAMPLES / name).read_bytes()
    return cassette_responses(SAMPLES / name)[index][2]


def load(source: str, name: str, index: int | None = None):
    return import_batch(parse(source, body(name, index)))


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# F1 -------------------------------------------------------------------------------------------


def test_f1_a_disowned_authorship_keeps_its_printed_name_on_the_work(client):
    load("openalex", ARXIV_PAIR, 2)
    work = Work.objects.get(openalex_id="W3045921891")
    liakata = work.authorships.get(raw_name="Maria Liakata")
    Authorship.objects.filter(pk=liakata.pk).update(status=Authorship.Status.DISOWNED)
    load("openalex", ARXIV_PAIR, 3)  # a refresh changes nothing about it

    page = text(client.get(f"/works/{work.pk}/"))
    byline = re.search(r'<ol class="authors-full">(.*?)</ol>', page).group(1)
    names = re.findall(r"<li[^>]*>(.*?)</li>", byline)
    assert [re.sub(r"<[^>]+>", "", n).split(" · ")[0].strip() for n in names] == [
        "James Ravenscroft",
        "Amanda Clare",
        "Maria Liakata",
    ]
    assert f'href="/authors/{liakata.author_id}/"' not in page  # no longer linked to that record
    work.refresh_from_db()
    assert work.authors_count == 3
    api = client.get(f"/api/v1/works/{work.pk}/").json()
    assert [a["raw_name"] for a in api["authors"]] == [
        "James Ravenscroft",
        "Amanda Clare",
        "Maria Liakata",
    ]
    assert api["authors"][2]["author_id"] is None
    assert api["authors_count"] == len(api["authors"])


# F2 -------------------------------------------------------------------------------------------


def test_f2_a_work_without_a_title_reads_untitled_with_its_identifier(client):
    load("openalex", SNOWBALL, 5)
    bert = Work.objects.get(openalex_id="W2963341956")
    assert bert.title == ""
    chang = bert.authorships.get(raw_name="Ming-Wei Chang").author

    page = text(client.get(f"/works/{bert.pk}/"))
    assert re.search(r"<h1[^>]*>\s*Untitled work <span[^>]*>\(DOI 10.18653/v1/n19-1423\)", page)
    listing = text(client.get(f"/authors/{chang.pk}/"))
    link = re.search(rf'<a href="/works/{bert.pk}/">(.*?)</a>', listing)
    assert link and link.group(1).startswith("Untitled work")
    assert "<h1></h1>" not in page.replace(" ", "")


# F4 -------------------------------------------------------------------------------------------


def test_f4_pmid_pmcid_and_mag_are_stored_and_linked(client):
    load("openalex", "openalex/work-W2741809807-state-of-oa-doi-pmid-pmcid.json")
    work = Work.objects.get(openalex_id="W2741809807")
    assert work.other_ids == {"mag": "2741809807", "pmcid": "PMC5815332", "pmid": "29456894"}

    page = text(client.get(f"/works/{work.pk}/"))
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/29456894/"' in page
    assert 'href="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC5815332/"' in page
    assert "MAG 2741809807" in page
    assert 'href="https://openalex.org/W2741809807"' in page
    api = client.get(f"/api/v1/works/{work.pk}/").json()
    assert api["other_ids"]["pmid"] == "29456894"


def test_f4_orcid_pubmed_ids_reach_the_work_too():
    load("orcid", "orcid/vcr-rorcid-person-and-works-v3.0-mixed-external-ids.yml", 1)
    assert Work.objects.filter(other_ids__pmid="27415786", other_ids__pmcid="PMC4945047").exists()


# F5 -------------------------------------------------------------------------------------------


def test_f5_a_url_is_never_the_venue_when_a_named_location_exists(client):
    load("openalex", SNOWBALL, 5)
    venues = dict(
        Work.objects.filter(
            openalex_id__in=["W1854214752", "W2251861449", "W205532704"]
        ).values_list("openalex_id", "venue__name")
    )
    assert venues == {
        "W1854214752": "The Web Conference",
        "W2251861449": "Joint Conference on Lexical and Computational Semantics",
        "W205532704": "Edinburgh Research Archive (University of Edinburgh)",
    }
    page = text(client.get(f"/works/{Work.objects.get(openalex_id='W1854214752').pk}/"))
    assert "pageranksub.ps</span>" not in page


# F6 -------------------------------------------------------------------------------------------


def test_f6_title_markup_is_kept_as_safe_html_and_entities_are_decoded_once(client):
    load("openalex", SNOWBALL, 5)
    pearson = Work.objects.get(openalex_id="W2091406001")
    page = text(client.get(f"/works/{pearson.pk}/"))
    assert "distributions of <i>b</i><sup>2</sup> and √<i>b</i><sup>1</sup></h1>" in page
    assert pearson.title.endswith("distributions of b2 and √b1")  # plain, for search

    semeval = Work.objects.get(openalex_id="W2251861449")
    assert "Pearson correlation>80%," in semeval.abstract
    assert "&amp;gt;" not in text(client.get(f"/works/{semeval.pk}/"))


def test_f6_unsafe_markup_in_a_title_never_reaches_the_page(client):
    from apps.records.markup import title_markup

    assert title_markup('x<sup onclick="a()">2</sup><script>b()</script>') == "x<sup>2</sup>"
    assert title_markup("Plain title") is None


def test_f6_a_garbled_upstream_name_gives_way_to_the_printed_one(client):
    load("openalex", SNOWBALL, 5)
    jegou = Work.objects.get(openalex_id="W2963118869").authorships.get(raw_name="Hervé Jégou")
    assert jegou.author.display_name == "Hervé Jégou"
    assert "<h1>Hervé Jégou" in text(client.get(f"/authors/{jegou.author_id}/"))
    # A display name that only adds what the byline lacks is kept.
    alperin = Work.objects.get(openalex_id="W2741809807").authorships.get(
        raw_name="Juan Pablo Alperin"
    )
    assert alperin.author.display_name == "Juan Pablo Alperín"


# F3 -------------------------------------------------------------------------------------------

ORCID_WORKS = "orcid/works-v3.0-json-sandbox-0000-0003-4997-3076.json"
ORCID_RECORD = "orcid/record-v3.0-json-sandbox-0000-0003-4997-3076.json"


def _orcid_bylines() -> list[tuple[str, str]]:
    owner = Author.objects.get(orcid="0000-0003-4997-3076")
    return sorted(owner.authorships.values_list("raw_name", "author__display_name"))


def test_f3_orcid_import_order_does_not_matter():
    load("orcid", ORCID_RECORD)
    load("orcid", ORCID_WORKS)
    record_first = _orcid_bylines()
    assert record_first and "Unknown author" not in str(record_first)

    for model in (Authorship, Work, Author):
        model.objects.all().delete()
    load("orcid", ORCID_WORKS)
    load("orcid", ORCID_RECORD)

    assert _orcid_bylines() == record_first


# F7 -------------------------------------------------------------------------------------------


def test_f7_an_orcid_group_takes_every_field_from_its_preferred_version():
    # Group "KBase Educators Overview": ORCID's preferred version (put-code 1489307) names no
    # journal; the other version (1526014, "TEST TITLE HERE") names "Testing Services, Inc.".
    load("orcid", ORCID_WORKS)
    work = Work.objects.get(provenance__source_key="1489307")
    assert (work.title, work.venue, work.publication_year, work.type) == (
        "KBase Educators Overview",
        None,
        2020,
        "dataset",
    )
    assert work.landing_url == "https://www.osti.gov/servlets/purl/1668075/"


# F8 -------------------------------------------------------------------------------------------


def test_f8_the_author_page_says_how_many_works_openalex_knows(client):
    load("openalex", "openalex/work-W2741809807-state-of-oa-doi-pmid-pmcid.json")
    load("openalex", "openalex/author-A5023888391-jason-priem.json")
    priem = Author.objects.get(openalex_id="A5023888391")
    assert priem.works_count == 1

    page = text(client.get(f"/authors/{priem.pk}/"))
    assert "OpenAlex lists 62 works for this person; 1 is on Peerage." in page
    assert 'href="https://openalex.org/works?filter=authorships.author.id:A5023888391"' in page
    # A record whose works are all here says nothing of the kind.
    alperin = Author.objects.get(display_name="Juan Pablo Alperín")
    assert "OpenAlex lists" not in text(client.get(f"/authors/{alperin.pk}/"))


# Code and data links --------------------------------------------------------------------------

ARXIV_FEED = "arxiv/query-all-testing-start0-max10.atom.xml"


def test_zenodo_deposits_in_openalex_locations_become_one_link(client):
    load("openalex", SNOWBALL, 5)
    coci = Work.objects.get(openalex_id="W2938946739")
    assert list(coci.links.values_list("url", "kind", "origin")) == [
        ("https://zenodo.org/records/3058122", "deposit", "openalex")
    ]
    page = text(client.get(f"/works/{coci.pk}/"))
    assert 'href="https://zenodo.org/records/3058122"' in page and "found in OpenAlex" in page
    api = client.get(f"/api/v1/works/{coci.pk}/").json()
    assert api["links"] == [
        {
            "url": "https://zenodo.org/records/3058122",
            "kind": "deposit",
            "label": "",
            "origin": "openalex",
        }
    ]


def _feed_with_comment(comment: str) -> tuple[bytes, str]:
    """The genuine arXiv feed, its first entry's comment replaced by `comment`."""
    feed = body(ARXIV_FEED).decode()
    start = feed.index("<arxiv:comment")
    end = feed.index("</arxiv:comment>", start)
    opening = feed[start : feed.index(">", start) + 1]
    entry_id = re.search(r"<id>https?://arxiv.org/abs/([^<v]+)", feed[feed.index("<entry>") :])
    return (feed[:start] + opening + comment + feed[end:]).encode(), entry_id.group(1)


def test_code_and_data_links_in_an_arxiv_comment_are_kept():
    feed, arxiv_id = _feed_with_comment(
        "12 pages. Code: https://github.com/example-lab/tool.git; data at "
        "huggingface.co/datasets/example-lab/corpus."
    )
    import_batch(parse("arxiv", feed))
    work = Work.objects.get(arxiv_id=arxiv_id)
    assert sorted(work.links.values_list("url", "kind")) == [
        ("https://github.com/example-lab/tool", "code"),
        ("https://huggingface.co/datasets/example-lab/corpus", "data"),
    ]
    # The untouched feed names no such links: every other entry has none.
    assert not Work.objects.exclude(pk=work.pk).filter(links__isnull=False).exists()


# F9 -------------------------------------------------------------------------------------------

WIDGETS = "crossref/works-query-widget-cursor.body.json"


def test_f9_name_only_records_of_one_person_are_suggested_never_merged():
    from apps.records.duplicates import likely_same_person

    load("crossref", WIDGETS)
    radevs = list(Author.objects.filter(display_name="Tihomir Radev").order_by("id"))
    assert len(radevs) == 5  # one name-only record per chapter, as Crossref names him

    found = likely_same_person(radevs[0])
    assert [c.author for c in found] == radevs[1:]
    assert found[0].venues == ["Custom Widgets in Android Studio"]
    assert found[0].reasons == ["venue Custom Widgets in Android Studio"]
    assert Author.objects.filter(display_name="Tihomir Radev", merged_into=None).count() == 5


def test_f9_a_shared_name_alone_suggests_nothing():
    from apps.records.duplicates import likely_same_person

    load("crossref", WIDGETS)
    radev = Author.objects.filter(display_name="Tihomir Radev").first()
    namesake = Author(display_name="Tihomir Radev")
    namesake.set_names("Tihomir Radev")
    namesake.save()
    assert namesake not in [c.author for c in likely_same_person(radev)]
    assert likely_same_person(namesake) == []


# Provenance per field -------------------------------------------------------------------------


def test_the_work_page_says_where_each_field_came_from(client):
    import datetime

    december = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)
    crossref = parse("crossref", body("crossref/works-10.1371-journal.pone.0033693.body.json"))
    import_batch(crossref, now=december)
    work = Work.objects.get(doi="10.1371/journal.pone.0033693")
    page = text(client.get(f"/works/{work.pk}/"))
    assert "Title from Crossref, 3 Dec 2026 · authors from Crossref, 3 Dec 2026" in page
    listing = text(client.get("/recent/", follow=True))
    assert f'href="/works/{work.pk}/"' in listing
    assert "from Crossref, 3 Dec" not in listing  # a list row does not carry it
