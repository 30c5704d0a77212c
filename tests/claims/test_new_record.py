""" "No record yet?": a researcher whom no source lists makes their record, from their proven
ORCID iD (held at once, L2) or from works by DOI / arXiv id (L1, claim waiting for review),
on the interactive queue, with the progress page polled by htmx (a link checks again
without it)."""

import json

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from apps.claims.models import Claim, RecordRequest
from apps.claims.services import record_request_open
from apps.core.errors import Conflict, Refused
from apps.records.models import Author, Authorship, Work
from tests import samples
from tests.conftest import ORCID_ID

pytestmark = pytest.mark.django_db
FIXTURES = samples.FIXTURES
DOI = "10.5555/peerage.2024.0101"
KOFI = "Kofi Delacroix-Amponsah"  # printed on the Crossref fixture's byline


@pytest.fixture
def upstream(fake_upstream, settings):
    url = fake_upstream.url
    settings.ORCID_API_BASE_URL = f"{url}/orcid"
    settings.CROSSREF_API_URL = f"{url}/crossref"
    settings.ARXIV_API_URL = f"{url}/arxiv"
    fake_upstream.add_file(
        "GET",
        f"/crossref/works/{DOI}",
        FIXTURES / "crossref" / f"work-{DOI.replace('/', '-')}.json",
    )
    record = json.loads((FIXTURES / "orcid" / f"record-{ORCID_ID}.json").read_text())
    fake_upstream.add("GET", f"/orcid/v3.0/{ORCID_ID}/record", json=record)
    fake_upstream.add_file(
        "GET", f"/orcid/v3.0/{ORCID_ID}/works", FIXTURES / "orcid" / f"works-{ORCID_ID}.json"
    )
    return fake_upstream


@pytest.fixture
def newcomer(make_user):
    return make_user(email="kofi@example.org", display_name=KOFI)


@pytest.fixture
def ilse(make_user):
    """A newcomer who proved ORCID_ID (the fixture record's iD) by OAuth."""
    user = make_user(email="ilse@example.org", display_name="Ilse Marrowgate")
    SocialAccount.objects.create(user=user, provider="orcid", uid=ORCID_ID)
    return user


def _open(django_capture_on_commit_callbacks, **kwargs) -> RecordRequest:
    """Open a request; its run is queued after the commit (eager in tests, as a worker would)."""
    with django_capture_on_commit_callbacks(execute=True):
        request = record_request_open(**kwargs)
    request.refresh_from_db()
    return request


def test_from_a_proven_orcid_the_record_is_imported_and_held_at_l2(
    ilse, upstream, django_capture_on_commit_callbacks
):
    done = _open(django_capture_on_commit_callbacks, user=ilse, kind="orcid")
    assert done.status == "done", done.message
    author = done.author
    assert author.orcid == ORCID_ID
    assert author.verification_level == 2
    assert Claim.objects.holder_of(author).user == ilse
    assert Work.objects.visible_on(author).exists()  # the ORCID works came with it
    assert upstream.requests_to("GET", f"/orcid/v3.0/{ORCID_ID}/record")


def test_from_works_the_record_is_l1_and_its_claim_waits_for_review(
    newcomer, upstream, django_capture_on_commit_callbacks
):
    done = _open(
        django_capture_on_commit_callbacks, user=newcomer, kind="works",
        identifiers=f"https://doi.org/{DOI}", note="My first paper.",
    )  # fmt: skip
    assert done.status == "done", done.message
    author = done.author
    assert author.display_name == KOFI and author.verification_level == 1
    assert Authorship.objects.get(author=author).work.doi == DOI
    assert done.claim.status == "pending" and done.claim.note == "My first paper."
    assert Claim.objects.holder_of(author) is None  # held only once a moderator approves


def test_an_orcid_already_on_a_record_is_offered_as_a_claim(
    ilse, records, upstream, django_capture_on_commit_callbacks
):
    existing = records.author("Ilse Marrowgate", orcid=ORCID_ID)
    done = _open(django_capture_on_commit_callbacks, user=ilse, kind="orcid")
    assert done.status == "duplicate" and done.duplicate == existing
    assert Author.objects.count() == 1 and not Claim.objects.exists()
    assert not upstream.requests_to("GET", f"/orcid/v3.0/{ORCID_ID}/record")


def test_a_work_already_on_a_real_record_is_offered_as_a_claim(
    newcomer, records, upstream, django_capture_on_commit_callbacks
):
    existing = records.author(KOFI, openalex_id="A5100000099")
    records.work(existing, doi=DOI)
    authors_before = Author.objects.count()
    done = _open(django_capture_on_commit_callbacks, user=newcomer, kind="works", identifiers=DOI)
    assert done.status == "duplicate" and done.duplicate == existing
    assert Author.objects.count() == authors_before  # the new record was rolled back
    assert not Claim.objects.exists()


def test_an_orcid_work_already_on_a_real_record_is_offered_as_a_claim(
    ilse, records, upstream, django_capture_on_commit_callbacks
):
    existing = records.author("Ilse Marrowgate", openalex_id="A5100000077")
    records.work(existing, doi="10.5555/peerage.2021.0042")
    authors_before = Author.objects.count()
    done = _open(django_capture_on_commit_callbacks, user=ilse, kind="orcid")
    assert done.status == "duplicate" and done.duplicate == existing
    assert Author.objects.count() == authors_before  # the ORCID import was rolled back
    assert not Author.objects.filter(orcid=ORCID_ID).exists()


