"""Disputes that fit reality: both parties add statements, the page tells them apart, a
moderator decides one of four outcomes from the page the emailed link opens, a split gives
each party their part in one transaction, and both are told with the reason."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from apps.audit.models import AuditEvent
from apps.claims.models import Claim, Dispute, DisputeStatement
from apps.claims.services import (
    Evidence,
    claim_evidence,
    dispute_decide,
    dispute_statement_add,
)
from apps.core.errors import Conflict, NotAllowed, Refused
from apps.notifications.models import Notification
from apps.records.models import Authorship, Work
from tests.factories import make_author, make_work

pytestmark = pytest.mark.django_db
SPLIT_REASON = "Two people: the neuroscience papers are the challenger's."


@pytest.fixture
def mixed(claimed_researcher, researcher_record):
    """The researcher's record holds three of their works (with Ada) and three of someone
    else's (with Bo): two groups that share nobody."""
    ada, bo = make_author("Ada Lindqvist"), make_author("Bo Brain")
    mine = [make_work(researcher_record, ada, title=f"Systems paper {i}") for i in range(3)]
    theirs = [make_work(researcher_record, bo, title=f"Brain paper {i}") for i in range(3)]
    return researcher_record, mine, theirs


@pytest.fixture
def dispute(mixed, outsider):
    record, _, _ = mixed
    note = Evidence(note="The brain papers on this record are mine, see my lab page.")
    claim_evidence(user=outsider, author=record, evidence=note)
    return Dispute.objects.get()


def _ids(works):
    return [w.pk for w in works]


def test_both_parties_add_statements_and_outsiders_cannot(
    dispute, mixed, researcher, outsider, peer, moderator
):
    _, mine, theirs = mixed
    held = dispute_statement_add(dispute=dispute, user=researcher, text="The systems papers.",
                                 work_ids=_ids(mine))  # fmt: skip
    said = dispute_statement_add(
        dispute=dispute, user=outsider, text="The brain papers.",
        links=["https://lab.example/me"], work_ids=_ids(theirs),
    )  # fmt: skip
    assert (held.side, said.side) == ("holder", "challenger")
    assert said.work_ids == _ids(theirs) and said.links == ["https://lab.example/me"]
    assert AuditEvent.objects.filter(action="dispute.statement").count() == 2
    # Each statement tells the other party.
    assert Notification.objects.filter(recipient=outsider, title__contains="holder added").exists()
    assert Notification.objects.filter(recipient=researcher,
                                       title__contains="challenger added").exists()  # fmt: skip
    for user in (peer, moderator):
        with pytest.raises(NotAllowed):
            dispute_statement_add(dispute=dispute, user=user, text="Me too.")


def test_a_statement_names_only_works_on_the_record_and_needs_words(dispute, outsider):
    elsewhere = make_work(make_author("Someone Else"))
    with pytest.raises(Refused) as bad:
        dispute_statement_add(dispute=dispute, user=outsider, text="Mine.", work_ids=[elsewhere.pk])
    assert bad.value.field == "works"
    with pytest.raises(Refused) as empty:
        dispute_statement_add(dispute=dispute, user=outsider, text="   ")
    assert empty.value.field == "text"
    assert not DisputeStatement.objects.exists()


def test_split_is_atomic_each_party_holds_their_part(
    dispute, mixed, researcher, outsider, moderator
):
    record, mine, theirs = mixed
    dispute_statement_add(dispute=dispute, user=outsider, text="The brain papers are mine.",
                          work_ids=_ids(theirs))  # fmt: skip
    mail.outbox.clear()
    dispute_decide(dispute=dispute, actor=moderator, outcome="split", reason=SPLIT_REASON)
    dispute.refresh_from_db()
    new = dispute.new_author
    assert dispute.status == "split" and new is not None and new.pk != record.pk
    # The challenger's claim moved to the new record, approved; the holder keeps theirs.
    challenger_claim = Claim.objects.get(pk=dispute.claim_id)
    assert (challenger_claim.author_id, challenger_claim.status) == (new.pk, "approved")
    assert Claim.objects.holder_of(record).user == researcher
    assert Claim.objects.holder_of(new).user == outsider
    assert set(Work.objects.visible_on(record).values_list("pk", flat=True)) == set(_ids(mine))
    assert set(Work.objects.visible_on(new).values_list("pk", flat=True)) == set(_ids(theirs))
    new.refresh_from_db()
    assert new.verification_level == 2
    # Both people are told, with the reason; the decision and the split are audited.
    for user in (researcher, outsider):
        assert Notification.objects.filter(recipient=user, body=SPLIT_REASON).exists()
        assert any(user.email in m.to and SPLIT_REASON in m.body for m in mail.outbox)
    assert AuditEvent.objects.filter(action="dispute.split", reason=SPLIT_REASON).count() == 1
    assert AuditEvent.objects.filter(action="repair.split").count() == 1


