"""Citation exports: known-good BibTeX, RIS and CSL-JSON written out by hand for works with
diacritics and title markup, then the export pages and API (filters, "not mine", bad input)."""

import datetime
import json

import pytest

from apps.records.citations import Citation, split_name, to_bibtex, to_csl, to_ris
from apps.records.models import Venue

TITLE = "Growth of <i>Escherichia coli</i> in H<sub>2</sub>O &amp; 50% DNA"


def sample() -> Citation:
    return Citation(
        key="muller2024growth7",
        type="article",
        title=TITLE,
        authors=[split_name(n) for n in ("Zoë Müller", "Łukasz Dvořák", "Jan van der Berg")],
        date=datetime.date(2024, 3, 5),
        precision="day",
        year=2024,
        venue="Journal of Études",
        doi="10.1234/abc_def",
        url="https://doi.org/10.1234/abc_def",
        abstract="We grew  things.",
    )


def preprint() -> Citation:
    return Citation(
        key="lindqvist2023note8",
        type="preprint",
        title="A note on x<sup>2</sup> &lt; 1 <mml:math><mml:mi>\u03b1</mml:mi></mml:math>",
        authors=[split_name("Lindqvist, Ada M."), split_name("Plato")],
        date=datetime.date(2023, 11, 1),
        precision="month",
        year=2023,
        arxiv_id="2311.00001",
        url="https://arxiv.org/abs/2311.00001",
    )


BIBTEX = r"""@article{muller2024growth7,
  author = {M{\"u}ller, Zo{\"e} and Dvo{\v{r}}{\'a}k, {\L}ukasz and {van der Berg}, Jan},
  title = {Growth of \textit{Escherichia coli} in H\textsubscript{2}O {\&} 50{\%} {DNA}},
  journal = {Journal of {\'E}tudes},
  year = {2024},
  month = mar,
  doi = {10.1234/abc_def},
  url = {https://doi.org/10.1234/abc_def}
}

@misc{lindqvist2023note8,
  author = {Lindqvist, Ada M. and Plato},
  title = {A note on x\textsuperscript{2} {\ensuremath{<}} 1 {\ensuremath{\alpha}}},
  year = {2023},
  month = nov,
  eprint = {2311.00001},
  archiveprefix = {arXiv},
  url = {https://arxiv.org/abs/2311.00001}
}
"""

RIS = """\
TY  - JOUR
TI  - Growth of Escherichia coli in H2O & 50% DNA
AU  - Müller, Zoë
AU  - Dvořák, Łukasz
AU  - van der Berg, Jan
PY  - 2024
DA  - 2024/03/05
T2  - Journal of Études
DO  - 10.1234/abc_def
UR  - https://doi.org/10.1234/abc_def
AB  - We grew things.
ER  - {end}

TY  - UNPB
TI  - A note on x2 < 1 \u03b1
AU  - Lindqvist, Ada M.
AU  - Plato
PY  - 2023
DA  - 2023/11/
UR  - https://arxiv.org/abs/2311.00001
ER  - {end}
""".format(end="")  # RIS ends a record with "ER  - "

CSL = [
    {
        "id": "muller2024growth7",
        "type": "article-journal",
        "title": "Growth of <i>Escherichia coli</i> in H<sub>2</sub>O & 50% DNA",
        "author": [
            {"family": "Müller", "given": "Zoë"},
            {"family": "Dvořák", "given": "Łukasz"},
            {"family": "van der Berg", "given": "Jan"},
        ],
        "issued": {"date-parts": [[2024, 3, 5]]},
        "container-title": "Journal of Études",
        "DOI": "10.1234/abc_def",
        "URL": "https://doi.org/10.1234/abc_def",
        "abstract": "We grew  things.",
    },
    {
        "id": "lindqvist2023note8",
        "type": "article",
        "title": "A note on x<sup>2</sup> < 1 \u03b1",
        "author": [{"family": "Lindqvist", "given": "Ada M."}, {"literal": "Plato"}],
        "issued": {"date-parts": [[2023, 11]]},
        "URL": "https://arxiv.org/abs/2311.00001",
        "number": "arXiv:2311.00001",
    },
]


def test_bibtex_escapes_diacritics_and_turns_markup_into_latex():
    assert to_bibtex([sample(), preprint()]) == BIBTEX


def test_ris_is_plain_text_in_utf8():
    assert to_ris([sample(), preprint()]) == RIS


def test_csl_json_keeps_the_markup_csl_reads():
    assert json.loads(to_csl([sample(), preprint()])) == CSL


