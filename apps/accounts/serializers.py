"""How the API shows a person (apps.accounts.identity): never an email, never an account id."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .identity import public_identity


class PersonSerializer(serializers.Serializer):
    """Documents the shape PersonField writes."""

    name = serializers.CharField()
    handle = serializers.CharField(help_text="The person's public handle (stable, not walkable).")
    record = serializers.IntegerField(allow_null=True, help_text="The record they hold, if any.")


@extend_schema_field(PersonSerializer)
class PersonField(serializers.Field):
    """A user rendered as others see them: `{"name", "handle", "record"}`."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, user) -> dict | None:
        identity = public_identity(user)
        return identity.as_dict() if identity else None