def test_the_claims_daily_limit_is_asked_before_anything_is_queued(newcomer, records, settings):
    from apps.claims.services import Evidence, claim_evidence
    from apps.core.errors import RateLimited

    settings.CLAIMS_PER_USER_PER_DAY = 1
    claim_evidence(
        user=newcomer,
        author=records.author("Someone"),
        evidence=Evidence(note="These are my papers, as my lab page shows."),
    )
    with pytest.raises(RateLimited):
        record_request_open(user=newcomer, kind="works", identifiers=DOI)
    assert not RecordRequest.objects.exists()


def test_an_unknown_doi_ends_in_a_plain_message(
    newcomer, upstream, django_capture_on_commit_callbacks
):
    upstream.add("GET", "/crossref/works/10.5555/nothing", status=404, body="Resource not found.")
    done = _open(
        django_capture_on_commit_callbacks, user=newcomer, kind="works",
        identifiers="10.5555/nothing",
    )  # fmt: skip
    assert done.status == "failed"
    assert done.message == "Crossref has no work 10.5555/nothing."
    assert not Author.objects.exists()


def test_what_can_be_checked_at_once_is_refused_at_once(newcomer, claimed_researcher):
    with pytest.raises(Refused, match="Not a DOI or an arXiv id: nonsense"):
        record_request_open(user=newcomer, kind="works", identifiers="10.5555/x\nnonsense")
    with pytest.raises(Refused, match="Sign in with ORCID"):
        record_request_open(user=newcomer, kind="orcid")
    with pytest.raises(Refused, match="already hold a record"):
        record_request_open(user=claimed_researcher, kind="works", identifiers=DOI)
    record_request_open(user=newcomer, kind="works", identifiers=DOI)  # not run: no commit
    with pytest.raises(Conflict, match="already being made"):
        record_request_open(user=newcomer, kind="works", identifiers=DOI)


# --- Pages ---------------------------------------------------------------------------------


def test_the_page_queues_and_the_progress_page_polls_until_done(
    client, newcomer, upstream, django_capture_on_commit_callbacks
):
    client.force_login(newcomer)
    page = client.get(reverse("claims:new_record"))
    assert page.status_code == 200 and 'data-testid="new-from-works"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("claims:new_record"), {"kind": "works", "identifiers": DOI})
    request = RecordRequest.objects.get()
    status_url = reverse("claims:new_record_status", args=[request.pk])
    assert response.status_code == 302 and response["Location"] == status_url

    running = client.get(status_url).content.decode()  # not run yet
    assert 'hx-trigger="every 2s"' in running  # htmx asks again; without it, a link does
    assert f'<a href="{status_url}">Check again</a>' in running
    fragment = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith("{#") is False and "<html" not in fragment
    assert 'hx-trigger="every 2s"' in fragment

    for callback in queued:  # the worker runs it
        callback()
    done = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert 'data-status="done"' in done and "hx-trigger" not in done
    assert reverse("records:author", args=[RecordRequest.objects.get().author_id]) in done
    assert "Check again" not in client.get(status_url).content.decode()


def test_a_bad_id_is_a_form_error_and_nothing_is_queued(client, newcomer):
    client.force_login(newcomer)
    response = client.post(reverse("claims:new_record"), {"kind": "works", "identifiers": "x"})
    assert response.status_code == 400
    assert "Not a DOI or an arXiv id: x" in response.content.decode()
    assert not RecordRequest.objects.exists()


def test_only_its_maker_sees_a_request(client, newcomer, outsider, upstream):
    request = RecordRequest.objects.create(user=newcomer, kind="works", name=KOFI)
    url = reverse("claims:new_record_status", args=[request.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


def test_the_way_there_from_is_this_you_and_from_home(client, newcomer, claimed_researcher):
    client.force_login(newcomer)
    new_url = reverse("claims:new_record")
    assert new_url in client.get(reverse("claims:find"), {"q": "Nobody Known"}).content.decode()
    assert new_url in client.get(reverse("home")).content.decode()
    client.force_login(claimed_researcher)  # a holder is not offered a second record
    assert new_url not in client.get(reverse("home")).content.decode()
    assert new_url not in client.get(reverse("claims:find")).content.decode()


def test_asking_from_orcid_without_a_proven_id_says_why_on_the_page(client, newcomer):
    client.force_login(newcomer)
    response = client.post(reverse("claims:new_record"), {"kind": "orcid"})
    assert response.status_code == 400
    assert "Sign in with ORCID (or link it under Account) first." in response.content.decode()


def test_a_request_whose_worker_died_does_not_block_a_new_one(newcomer, settings):
    import datetime

    from django.utils import timezone

    lost = record_request_open(user=newcomer, kind="works", identifiers=DOI)  # never run
    with pytest.raises(Conflict):
        record_request_open(user=newcomer, kind="works", identifiers=DOI)
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 3)
    RecordRequest.objects.filter(pk=lost.pk).update(created_at=long_ago)
    again = record_request_open(user=newcomer, kind="works", identifiers=DOI)
    lost.refresh_from_db()
    assert lost.status == "failed" and "took too long" in lost.message
    assert again.status == "queued"
