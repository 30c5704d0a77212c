"""A record that mixes two people, at desktop and phone widths: a signed-in visitor reports one
of its works as not theirs; a moderator finds the record among the likely mix-ups, compares its
groups side by side and splits one group off; a re-import of the same records keeps the split.
No page on the way is wider than the window."""

import datetime

import pytest
from django.contrib.auth.models import Group

from apps.accounts.models import MODERATORS_GROUP
from apps.ingest.importer import import_batch
from apps.ingest.normalized import AuthorRef, Batch, WorkRecord
from apps.moderation.models import Report
from apps.records.models import Author, Work
from tests.e2e.conftest import sign_in
from tests.e2e.test_first_hour import WIDTHS, fits
from tests.factories import UserFactory

LINGUIST = [("Ada Lindqvist", "A1"), ("Yue Wu", "A3")]
CHEMIST = [("Piotr Nowak", "A2"), ("Li Na", "A4")]


def _work(n: int, coauthors, year: int, topic: str) -> WorkRecord:
    return WorkRecord(
        source="openalex", source_key=f"W{n}", openalex_id=f"W{n}", title=f"{topic} study {n}",
        type="article", publication_date=datetime.date(year, 5, 1), date_precision="day",
        authors=[AuthorRef("Wei Zhang", 0, openalex_id="A7", display_name="Wei Zhang")]
        + [AuthorRef(name, i + 1, openalex_id=key, display_name=name)
           for i, (name, key) in enumerate(coauthors)],
    )  # fmt: skip


def _batch() -> Batch:
    works = [_work(n, LINGUIST, 2010 + n, "Parsing") for n in range(1, 5)]
    works += [_work(n, CHEMIST, 2015 + n, "Catalysis") for n in range(5, 9)]
    return Batch(works=works)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True)
def test_a_report_then_a_split_by_the_groups_that_survives_a_reimport(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    moderator = UserFactory(email="mona@example.org", display_name="Mona Moderator")
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    UserFactory(email="vic@example.org", display_name="Vic Visitor")
    import_batch(_batch())  # the import hook flags the record as a likely mix-up
    wei = Author.objects.get(openalex_id="A7")
    catalysis = Work.objects.get(openalex_id="W5")
    failures = []
    page.on("pageerror", lambda e: failures.append(str(e)))

    sign_in(page, "vic@example.org")
    page.goto(f"/authors/{wei.pk}/")
    fits(page, "mixed-author", width)
    page.get_by_test_id("report-on-record").click()
    page.get_by_label("Which work").select_option(str(catalysis.pk))
    page.get_by_label("Why is it not theirs?").fill("Chemistry; the other Wei Zhang parses text.")
    page.get_by_label("Evidence link (optional)").fill("https://example.org/wei-zhang-chem")
    fits(page, "attribution-form", width)
    page.get_by_role("button", name="Send the report").click()
    assert "Open" in page.get_by_test_id("attribution-status").inner_text()
    fits(page, "attribution-report", width)
    assert Report.objects.get().authorship.work_id == catalysis.pk

    sign_in(page, "mona@example.org")
    page.goto("/moderation/attributions/")
    assert "Catalysis study 5" in page.locator("main").inner_text()
    fits(page, "attributions-queue", width)
    page.goto("/moderation/mixups/")
    fits(page, "mixups-queue", width)
    page.get_by_role("link", name="Compare the groups and repair").click()
    clusters = page.get_by_test_id("cluster")
    assert clusters.count() == 2
    assert "Piotr Nowak" in clusters.nth(1).inner_text()
    fits(page, "repair-record", width)
    clusters.nth(1).get_by_test_id("pick-group").click()
    form = page.get_by_test_id("repair-form")
    form.get_by_label("What to do with the chosen works").select_option("split")
    form.get_by_label("Reason").fill("Two people: a linguist and a chemist.")
    form.get_by_text("Repair the record…").click()
    page.get_by_test_id("repair-confirm").click()
    page.get_by_text("Split 4 works off to the new record").wait_for()
    fits(page, "repair-done", width)

    other = Author.objects.exclude(pk=wei.pk).get(display_name="Wei Zhang")
    chemistry = {f"W{n}" for n in range(5, 9)}
    import_batch(_batch())  # OpenAlex still lists all eight under A7
    shown = set(Work.objects.visible_on(other).values_list("openalex_id", flat=True))
    kept = set(Work.objects.visible_on(wei).values_list("openalex_id", flat=True))
    assert (shown, kept) == (chemistry, {f"W{n}" for n in range(1, 5)})
    page.goto(f"/authors/{wei.pk}/")
    assert "Catalysis" not in page.locator("main").inner_text()
    assert failures == []
