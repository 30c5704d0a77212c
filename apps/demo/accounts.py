"""Demo accounts: one moderator and a few researchers, all with verified email addresses."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from apps.accounts.models import MODERATORS_GROUP, User

from .context import DEMO_PASSWORD, DemoContext

DEMO_USERS = [
    ("moderator", "moderator@demo.peerage.test", "Morgan Moderator"),
    ("researcher", "ada.lindqvist@demo.peerage.test", "Ada Lindqvist"),
    ("researcher", "tomas.okafor@demo.peerage.test", "Tomás Okafor"),
    ("researcher", "mei.tanaka@demo.peerage.test", "Mei Tanaka"),
]


def demo_user(email: str, display_name: str, ctx: DemoContext) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"display_name": display_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        ctx.created("users")
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed_accounts(ctx: DemoContext) -> None:
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    for role, email, display_name in DEMO_USERS:
        user = demo_user(email, display_name, ctx)
        if role == "moderator":
            user.groups.add(moderators)
        ctx.logins.append((role, email, DEMO_PASSWORD))
