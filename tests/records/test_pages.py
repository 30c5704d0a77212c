"""The record pages as a visitor sees them."""

import datetime
import re

import pytest

from apps.records.services import author_metrics_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def yongji(records):
    author = records.author("Yongji Wu", orcid="0000-0003-1415-9269", variants=["Wu Yongji"])
    peers = [records.author(n) for n in ("Ada Lindqvist", "Tomas Okafor", "Mei Tanaka", "Li Na")]
    dc, lg = records.topic("cs.DC", "Distributed Computing"), records.topic("cs.LG", "Learning")
    records.work(
        author,
        *peers,
        title="Five-author paper",
        topics=[dc],
        doi="10.5555/x.1",
        arxiv_id="2401.01234",
        code_url="https://example.org/code",
        abstract="Hidden at first.",
        date=datetime.date(2023, 6, 1),
        type="preprint",
    )
    records.work(
        author,
        peers[0],
        title="Two-author paper",
        topics=[lg],
        date=datetime.date(2024, 2, 2),
        type="article",
    )
    records.work(author, peers[0], title="Undated paper", topics=[dc], date=None)
    author_metrics_refresh([author.id, *(p.id for p in peers)])
    author.refresh_from_db()
    return author


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_author_page_sections_come_in_the_spec_order(client, yongji):
    html = _text(client.get(f"/authors/{yongji.pk}/"))
    order = [
        "Verification L1",
        "follower",
        "Identity and collaboration",
        "Research graph",
        "Published work",
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "Unclaimed author" in html
    assert "Claiming links this public author record" in html
    assert "Log in to claim" in html


def test_author_page_shows_live_counts_and_the_graph(client, yongji):
    html = _text(client.get(f"/authors/{yongji.pk}/"))
    assert "<strong>3</strong> works" in html
    assert "<strong>2</strong> topics" in html
    assert "<strong>1</strong> close collaborator" in html  # Ada shares all three; the rest one
    assert 'Ada Lindqvist</a> <span class="muted">3 shared' in html


def test_works_are_newest_first_with_undated_last(client, yongji):
    html = _text(client.get(f"/authors/{yongji.pk}/"))
    assert (
        html.index("Two-author paper")
        < html.index("Five-author paper")
        < html.index("Undated paper")
    )


def test_a_long_byline_is_shortened_with_et_al(client, yongji):
    html = _text(client.get(f"/authors/{yongji.pk}/"))
    assert "Yongji Wu</a>, <a" in html
    assert "Tomas Okafor</a>, et al." in html
    assert "Mei Tanaka" not in html.split("Published work")[1]


def test_a_work_row_has_its_links_tags_and_abstract_on_demand(client, yongji):
    html = _text(client.get(f"/authors/{yongji.pk}/"))
    assert 'href="https://doi.org/10.5555/x.1"' in html
    assert 'href="https://arxiv.org/abs/2401.01234"' in html
    assert 'href="https://example.org/code"' in html
    assert '<a class="tag" href="/topics/cs-dc/">cs.DC</a>' in html
    assert '<details class="abstract"><summary>Abstract</summary><p>Hidden at first.</p>' in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("year=2024", "Two-author paper", "Five-author paper"),
        ("type=preprint", "Five-author paper", "Two-author paper"),
        ("topic=cs-lg", "Two-author paper", "Undated paper"),
    ],
)
def test_works_filters(client, yongji, query, shown, hidden):
    html = _text(client.get(f"/authors/{yongji.pk}/?{query}")).split("Published work")[1]
    assert shown in html
    assert hidden not in html


def test_a_bad_filter_is_a_400(client, yongji):
    assert client.get(f"/authors/{yongji.pk}/?year=banana").status_code == 400
    assert client.get(f"/authors/{yongji.pk}/?cursor=garbage").status_code == 400


def test_works_pages_follow_the_cursor(client, records, yongji):
    for i in range(30):
        records.work(yongji, title=f"Bulk paper {i:02d}")
    first = _text(client.get(f"/authors/{yongji.pk}/"))
    cursor = re.search(r'rel="next" href="\?cursor=([^"]+)"', first).group(1)
    second = _text(client.get(f"/authors/{yongji.pk}/?cursor={cursor}"))
    assert "Bulk paper 29" in first and "Bulk paper 29" not in second
    assert "Undated paper" in second
    assert 'rel="prev"' in second


def test_disowned_works_are_not_shown(client, yongji):
    yongji.authorships.filter(work__title="Undated paper").update(status="disowned")
    assert "Undated paper" not in _text(client.get(f"/authors/{yongji.pk}/"))


def test_a_merged_record_redirects_to_the_one_it_was_merged_into(client, records, yongji):
    duplicate = records.author("Y. Wu")
    duplicate.merged_into = yongji
    duplicate.save(update_fields=["merged_into"])
    response = client.get(f"/authors/{duplicate.pk}/")
    assert response.status_code == 301
    assert response["Location"] == f"/authors/{yongji.pk}/"


def test_unknown_records_are_404(client, db):
    assert client.get("/authors/999999/").status_code == 404
    assert client.get("/works/999999/").status_code == 404
    assert client.get("/topics/no-such-topic/").status_code == 404


def test_work_page_lists_every_author_linked_and_nearby_papers(client, yongji):
    work = yongji.authorships.get(work__title="Five-author paper").work
    html = _text(client.get(f"/works/{work.pk}/"))
    for authorship in work.authorships.all():
        assert f'href="/authors/{authorship.author_id}/">{authorship.raw_name}</a>' in html
    assert "Two-author paper" in html.split("Nearby papers")[1]


def test_search_page_finds_authors_and_works(client, yongji):
    assert "Yongji Wu" in _text(client.get("/search/?q=Wu%2C+Yongji"))
    html = _text(client.get("/search/?q=undated&kind=works"))
    assert "Undated paper" in html
    assert "No authors match" in _text(client.get("/search/?q=Nobody+Atall"))


def test_recent_redirects_to_the_newest_day_and_lists_it(client, yongji):
    response = client.get("/recent/")
    assert response.status_code == 302
    assert response["Location"] == "/recent/2024-02-02/"
    html = _text(client.get("/recent/2024-02-02/"))
    assert "Two-author paper" in html
    assert "Five-author paper" not in html
    assert 'href="/recent/2023-06-01/"' in html


def test_topic_page_lists_its_works(client, yongji):
    html = _text(client.get("/topics/cs-dc/"))
    assert "Five-author paper" in html and "Undated paper" in html
    assert "Two-author paper" not in html


def test_the_header_search_box_is_on_every_page(client, yongji):
    assert 'role="search" action="/search/"' in _text(client.get("/"))
