""" "How you are connected" on the invite page: the shortest co-author path between the
sender's record and the recipient's (records.graph, as the fit's distance)."""

import pytest

from apps.records.services import author_metrics_refresh

pytestmark = pytest.mark.django_db


def test_invite_page_shows_the_path_to_the_recipient(
    researcher_client, researcher_record, peer_record, records
):
    middle = records.author("Mia Middle")
    records.work(researcher_record, middle)
    records.work(middle, peer_record)
    author_metrics_refresh([researcher_record.pk, middle.pk, peer_record.pk])
    html = researcher_client.get(f"/authors/{peer_record.pk}/invite/").content.decode()
    panel = html[html.index('data-testid="connection-path"') :]
    assert "2 co-author hops" in panel
    assert f'href="/authors/{middle.pk}/">Mia Middle</a>' in panel


def test_invite_page_says_when_there_is_no_path(researcher_client, researcher_record, peer_record):
    html = researcher_client.get(f"/authors/{peer_record.pk}/invite/").content.decode()
    assert "Not within 3 co-author hops of your record." in html