def test_a_split_that_fails_leaves_nothing_half_done(dispute, mixed, outsider, moderator, records):
    """The challenger holds another record: the whole split is refused and rolled back."""
    from apps.claims.services import claim_orcid
    from tests.factories import link_orcid

    _, _, theirs = mixed
    other = records.author("Otto Outsider", orcid="0000-0001-5109-3700")
    link_orcid(outsider, "0000-0001-5109-3700")
    # Their open claim on the disputed record stops nothing: holding a record is refused
    # when the split moves their claim.
    Claim.objects.create(user=outsider, author=other, kind="orcid", status="approved")
    authors_before = set(Authorship.objects.values_list("pk", "author_id"))
    with pytest.raises(Conflict):
        dispute_decide(dispute=dispute, actor=moderator, outcome="split",
                       reason=SPLIT_REASON, work_ids=_ids(theirs))  # fmt: skip
    dispute.refresh_from_db()
    assert dispute.status == "open" and dispute.new_author is None
    assert set(Authorship.objects.values_list("pk", "author_id")) == authors_before
    assert not AuditEvent.objects.filter(action__in=["repair.split", "dispute.split"]).exists()
    assert claim_orcid  # imported for the reader: claims by ORCID are the usual way in


def test_split_without_works_named_or_chosen_is_refused(dispute, moderator):
    with pytest.raises(Refused) as refused:
        dispute_decide(dispute=dispute, actor=moderator, outcome="split", reason=SPLIT_REASON)
    assert refused.value.field == "works"
    dispute.refresh_from_db()
    assert dispute.status == "open"


@pytest.mark.parametrize(
    "outcome, status, holder_claim, challenger_claim",
    [
        ("challenger", "upheld", "revoked", "approved"),
        ("holder", "rejected", "approved", "rejected"),
        ("dismiss", "dismissed", "approved", "rejected"),
    ],
)
def test_the_other_outcomes(dispute, moderator, outcome, status, holder_claim, challenger_claim):
    dispute_decide(dispute=dispute, actor=moderator, outcome=outcome, reason="Looked at both.")
    dispute.refresh_from_db()
    assert dispute.status == status
    assert Claim.objects.get(pk=dispute.held_claim_id).status == holder_claim
    assert Claim.objects.get(pk=dispute.claim_id).status == challenger_claim


def test_dismissed_dispute_counts_as_lost_for_nobody(dispute, moderator, researcher, outsider):
    from apps.claims.trust_inputs import disputes_lost

    dispute_decide(dispute=dispute, actor=moderator, outcome="dismiss", reason="By mistake.")
    assert disputes_lost([researcher.pk, outsider.pk]) == {}


def test_a_reason_written_for_another_outcome_is_refused(dispute, moderator):
    from apps.core.reasons import reason_templates

    holder_text = reason_templates("dispute", "holder")[0]
    with pytest.raises(Refused) as wrong:
        dispute_decide(dispute=dispute, actor=moderator, outcome="challenger", reason=holder_text)
    assert wrong.value.field == "reason"


# --- The page and the API --------------------------------------------------------------------


