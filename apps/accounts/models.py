from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower

MODERATORS_GROUP = "moderators"


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
    display_name = models.CharField(max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = PeerageUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def is_moderator(self) -> bool:
        """An active member of the moderators group. Code that may hold a visitor asks
        apps.accounts.moderators.is_moderator / require_moderator instead. Free when the
        user came from `User.objects.with_role()` (every signed-in request's user does)."""
        role = self.__dict__.get("moderator_role")
        if role is None:
            role = self.groups.filter(name=MODERATORS_GROUP).exists()
        return self.is_active and role