@pytest.mark.parametrize(
    ("printed", "family", "given"),
    [
        ("Ada M. Lindqvist", "Lindqvist", "Ada M."),
        ("Lindqvist, Ada", "Lindqvist", "Ada"),
        ("Ludwig van Beethoven", "van Beethoven", "Ludwig"),
        ("Plato", "Plato", ""),
    ],
)
def test_split_name(printed, family, given):
    name = split_name(printed)
    assert (name.family, name.given) == (family, given)


# --- Pages and API ---------------------------------------------------------------------------


@pytest.fixture
def shelf(records):
    """Zoë's record: an article with markup (2024, cs.DC), a preprint (2023) and a work she
    disowned."""
    zoe = records.author("Zoë Müller")
    other = records.author("Łukasz Dvořák")
    dc = records.topic("cs.DC")
    venue = Venue.objects.create(name="Journal of Études")
    article = records.work(
        zoe, other, title=TITLE, type="article", venue=venue, date=datetime.date(2024, 3, 5)
    )
    article.topics.add(dc)
    older = records.work(
        zoe, title="An older preprint", type="preprint", date=datetime.date(2023, 1, 2)
    )
    disowned = records.work(zoe, other, title="Somebody else's paper")
    disowned.authorships.filter(author=zoe).update(status="disowned")
    return zoe, article, older, dc


def test_author_export_lists_visible_works_as_bibtex(client, shelf):
    zoe = shelf[0]
    response = client.get(f"/authors/{zoe.pk}/export/?format=bibtex")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert f'filename="peerage-author-{zoe.pk}.bib"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.count("\n@") + text.startswith("@") == 2
    assert r"\textit{Escherichia coli}" in text
    assert "An older preprint" in text
    assert "Somebody else" not in text  # the claimant said "not mine"


def test_author_export_follows_the_page_filters(client, shelf):
    zoe, dc = shelf[0], shelf[3]
    by_year = json.loads(client.get(f"/authors/{zoe.pk}/export/?format=csl&year=2023").content)
    assert [item["title"] for item in by_year] == ["An older preprint"]
    by_topic = client.get(f"/authors/{zoe.pk}/export/?format=ris&topic={dc.slug}")
    assert by_topic.content.decode().count("TY  - ") == 1
    assert "TY  - JOUR" in by_topic.content.decode()


@pytest.mark.parametrize("query", ["?format=docx", "", "?format=bibtex&year=nope"])
def test_author_export_refuses_bad_input_with_400(client, shelf, query):
    response = client.get(f"/authors/{shelf[0].pk}/export/{query}")
    assert response.status_code == 400


def test_work_export_is_one_entry(client, shelf):
    _, article, _, _ = shelf
    response = client.get(f"/works/{article.pk}/export/?format=ris")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith("TY  - JOUR\n") and "AU  - Dvořák, Łukasz" in text
    assert client.get(f"/works/{article.pk}/export/?format=tex").status_code == 400
    assert client.get("/works/999999/export/?format=ris").status_code == 404


def test_api_exports_match_the_pages(client, shelf):
    zoe, article, _, _ = shelf
    page = client.get(f"/authors/{zoe.pk}/export/?format=csl&type=preprint")
    api = client.get(f"/api/v1/authors/{zoe.pk}/export/?format=csl&type=preprint")
    assert api.status_code == 200
    assert api["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    assert api.content == page.content
    work = client.get(f"/api/v1/works/{article.pk}/export/?format=bibtex")
    assert work.status_code == 200 and work.content.startswith(b"@article{")


def test_api_export_bad_format_is_a_json_400(client, shelf):
    response = client.get(f"/api/v1/authors/{shelf[0].pk}/export/?format=docx")
    assert response.status_code == 400
    assert "format" in response.json()
    missing = client.get(f"/api/v1/works/{shelf[1].pk}/export/")
    assert missing.status_code == 400


def test_export_menu_on_author_and_work_pages_carries_the_filters(client, shelf):
    zoe, article, _, _ = shelf
    page = client.get(f"/authors/{zoe.pk}/?year=2024").content.decode()
    assert f"/authors/{zoe.pk}/export/?year=2024&amp;format=bibtex" in page
    work_page = client.get(f"/works/{article.pk}/").content.decode()
    assert f"/works/{article.pk}/export/?format=csl" in work_page


def test_author_export_query_count_does_not_grow_with_works(
    client, records, django_assert_max_num_queries
):
    zoe = records.author("Zoë Müller")
    peers = [records.author() for _ in range(5)]
    for _ in range(30):
        records.work(zoe, *peers)
    # author, works (with venue), their bylines
    with django_assert_max_num_queries(3):
        response = client.get(f"/authors/{zoe.pk}/export/?format=bibtex")
    assert response.content.decode().count("@misc{") == 30
