"""Search takes an ORCID iD, a DOI, an arXiv id or an OpenAlex id and goes straight to the
record or work that has it; an identifier nothing here has says so and searches by words."""

import pytest
from django.urls import reverse

from apps.records.identifiers import recognise

pytestmark = pytest.mark.django_db
ORCID = "0000-0002-1825-0097"


@pytest.fixture
def held(records):
    author = records.author("Josiah Carberry", orcid=ORCID, openalex_id="A5023888391")
    work = records.work(
        author, title="Tea and pigeons", doi="10.1234/tea.2020", openalex_id="W2741809807"
    )
    new_style = records.work(author, title="Pigeon routes", arxiv_id="2401.01234")
    old_style = records.work(author, title="Older pigeons", arxiv_id="hep-th/9901001")
    return {"author": author, "work": work, "new": new_style, "old": old_style}


def lands_on(client, query: str) -> str:
    response = client.get(reverse("records:search"), {"q": query})
    assert response.status_code == 302, query
    return response["Location"]


@pytest.mark.parametrize(
    "query",
    [ORCID, "0000000218250097", f"https://orcid.org/{ORCID}", "A5023888391", "a5023888391",
     "https://openalex.org/A5023888391"],
)  # fmt: skip
def test_an_authors_identifier_goes_to_the_record(client, held, query):
    assert lands_on(client, query) == reverse("records:author", args=[held["author"].pk])


@pytest.mark.parametrize(
    ("query", "which"),
    [
        ("10.1234/tea.2020", "work"),
        ("10.1234/TEA.2020", "work"),
        ("https://doi.org/10.1234/tea.2020", "work"),
        ("doi:10.1234/tea.2020", "work"),
        (" https://dx.doi.org/10.1234/tea.2020 ", "work"),
        ("W2741809807", "work"),
        ("https://openalex.org/works/W2741809807", "work"),
        ("2401.01234", "new"),
        ("2401.01234v3", "new"),
        ("arXiv:2401.01234v1", "new"),
        ("https://arxiv.org/abs/2401.01234v2", "new"),
        ("10.48550/arXiv.2401.01234", "new"),
        ("hep-th/9901001", "old"),
        ("hep-th/9901001v2", "old"),
        ("arXiv:hep-th/9901001", "old"),
    ],
)
def test_a_works_identifier_goes_to_the_work(client, held, query, which):
    assert lands_on(client, query) == reverse("records:work", args=[held[which].pk])


def test_an_identifier_nothing_here_has_says_so_and_searches_by_words(client, held):
    response = client.get(reverse("records:search"), {"q": "10.9999/not.here"})
    assert response.status_code == 200
    assert b'data-testid="identifier-unknown"' in response.content
    assert b"10.9999/not.here" in response.content


def test_words_are_searched_as_words(client, held):
    response = client.get(reverse("records:search"), {"q": "Carberry"})
    assert response.status_code == 200
    assert b"identifier-unknown" not in response.content
    assert b"Josiah Carberry" in response.content


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ada Lovelace", None),
        ("A1", None),  # too short to be taken for an OpenAlex key
        ("0000-0002-1825-0098", None),  # a bad check digit is no ORCID iD
        ("https://openalex.org/I27837315", None),  # an institution: not a record or work
        ("10.48550/arXiv.2401.01234", ("arxiv", "2401.01234")),
        ("math.GT/0309136", ("arxiv", "math/0309136")),
    ],
)
def test_recognise(text, expected):
    assert recognise(text) == expected
