"""Demo accounts: one moderator and a few researchers, all with verified email addresses. The
addresses are named here once; the other steps refer to these names."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from apps.accounts.models import MODERATORS_GROUP, User

from .context import DEMO_PASSWORD, DemoContext

MODERATOR = "moderator@demo.peerage.test"
ADA = "ada.lindqvist@demo.peerage.test"
TOMAS = "tomas.okafor@demo.peerage.test"
MEI = "mei.tanaka@demo.peerage.test"
# Two people named Wei Zhang, made by the claims step beside the record that mixes their works.
WEI = ("wei.zhang@demo.peerage.test", "Wei Zhang")
W_ZHANG = ("w.zhang@demo.peerage.test", "Wei Zhang")

DEMO_USERS = [
    ("moderator", MODERATOR, "Morgan Moderator"),
    ("researcher", ADA, "Ada Lindqvist"),
    ("researcher", TOMAS, "Tomás Okafor"),
    ("researcher", MEI, "Mei Tanaka"),
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
