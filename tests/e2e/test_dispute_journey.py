"""The demo's "Wei Zhang" dispute, walked in a browser: both people add statements naming
their works, the moderator opens the dispute from the link they were sent and decides a
split, and each Wei Zhang then holds their own part, also after the same records are
imported again. At 1280 and 390 px, with no sideways scroll."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.claims.models import Claim, Dispute
from apps.demo.accounts import MODERATOR, W_ZHANG, WEI
from apps.demo.context import DEMO_PASSWORD
from apps.demo.records import MIXED_RECORDS
from apps.ingest.importer import import_batch
from apps.ingest.normalized import AuthorRef, Batch, WorkRecord
from apps.records.models import Work
from tests.e2e.conftest import ARTIFACTS

WIDTHS = [1280, 390]
WEI_RECORD = MIXED_RECORDS[0]  # Wei Zhang: cs.DC (the holder) and q-bio.NC (the challenger)


def _sign_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_test_id("signed-in-as").wait_for()


def _fits(page, name: str) -> None:
    """No sideways scroll at this width; a screenshot for people to look at."""
    page.wait_for_load_state()
    ARTIFACTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (name, wide)


def _works_by_topic(author) -> tuple[list[int], list[int]]:
    shown = Work.objects.visible_on(author).prefetch_related("topics")
    first, second = WEI_RECORD.topics
    codes = {w.pk: {t.code for t in w.topics.all()} for w in shown}
    return ([pk for pk, c in codes.items() if first in c and second not in c],
            [pk for pk, c in codes.items() if second in c and first not in c])  # fmt: skip


def _state(author_ids) -> dict[int, set[int]]:
    return {pk: set(Work.objects.visible_on(pk).values_list("pk", flat=True)) for pk in author_ids}


def _reimport(work_ids) -> None:
    """The same works arrive again (by DOI, as Crossref sends them), every byline still
    crediting the mixed record."""
    records = []
    for work in Work.objects.filter(pk__in=work_ids).prefetch_related("authorships__author"):
        authors = [
            AuthorRef(a.raw_name, a.position, display_name=a.raw_name,
                      openalex_id=WEI_RECORD.openalex_id if a.raw_name == "Wei Zhang"
                      else a.author.openalex_id if a.author_id else None)
            for a in work.authorships.all()
        ]  # fmt: skip
        records.append(WorkRecord(
            source="crossref", source_key=work.doi, openalex_id=work.openalex_id,
            title=work.title, doi=work.doi, citation_count=work.citation_count + 1,
            authors=authors,
        ))  # fmt: skip
    import_batch(Batch(works=records))


def _statement(page, dispute, text: str, work_ids: list[int]) -> None:
    page.goto(f"/disputes/{dispute.pk}/")
    form = page.get_by_test_id("statement-form")
    form.get_by_label("Your statement").fill(text)
    for pk in work_ids:
        form.locator(f"input[name=works][value='{pk}']").check()
    form.get_by_role("button", name="Add statement").click()
    page.get_by_text("Statement added").wait_for()
    assert text in page.get_by_test_id("parties").inner_text()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True)
def test_the_wei_zhang_dispute_ends_in_a_split_and_both_hold_their_part(page, width):
    call_command("seed_demo", stdout=StringIO())
    page.set_viewport_size({"width": width, "height": 900})
    dispute = Dispute.objects.get(status="open", author__openalex_id=WEI_RECORD.openalex_id)
    mixed = dispute.author
    holder_works, challenger_works = _works_by_topic(mixed)
    assert holder_works and challenger_works
    failures = []
    page.on("pageerror", lambda e: failures.append(str(e)))

    _sign_in(page, WEI[0])
    _statement(page, dispute, "My papers are the distributed systems ones.", holder_works)
    assert "(you)" in page.get_by_test_id("party-holder").inner_text()
    _fits(page, "dispute-holder")
    _sign_in(page, W_ZHANG[0])
    _statement(page, dispute, "The neuroscience papers are mine.", challenger_works)
    assert "(you)" in page.get_by_test_id("party-challenger").inner_text()
    _fits(page, "dispute-challenger")

    _sign_in(page, MODERATOR)
    page.goto("/notifications/")
    told = page.get_by_test_id("notification").filter(has_text=f"New dispute on {mixed}")
    told.get_by_role("button", name="Open").click()
    decide = page.get_by_test_id("dispute-decide")
    _fits(page, "dispute-moderator")
    decide.get_by_test_id("outcome-split").locator("summary").click()
    split = decide.get_by_test_id("outcome-split")
    for pk in challenger_works:  # the challenger's named works come ticked
        assert split.locator(f"input[name=works][value='{pk}']").is_checked()
    split.get_by_label("Reason").select_option(index=1)
    split.get_by_role("button", name="Yes: split the record").click()
    page.get_by_text("Both people were told").wait_for()
    assert "split" in page.get_by_test_id("dispute-status").inner_text()
    _fits(page, "dispute-decided")

    dispute.refresh_from_db()
    new = dispute.new_author
    holder, challenger = User.objects.get(email=WEI[0]), User.objects.get(email=W_ZHANG[0])
    before = _state([mixed.pk, new.pk])
    assert Claim.objects.holder_of(mixed).user == holder
    assert Claim.objects.holder_of(new).user == challenger
    assert set(challenger_works) == before[new.pk]
    assert set(holder_works) <= before[mixed.pk] and not before[mixed.pk] & before[new.pk]

    _reimport(before[mixed.pk] | before[new.pk])
    assert _state([mixed.pk, new.pk]) == before
    assert Claim.objects.holder_of(mixed).user == holder
    assert Claim.objects.holder_of(new).user == challenger
    _sign_in(page, W_ZHANG[0])
    page.goto(f"/authors/{new.pk}/")
    _fits(page, "new-record")
    assert "Claimed" in page.locator("main").inner_text()
    assert failures == []
