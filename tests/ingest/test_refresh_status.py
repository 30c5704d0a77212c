"""The refresh status in plain words: when the record was last updated and from where, a
failed update named by source with when it is tried again (the upstream's error text for
staff only), and "Refresh now" showing that it runs and then what it did (htmx polling; the
page says the same without script)."""

import datetime

import pytest
from django.utils import timezone

from apps.ingest.models import AuthorRefreshState, Outcome, RefreshLog
from apps.ingest.refresh import author_refresh
from tests.ingest.test_refresh import _serve_maren, maren, upstream  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
UPSTREAM_TEXT = "ConnectError: [Errno -2] Name or service not known (https://export.arxiv.org/api)"


def _failed_arxiv_update(author, retry_at):
    now = timezone.now()
    RefreshLog.objects.create(
        author=author, source="arxiv", target="3 preprints", outcome=Outcome.TRANSIENT,
        error=UPSTREAM_TEXT, task_id="t9", started_at=now, finished_at=now,
    )  # fmt: skip
    AuthorRefreshState.objects.update_or_create(
        author=author,
        defaults={"last_error": UPSTREAM_TEXT, "next_due_at": retry_at, "consecutive_failures": 1},
    )


def test_visitors_read_which_source_failed_and_when_it_is_tried_again(
    maren,  # noqa: F811
    client,
    make_user,
):
    retry_at = timezone.localtime().replace(hour=23, minute=40, second=0)
    if retry_at <= timezone.localtime():
        retry_at += datetime.timedelta(days=1)
    _failed_arxiv_update(maren, retry_at)
    html = client.get(f"/authors/{maren.pk}/").content.decode()
    when = "at 23:40" if retry_at.date() == timezone.localdate() else f"on {retry_at.day} "
    assert "An update from arXiv failed; we'll try again " + when in html
    assert "ConnectError" not in html and "export.arxiv.org" not in html

    staff = make_user(email="staff@example.org", is_staff=True)
    client.force_login(staff)
    assert "ConnectError" in client.get(f"/authors/{maren.pk}/").content.decode()


def test_refresh_now_shows_it_running_then_what_it_did(
    upstream,  # noqa: F811
    maren,  # noqa: F811
    researcher_client,
    django_capture_on_commit_callbacks,
):
    _serve_maren(upstream)
    htmx = {"HX-Request": "true"}
    with django_capture_on_commit_callbacks() as queued:
        response = researcher_client.post(f"/authors/{maren.pk}/refresh/", headers=htmx)
    running = response.content.decode()
    assert "<html" not in running and 'data-testid="refresh-running"' in running
    assert f'hx-get="/authors/{maren.pk}/refresh/status/"' in running
    assert "Refresh queued." in running and "Refresh now" not in running
    # Without script the author page says the same, and the status URL leads back to it.
    page = researcher_client.get(f"/authors/{maren.pk}/").content.decode()
    assert "Updating this record from its sources now." in page
    assert researcher_client.get(f"/authors/{maren.pk}/refresh/status/")["Location"] == (
        f"/authors/{maren.pk}/"
    )

    author_refresh(maren.pk, task_id="t1")  # the worker runs it
    assert len(queued) == 1
    done = researcher_client.get(f"/authors/{maren.pk}/refresh/status/", headers=htmx)
    html = done.content.decode()
    assert "hx-trigger" not in html  # polling stops
    assert 'data-testid="refresh-result"' in html and "Updated just now:" in html
    assert "Last updated from OpenAlex" in html
