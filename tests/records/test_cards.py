"""Recognition cards: in author search and "Is this you?", each record shows what tells two
people of one name apart (institutions, top topics, three recent titles, closest co-authors,
years active, identifiers, claimed or not), at a cost that does not grow with the list."""

import datetime

import pytest
from django.urls import reverse

from apps.claims.services import works_disown
from apps.records.models import CoAuthorship, Institution, Work
from apps.records.services import author_metrics_refresh
from tests.factories import claimed_record, count_queries, make_author

pytestmark = pytest.mark.django_db
ORCID = "0000-0002-1825-0097"


def tariq(records, n: int, *, topic_code: str, institution: str):
    author = records.author("Tariq Y\u0131lmaz")
    author.institutions.add(Institution.objects.create(name=institution))
    topic = records.topic(topic_code, f"Topic {topic_code}")
    for year in range(n):
        records.work(
            author,
            title=f"{topic_code} study {year}",
            date=datetime.date(2010 + year, 1, 1),
            topics=[topic],
        )
    author_metrics_refresh([author.pk])  # as an import does: the card reads what it stores
    return author


@pytest.fixture
def two_tariqs(records):
    physicist = tariq(records, 4, topic_code="hep-th", institution="Boğaziçi University")
    chemist = tariq(records, 2, topic_code="chem", institution="Ankara University")
    friend = records.author("Reza Tehrani")
    CoAuthorship.objects.create(author=physicist, coauthor=friend, shared_works=3)
    return physicist, chemist


def cards_of(page: str) -> list[str]:
    return page.split('data-testid="author-card"')[1:]


def test_search_cards_tell_two_records_of_one_name_apart(client, two_tariqs, peer):
    physicist, chemist = two_tariqs
    claimed_record(peer, "Tariq Yilmaz", ORCID)
    page = client.get(reverse("records:search"), {"q": "Tariq Y\u0131lmaz"}).content.decode()
    cards = {card.split("/authors/")[1].split("/")[0]: card for card in cards_of(page)}

    one = cards[str(physicist.pk)]
    assert "Boğaziçi University" in one and "Topic hep-th" in one
    assert "2010\u20132013" in one  # years active
    # the three most recent titles, not the oldest
    assert "hep-th study 3" in one and "hep-th study 1" in one and "hep-th study 0" not in one
    assert "Reza Tehrani" in one  # closest co-author
    assert "Unclaimed" in one

    two = cards[str(chemist.pk)]
    assert "Ankara University" in two and "Topic chem" in two and "Reza" not in two
    held = [card for pk, card in cards.items() if pk not in (str(physicist.pk), str(chemist.pk))]
    assert "Claimed" in held[0] and f"ORCID {ORCID}" in held[0]


def test_a_longer_list_of_cards_costs_no_more_queries(client, records):
    few = tariq(records, 1, topic_code="a", institution="One")
    url = reverse("records:search") + "?q=Tariq+Yilmaz"
    client.get(url)
    cost_of_one = count_queries(client, url)
    for i in range(6):
        tariq(records, 3, topic_code=f"t{i}", institution=f"Inst {i}")
    cost_of_seven, response = count_queries(client, url, with_response=True)
    assert len(cards_of(response.content.decode())) == 7
    # search (one query, or two with the trigram top-up), institutions, topics, co-authors,
    # the stored years and newest work ids, their titles, claimed
    assert cost_of_seven == cost_of_one <= 8
    assert few.pk


def test_is_this_you_shows_the_cards_within_the_same_budget(researcher_client, records):
    tariq(records, 2, topic_code="x", institution="Sabanc\u0131 University")
    url = reverse("claims:find") + "?q=Tariq+Yilmaz"
    researcher_client.get(url)
    cost, response = count_queries(researcher_client, url, with_response=True)
    page = response.content.decode()
    assert 'data-testid="candidate"' in page and "Sabanc\u0131 University" in page
    for i in range(5):
        tariq(records, 2, topic_code=f"y{i}", institution=f"Inst {i}")
    assert count_queries(researcher_client, url) == cost


def card_of(client, author) -> str:
    page = client.get(reverse("records:search"), {"q": author.display_name}).content.decode()
    return next(c for c in cards_of(page) if f"/authors/{author.pk}/" in c.split("</a>")[0])


def test_a_work_disowned_leaves_the_card_at_once(client, records, peer):
    """ "Not mine" on the newest work: the card lists the next three and the years shrink."""
    author = claimed_record(peer, "Tariq Yilmaz", ORCID)
    for year in range(5):
        records.work(author, title=f"Study {year}", date=datetime.date(2015 + year, 6, 1))
    author_metrics_refresh([author.pk])
    before = card_of(client, author)
    assert "2015\u20132019" in before and "Study 4" in before and "Study 1" not in before

    newest = Work.objects.get(title="Study 4")
    works_disown(user=peer, author=author, work_ids=[newest.pk])
    after = card_of(client, author)
    assert "2015\u20132018" in after
    assert "Study 4" not in after and "Study 3" in after and "Study 1" in after


def test_a_retitled_work_shows_its_new_title_on_the_card(client, records):
    author = tariq(records, 2, topic_code="x", institution="Somewhere")
    Work.objects.filter(title="x study 1").update(title="A better title")
    card = card_of(client, author)
    assert "A better title" in card and "x study 1" not in card


def test_undated_works_come_last_and_do_not_count_as_years(client, records):
    author = make_author("Tariq Yilmaz")
    records.work(author, title="Undated", date=None)
    for day in (1, 2, 3):
        records.work(author, title=f"Dated {day}", date=datetime.date(2020, 1, day))
    author_metrics_refresh([author.pk])
    card = card_of(client, author)
    assert "Undated" not in card and "Dated 1" in card
    assert "4 works \u00b7 2020</span>" in card  # one year, not "2020\u20132020"


def test_co_authors_closest_first_and_three_at_most(client, records):
    author = make_author("Tariq Yilmaz")
    for shared, name in [(1, "Ann Far"), (5, "Bea Near"), (3, "Cem Mid"), (2, "Dan Less")]:
        CoAuthorship.objects.create(author=author, coauthor=make_author(name), shared_works=shared)
    card = card_of(client, author)
    often = card.split("Often with")[1]
    assert often.index("Bea Near") < often.index("Cem Mid") < often.index("Dan Less")
    assert "Ann Far" not in often
