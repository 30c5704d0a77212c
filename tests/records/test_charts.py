"""Charts on the author page: works and citations per year and the trust score's history, drawn
as SVG on the server with a title, a description and a table, within the page's query budget."""

import datetime
import re

import pytest
from django.utils import timezone

from apps.records.charts import BOTTOM, HEIGHT, TOP, bar_chart, line_chart, year_series
from apps.trust.models import TrustHistory, TrustRecord
from tests.factories import author_page_budget

PLOT = HEIGHT - TOP - BOTTOM


def test_year_series_fills_the_gaps_with_zero():
    assert year_series({2019: 2, 2022: 1}) == [("2019", 2), ("2020", 0), ("2021", 0), ("2022", 1)]
    assert year_series({}) == []


def test_bar_chart_scales_to_a_round_top_and_describes_itself():
    chart = bar_chart(
        "w", "Works per year", [("2020", 4), ("2021", 0), ("2022", 10)], noun="works", source=""
    )
    assert [bar.value for bar in chart.bars] == [4, 0, 10]
    assert chart.bars[2].height == PLOT  # 10 is the axis top
    assert chart.bars[0].height == pytest.approx(PLOT * 0.4, abs=0.1)
    assert chart.bars[1].height == 0
    assert [tick.label for tick in chart.ticks] == ["0", "5", "10"]
    assert chart.desc == "From 2020 to 2022: 14 works in all, the most in 2022 (10)."
    assert bar_chart("w", "t", [], noun="works", source="") is None


def test_line_chart_needs_two_points():
    assert line_chart("t", "t", [("2024-01-01", 40)], top=100, noun="scores", source="") is None
    chart = line_chart("t", "t", [("a", 0), ("b", 100)], top=100, noun="scores", source="")
    start, end = chart.points.split(" ")
    assert start.endswith(f",{HEIGHT - BOTTOM:.1f}") and end.endswith(f",{TOP:.1f}")


def section(html: str, css_class: str) -> str:
    match = re.search(rf'<section class="panel {css_class}".*?</section>', html, re.S)
    assert match, css_class
    return match.group(0)


@pytest.fixture
def career(records):
    ada = records.author("Ada Lindqvist")
    for year, cites in [(2019, 5), (2019, 7), (2021, 30)]:
        records.work(ada, date=datetime.date(year, 3, 1), citation_count=cites)
    disowned = records.work(ada, date=datetime.date(2020, 3, 1), citation_count=99)
    disowned.authorships.filter(author=ada).update(status="disowned")
    return ada


def test_author_page_draws_works_and_citations_from_its_works(client, career):
    charts = section(client.get(f"/authors/{career.pk}/").content.decode(), "charts")
    assert charts.count('<svg class="chart-svg"') == 2
    assert (
        'role="img"' in charts
        and '<title id="works-per-year-title">Works per year</title>' in charts
    )
    assert "From 2019 to 2021: 3 works in all, the most in 2019 (2)." in charts
    # The table alternative: 2020 is a gap (the disowned work is not counted), not missing.
    assert '<th scope="row">2020</th><td>0</td>' in charts
    assert "Citations by year of publication" in charts
    assert "From 2019 to 2021: 42 citations in all, the most in 2021 (30)." in charts
    assert "style=" not in charts  # a strict CSP is coming: classes only


def test_citations_come_from_openalex_counts_when_stored(client, career):
    career.counts_by_year = [
        {"year": 2023, "works": 1, "citations": 12},
        {"year": 2024, "works": 0, "citations": 40},
    ]
    career.save(update_fields=["counts_by_year"])
    charts = section(client.get(f"/authors/{career.pk}/").content.decode(), "charts")
    assert "Citations per year" in charts and "as OpenAlex counts them" in charts
    assert "From 2023 to 2024: 52 citations in all, the most in 2024 (40)." in charts


def test_a_record_without_dated_works_shows_no_charts(client, records):
    ada = records.author("Ada Undated")
    records.work(ada, date=None)
    assert 'class="panel charts"' not in client.get(f"/authors/{ada.pk}/").content.decode()


def test_trust_history_is_a_line_in_why_this_score(client, career, django_assert_max_num_queries):
    now = timezone.now()
    TrustRecord.objects.create(author=career, score=55, version=1, computed_at=now)
    for days, score in [(30, 20), (20, 35), (10, 55)]:
        TrustHistory.objects.create(
            author=career, score=score, version=1, computed_at=now - datetime.timedelta(days=days)
        )
    with django_assert_max_num_queries(
        author_page_budget(10)
    ):  # the author page's budget for a visitor
        html = client.get(f"/authors/{career.pk}/").content.decode()
    why = html[html.index('data-testid="trust-why"') :]
    why = why[: why.index("</details>\n</details>") if "</details>\n</details>" in why else None]
    assert 'data-testid="chart-trust-history"' in why
    assert "3 scores from" in why and "20 at first, 55 now" in why
    assert '<polyline class="chart-line"' in why


def test_no_trust_chart_with_a_single_score(client, career):
    now = timezone.now()
    TrustRecord.objects.create(author=career, score=55, version=1, computed_at=now)
    TrustHistory.objects.create(author=career, score=55, version=1, computed_at=now)
    assert (
        'data-testid="chart-trust-history"'
        not in client.get(f"/authors/{career.pk}/").content.decode()
    )
