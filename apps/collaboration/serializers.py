from __future__ import annotations

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import User
from apps.accounts.serializers import PersonField, PersonSerializer
from apps.core.api import reason_field
from apps.moderation.models import Report
from apps.records.models import Author, Topic, Work

from .models import (
    MESSAGE_MAX,
    PURPOSE_MAX,
    Block,
    Invitation,
    Message,
    Participant,
    Preference,
)
from .render import markdown_to_safe_html
from .services import EXPIRY_DAYS_DEFAULT, EXPIRY_DAYS_MAX


class FitSerializer(serializers.Serializer):
    topics = serializers.ListField(child=serializers.CharField())
    collaborators = serializers.ListField(child=serializers.DictField())
    distance = serializers.IntegerField(allow_null=True)


class InvitationSerializer(serializers.ModelSerializer):
    sender = PersonField()
    recipient = PersonField()
    fit = FitSerializer(read_only=True)
    conversation = serializers.SerializerMethodField()
    # The note as messages are shown: Markdown rendered, then sanitised (render.py).
    note_html = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id", "sender", "recipient", "sender_author", "recipient_author", "purpose", "topic",
            "work", "note", "note_html", "fit", "status", "decline_reason", "created_at",
            "expires_at", "decided_at", "conversation",
        ]  # fmt: skip
        read_only_fields = fields

    def get_note_html(self, invitation) -> str:
        return markdown_to_safe_html(invitation.note)

    def get_conversation(self, invitation) -> int | None:
        return getattr(getattr(invitation, "conversation", None), "pk", None)


class InvitationCreateSerializer(serializers.Serializer):
    author = serializers.PrimaryKeyRelatedField(queryset=Author.objects.active())
    purpose = serializers.ChoiceField(choices=Invitation.Purpose.choices)
    topic = serializers.PrimaryKeyRelatedField(
        queryset=Topic.objects.all(), required=False, allow_null=True, default=None
    )
    work = serializers.PrimaryKeyRelatedField(
        queryset=Work.objects.all(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(
        max_length=PURPOSE_MAX, required=False, allow_blank=True, default=""
    )
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=EXPIRY_DAYS_MAX, default=EXPIRY_DAYS_DEFAULT
    )


class EligibilitySerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    reason = serializers.CharField()
    conversation = serializers.IntegerField(source="conversation_id", allow_null=True)


class DeclineSerializer(serializers.Serializer):
    reason = reason_field()


class ReportSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReportResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class ConversationSerializer(serializers.ModelSerializer):
    """One seat (the caller's side) of a conversation: the other person and unread count."""

    id = serializers.IntegerField(source="conversation_id", read_only=True)
    other = serializers.SerializerMethodField()
    unread = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(source="conversation.created_at", read_only=True)
    last_message_at = serializers.DateTimeField(
        source="conversation.last_message_at", read_only=True, allow_null=True
    )
    invitation = serializers.IntegerField(source="conversation.invitation_id", read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "other", "unread", "last_read_at", "created_at", "last_message_at",
                  "invitation"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(PersonSerializer)
    def get_other(self, seat) -> dict | None:
        return PersonField().to_representation(
            seat.conversation.other(self.context["request"].user)
        )


class MessageSerializer(serializers.ModelSerializer):
    sender = PersonField()

    class Meta:
        model = Message
        fields = ["id", "conversation", "sender", "body", "body_html", "created_at"]
        read_only_fields = fields


class MessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MESSAGE_MAX)


class BlockSerializer(serializers.ModelSerializer):
    blocked = PersonField()

    class Meta:
        model = Block
        fields = ["id", "blocked", "created_at"]
        read_only_fields = fields


class HandleField(serializers.SlugRelatedField):
    """A person by public handle. Text that cannot be a handle (control characters, NUL, the
    wrong length) is refused like an unknown handle, before any query."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(r"[-A-Za-z0-9_]{1,64}", data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:64])
        return super().to_internal_value(data)


class BlockCreateSerializer(serializers.Serializer):
    person = HandleField(
        slug_field="handle",
        queryset=User.objects.filter(is_active=True),
        help_text="The person's public handle, as invitations and messages show it.",
    )


class PreferenceSerializer(serializers.Serializer):
    accept_from = serializers.ChoiceField(choices=Preference.AcceptFrom.choices)