def test_the_page_tells_the_parties_apart(dispute, researcher_client, outsider_client, outsider):
    dispute_statement_add(dispute=dispute, user=outsider, text="The brain papers are mine.")
    page = researcher_client.get(f"/disputes/{dispute.pk}/").content.decode()
    holder = page[
        page.index('data-testid="party-holder"') : page.index('data-testid="party-challenger"')
    ]
    challenger = page[page.index('data-testid="party-challenger"') :]
    assert "Holder" in holder and "(you)" in holder and "(you)" not in challenger
    assert "The brain papers are mine." in challenger
    # The challenger's claim evidence stays theirs; their statement is for both.
    assert "see my lab page" not in page
    # The record's works, grouped side by side: the two people's papers fall apart.
    groups = page[page.index('data-testid="clusters"') : page.index('id="works-title"')]
    assert groups.count('data-testid="cluster"') == 2
    assert "Ada Lindqvist" in groups and "Bo Brain" in groups
    assert 'data-testid="statement-form"' in page and 'data-testid="dispute-decide"' not in page
    mine = outsider_client.get(f"/disputes/{dispute.pk}/").content.decode()
    assert "see my lab page" in mine


def test_the_moderators_link_opens_the_decision_controls(moderator, dispute, moderator_client):
    told = Notification.objects.get(recipient=moderator, kind="claims.dispute")
    page = moderator_client.get(told.url).content.decode()
    assert "Decide in the admin" not in page
    assert 'data-testid="dispute-decide"' in page
    for outcome in ("challenger", "holder", "split", "dismiss"):
        assert f'data-testid="outcome-{outcome}"' in page
    # Nothing is chosen for the moderator: every reason list starts blank.
    assert page.count('<option value="" selected>') == 4


def test_the_moderators_mail_links_to_the_dispute_page(moderator, dispute):
    sent = [m for m in mail.outbox if moderator.email in m.to]
    assert sent and f"/disputes/{dispute.pk}/" in sent[0].body


def test_deciding_from_the_page_without_a_reason_is_a_form_error(dispute, moderator_client):
    response = moderator_client.post(f"/disputes/{dispute.pk}/decide/", {"outcome": "holder"})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == "open"


def test_split_from_the_page(dispute, mixed, moderator_client, outsider):
    _, _, theirs = mixed
    data = {"outcome": "split", "template": "0", "works": _ids(theirs)}
    response = moderator_client.post(f"/disputes/{dispute.pk}/decide/", data)
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert Claim.objects.holder_of(dispute.new_author).user == outsider
    page = moderator_client.get(f"/disputes/{dispute.pk}/").content.decode()
    assert 'data-testid="dispute-new-record"' in page


def test_party_adds_a_statement_through_the_form(dispute, mixed, outsider_client, peer_client):
    _, _, theirs = mixed
    url = f"/disputes/{dispute.pk}/statements/"
    response = outsider_client.post(url, {"text": "Mine.", "works": _ids(theirs)})
    assert response.status_code == 302
    assert DisputeStatement.objects.get().work_ids == _ids(theirs)
    assert outsider_client.post(url, {"text": ""}).status_code == 400
    assert peer_client.post(url, {"text": "Not mine."}).status_code == 404


def test_api_statements_and_split(dispute, mixed, outsider, moderator, researcher):
    _, _, theirs = mixed
    challenger, mod, holder = APIClient(), APIClient(), APIClient()
    challenger.force_authenticate(outsider)
    mod.force_authenticate(moderator)
    holder.force_authenticate(researcher)
    url = f"/api/v1/disputes/{dispute.pk}/"
    said = challenger.post(url + "statements/", {"text": "Brain papers.", "works": _ids(theirs)},
                           format="json")  # fmt: skip
    assert said.status_code == 201 and said.json()["side"] == "challenger"
    seen = holder.get(url).json()
    assert seen["statements"][0]["text"] == "Brain papers." and "note" not in seen["claim"]
    assert "@" not in str(seen["statements"])  # names and handles, never an email
    no_reason = mod.post(url + "decide/", {"outcome": "split"}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    done = mod.post(url + "decide/", {"outcome": "split", "reason": SPLIT_REASON}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "split" and done.json()["new_author"]
    via_workspace = mod.post(f"/api/v1/moderation/decide/dispute/{dispute.pk}/",
                             {"outcome": "holder", "reason": "x"}, format="json")  # fmt: skip
    assert via_workspace.status_code == 409
