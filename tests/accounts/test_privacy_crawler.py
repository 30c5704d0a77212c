"""No one's email address reaches anyone else. Seeds the demo community (claims approved and
disputed, an invitation, a conversation, a report), adds a block and an account signed up
through the form, then reads every page reachable by links and every GET endpoint in the
OpenAPI schema as a visitor and as several members, and reads every mail sent. A holder's
institutional email badge is on, and an address without an account takes the trending
digest. Moderators' workspace is left out: it shows addresses to moderators on purpose."""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.accounts.models import User
from apps.collaboration import services as collaboration
from apps.demo.accounts import ADA, MEI, TOMAS, W_ZHANG

pytestmark = pytest.mark.django_db

NEWCOMER = "reza.newcomer@example.org"
SUBSCRIBER = "quiet.reader@example.org"  # the trending digest, no account
# New endpoints the crawl must reach (path shapes), so the check covers them.
MUST_READ = {
    "/authors/N/followers/",
    "/authors/N/following/",
    "/api/vN/authors/N/followers/",
    "/api/vN/authors/N/following/",
    "/api/vN/authors/N/badges/",
    "/digest/subscribe/",
}
PASSWORD = "Quiet-Lantern-917"
PER_SHAPE = 2  # pages of one URL shape (ids replaced) worth reading per viewer
MAX_PAGES = 250
SKIP = ("/static/", "/accounts/logout/", "/moderation/", "/admin/")
HREF = re.compile(r'href="([^"#]+)"')


def _sign_up_newcomer() -> User:
    client = Client()
    client.post("/accounts/signup/", {"email": NEWCOMER, "display_name": "Reza Newcomer",
                "password1": PASSWORD, "password2": PASSWORD})  # fmt: skip
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    client.post(urlsplit(link).path)
    return User.objects.get(email=NEWCOMER)


@pytest.fixture
def community(settings):
    settings.COLLABORATION_MESSAGES_PER_MINUTE = 1000
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    newcomer = _sign_up_newcomer()
    tomas, challenger = User.objects.get(email=TOMAS), User.objects.get(email=W_ZHANG[0])
    collaboration.block_create(blocker=tomas, blocked=challenger)
    _badge_and_subscriber()
    return newcomer


def _badge_and_subscriber() -> None:
    """Ada proves an email at an institution of her record (its badge names the domain); an
    address without an account subscribes to the trending digest and confirms."""
    from allauth.account.models import EmailAddress

    from apps.claims.models import Claim, InstitutionDomain
    from apps.follows.models import DigestSubscriber
    from apps.follows.subscribers import subscriber_add
    from apps.records.models import Institution

    ada = User.objects.get(email=ADA)
    record = Claim.objects.held_by(ada).author
    lab = Institution.objects.create(name="Lindqvist Lab", ror_id="05ppvf151")
    record.institutions.add(lab)
    InstitutionDomain.objects.create(institution=lab, domain="lindqvist-lab.example")
    EmailAddress.objects.create(user=ada, email="ada@lindqvist-lab.example", verified=True)
    subscriber_add(email=SUBSCRIBER, frequency="daily")
    DigestSubscriber.objects.update(confirmed_at=timezone.now())


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _crawl_pages(client) -> dict[str, str]:
    """Every same-site page reachable by links from the home page and from the claimed
    records' pages (where what their holders added shows), PER_SHAPE of each shape."""
    from apps.claims.models import Claim

    held = [
        f"/authors/{pk}/" for pk in Claim.objects.approved().values_list("author_id", flat=True)
    ]
    queue, seen, shapes, bodies = deque(["/", "/search/?q=zhang", *held]), set(), Counter(), {}
    while queue and len(bodies) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code < 500, url
        body = response.content.decode(errors="replace")
        bodies[url] = body
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(body):
            parts = urlsplit(urljoin(url, href.replace("&amp;", "&")))
            if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link not in seen and shapes[_shape(parts.path)] < PER_SHAPE:
                seen.add(link)
                shapes[_shape(parts.path)] += 1
                queue.append(link)
    return bodies


def _ids(client, path: str) -> list:
    response = client.get(path)
    data = response.json() if "json" in response.get("Content-Type", "") else {}
    rows = data.get("results", data) if isinstance(data, dict) else data
    return [row["id"] for row in rows if isinstance(row, dict) and "id" in row][:PER_SHAPE] or [1]


def _crawl_api(client, schema: dict) -> dict[str, str]:
    """Every GET in the schema; a path's {id} is filled from its list endpoint."""
    bodies = {}
    for path, operations in schema["paths"].items():
        if "get" not in operations or path.startswith("/api/v1/moderation/"):
            continue
        head = path.split("{")[0]
        ids = _ids(client, head) if "{" in path else [None]
        for value in ids:
            url = re.sub(r"\{[^}]+\}", str(value), path)
            response = client.get(url)
            assert response.status_code < 500, url
            bodies[url] = response.content.decode(errors="replace")
    return bodies


def _leaks(bodies: dict[str, str], emails: set[str]) -> list[tuple[str, str]]:
    return [(url, e) for url, body in bodies.items() for e in emails if e in body.lower()]


def test_no_page_api_response_or_mail_shows_someone_elses_email(community):
    from allauth.account.models import EmailAddress

    from apps.follows.models import DigestSubscriber

    everyone = {e.lower() for e in User.objects.values_list("email", flat=True)}
    everyone |= {e.lower() for e in EmailAddress.objects.values_list("email", flat=True)}
    everyone |= set(DigestSubscriber.objects.values_list("email", flat=True))
    assert SUBSCRIBER in everyone and "ada@lindqvist-lab.example" in everyone
    schema = Client().get("/api/schema/?format=json").json()
    viewers = [None, *User.objects.filter(email__in=[ADA, MEI, W_ZHANG[0], NEWCOMER])]
    assert len(viewers) == 5
    leaks = []
    for viewer in viewers:
        client = Client()
        if viewer:
            client.force_login(viewer)
        own = EmailAddress.objects.filter(user=viewer) if viewer else EmailAddress.objects.none()
        others = everyone - {e.lower() for e in own.values_list("email", flat=True)}
        others -= {viewer.email.lower()} if viewer else set()
        bodies = _crawl_pages(client) | _crawl_api(client, schema)
        assert len(bodies) > 40
        assert {_shape(urlsplit(url).path) for url in bodies} >= MUST_READ
        assert any("lindqvist-lab.example" in body for body in bodies.values())  # the badge
        leaks += [(viewer and viewer.email, *leak) for leak in _leaks(bodies, others)]
    for message in mail.outbox:
        alternatives = [alt[0] for alt in getattr(message, "alternatives", [])]
        text = " ".join([message.subject, message.body, *alternatives]).lower()
        others = everyone - {to.lower() for to in message.to}
        leaks += [("mail to " + ", ".join(message.to), e) for e in others if e in text]
    assert leaks == []
