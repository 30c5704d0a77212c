import datetime
import itertools

import factory
from allauth.account.models import EmailAddress

from apps.accounts.models import User
from apps.records.models import Author, Authorship, Topic, Work

TEST_PASSWORD = "Test-Password-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A user who can sign in: a usable password and a verified primary email address."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


# --- Public records ---------------------------------------------------------------------

_serial = itertools.count(1)


def make_author(display_name: str = "", *, variants=(), **fields) -> Author:
    """An author record; names go through Author.set_names like everywhere else."""
    author = Author(**fields)
    author.set_names(display_name or f"Author Number{next(_serial)}", list(variants))
    author.save()
    return author


def make_topic(code: str, name: str = "") -> Topic:
    topic, _ = Topic.objects.get_or_create(
        slug=code.lower().replace(".", "-"), defaults={"code": code, "name": name or code}
    )
    return topic


AUTO = object()


def make_work(*authors: Author, title: str = "", topics=(), date=AUTO, **fields) -> Work:
    """A work with `authors` on its byline in order (names printed as their display names).
    Dated a day later than the previous one unless `date` is given (None for undated)."""
    n = next(_serial)
    if date is AUTO:
        date = datetime.date(2024, 1, 1) + datetime.timedelta(days=n)
    work = Work.objects.create(
        title=title or f"A study of things, part {n}",
        publication_date=date,
        publication_year=date.year if date else None,
        authors_count=len(authors),
        **fields,
    )
    Authorship.objects.bulk_create(
        Authorship(work=work, author=a, position=i, raw_name=a.display_name)
        for i, a in enumerate(authors)
    )
    work.topics.set(topics)
    return work


# --- Held records, query counts, races --------------------------------------------------


def link_orcid(user, orcid: str):
    """Give `user` an ORCID iD proven by OAuth (what allauth stores after sign-in)."""
    from allauth.socialaccount.models import SocialAccount

    return SocialAccount.objects.create(user=user, provider="orcid", uid=orcid)


def claimed_record(user, name: str, orcid: str, **fields) -> Author:
    """A new public record that `user` holds, claimed by proven ORCID match (L2): the one way
    tests make a holder."""
    from apps.claims.services import claim_orcid

    author = make_author(name, orcid=orcid, **fields)
    link_orcid(user, orcid)
    claim_orcid(user=user, author=author)
    author.refresh_from_db()
    return author


def count_queries(client, url: str, *, with_response: bool = False):
    """How many queries a GET of `url` costs (it must answer 200); with the response if asked."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return (len(ctx.captured_queries), response) if with_response else len(ctx.captured_queries)


def author_page_budget(queries: int) -> int:
    """An author page's query budget as counted on PostgreSQL, plus the one query the embedded
    default adds: on SQLite the trust history is read on its own, where PostgreSQL carries it on
    the page's author query as an array (apps/trust/panels.py)."""
    from django.db import connection

    return queries + (connection.vendor != "postgresql")


def urgent_queues() -> list[str]:
    """The mail and interactive queues, for a test worker that delivers mail. Always name a
    test worker's queues: one started with `queues=` narrows the app's selection for every
    later worker, and a worker on the bulk queues could pick up a backlog a test left."""
    from django.conf import settings

    return list(settings.URGENT_QUEUES)


def wait_for(predicate, timeout: float = 10.0) -> bool:
    """Poll `predicate` until it is true (True) or `timeout` seconds pass (False): for what a
    real worker or server does in its own time."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def api_schema(client) -> dict:
    """The OpenAPI schema as the API serves it, parsed."""
    return client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def at_once(*actions, timeout: float = 60) -> list[BaseException]:
    """Run each action in its own thread, released together (real concurrent connections);
    returns the exceptions they raised. Each thread closes its database connections."""
    import threading

    from django.db import connections

    barrier, errors = threading.Barrier(len(actions)), []

    def run(action):
        try:
            barrier.wait(timeout=timeout)
            action()
        except BaseException as exc:  # handed back to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return errors
