"""One row per work however it is spelled: enforced by the database, not just by code."""

import pytest
from django.db import IntegrityError, transaction

from apps.records.identifiers import normalize_arxiv_id, normalize_doi, normalize_orcid
from apps.records.models import Author, Work

pytestmark = pytest.mark.django_db


def _rejected(**fields) -> bool:
    try:
        with transaction.atomic():
            Work.objects.create(title="t", **fields)
    except IntegrityError:
        return True
    return False


def test_two_spellings_of_a_doi_are_one_row():
    Work.objects.create(title="t", doi=normalize_doi("10.1234/abc"))
    assert normalize_doi("https://doi.org/10.1234/ABC") == "10.1234/abc"
    assert _rejected(doi=normalize_doi("https://doi.org/10.1234/ABC"))


@pytest.mark.parametrize("raw", ["10.1234/ABC", "https://doi.org/10.1234/abc"])
def test_an_unnormalised_doi_cannot_be_stored(raw):
    assert _rejected(doi=raw)


def test_two_spellings_of_an_arxiv_id_are_one_row():
    Work.objects.create(title="t", arxiv_id=normalize_arxiv_id("2401.01234"))
    assert _rejected(arxiv_id=normalize_arxiv_id("arXiv:2401.01234v2"))


def test_a_versioned_arxiv_id_cannot_be_stored():
    assert _rejected(arxiv_id="2401.01234v2")


def test_openalex_ids_are_unique():
    Work.objects.create(title="t", openalex_id="W2741809807")
    assert _rejected(openalex_id="W2741809807")


def test_an_orcid_id_belongs_to_one_author(records):
    records.author("Ada Lindqvist", orcid=normalize_orcid("https://orcid.org/0000-0003-1415-9269"))
    with pytest.raises(IntegrityError), transaction.atomic():
        records.author("A. Lindqvist", orcid="0000-0003-1415-9269")


def test_an_author_cannot_be_merged_into_itself(records):
    author = records.author("Ada Lindqvist")
    with pytest.raises(IntegrityError), transaction.atomic():
        Author.objects.filter(pk=author.pk).update(merged_into=author)
