from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower

MODERATORS_GROUP = "moderators"
PUBLIC_NAME_MAX = 200
# Handles avoid look-alike characters (0/o, 1/l/i) so people can read them out.
HANDLE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
HANDLE_LENGTH = 10


def handle_new() -> str:
    """A random public handle: how the API and forms name a person without a walkable id."""
    return "".join(secrets.choice(HANDLE_ALPHABET) for _ in range(HANDLE_LENGTH))


class PeerageUserManager(UserManager):
    """Users sign in by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)

    def with_role(self):
        """Users with `moderator_role` (membership of the moderators group) read in the same
        query, so `is_moderator` asks nothing more (apps.accounts.backends loads the
        signed-in user this way)."""
        membership = User.groups.through.objects.filter(
            user=OuterRef("pk"), group__name=MODERATORS_GROUP
        )
        return self.get_queryset().annotate(moderator_role=Exists(membership))


class User(AbstractUser):
    """A person with an account. Their public author record, claims and preferences hang off
    this row in other apps; deleting the account never deletes a public record."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    # The public name people see (a claimed record's name takes its place when there is one;
    # apps.accounts.identity). Blank only for accounts made before it was asked at sign-up.
    display_name = models.CharField("public name", max_length=PUBLIC_NAME_MAX, blank=True)
    handle = models.CharField(max_length=HANDLE_LENGTH, unique=True, default=handle_new)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = PeerageUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        # Never the email: str(user) ends up in pages, mail and audit rows others read.
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name chosen, or a neutral stand-in drawn from the random handle (never from
        the email) until the person sets one."""
        return self.display_name or f"Researcher {self.handle[:4].upper()}"

    @property
    def needs_public_name(self) -> bool:
        return not self.display_name

    @property
    def is_moderator(self) -> bool:
        """An active member of the moderators group. Code that may hold a visitor asks
        apps.accounts.moderators.is_moderator / require_moderator instead. Free when the
        user came from `User.objects.with_role()` (every signed-in request's user does)."""
        role = self.__dict__.get("moderator_role")
        if role is None:
            role = self.groups.filter(name=MODERATORS_GROUP).exists()
        return self.is_active and role
