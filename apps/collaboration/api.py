"""/api/v1/invitations/, /conversations/, /messages/, /blocks/ and /collaboration-preferences/:
the same services as the pages. A refusal is answered by apps.core.api.exception_handler;
anything that is not the caller's own is a 404, so ids do not leak."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import KeysetPagination, NewestFirstMixin
from apps.core.keyset import NEWEST_FIRST, Key
from apps.core.schema import OneObjectSchema
from apps.records.models import Author

from . import pages, services
from .access import get_conversation_for_user, get_message_for_user
from .models import Block, Invitation, Message
from .serializers import (
    BlockCreateSerializer,
    BlockSerializer,
    ConversationSerializer,
    DeclineSerializer,
    EligibilitySerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
    MessageCreateSerializer,
    MessageSerializer,
    PreferenceSerializer,
    ReportResultSerializer,
    ReportSerializer,
)


def _valid(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


BOX = OpenApiParameter("box", OpenApiTypes.STR, enum=["received", "sent"],
                       description="Only invitations received, or only those sent")  # fmt: skip


@extend_schema(tags=["collaboration"])
class InvitationViewSet(NewestFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):  # fmt: skip
    """Invitations you sent or received, newest first."""

    serializer_class = InvitationSerializer

    def get_queryset(self):
        user = self.request.user
        qs = Invitation.objects.visible_to(user).select_related("sender", "recipient",
                                                                "conversation")  # fmt: skip
        box = self.request.query_params.get("box")
        if box == "received":
            return qs.filter(recipient=user)
        if box == "sent":
            return qs.filter(sender=user)
        return qs

    @extend_schema(parameters=[BOX])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSerializer})
    def create(self, request):
        data = _valid(InvitationCreateSerializer, request)
        invitation = services.invitation_create(sender=request.user, **data)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Whether you can invite the holder of a record now, and why not",
        parameters=[OpenApiParameter("author", OpenApiTypes.INT, required=True)],
        responses=EligibilitySerializer,
    )
    @action(detail=False, methods=["get"])
    def eligibility(self, request):
        raw = request.query_params.get("author", "")
        if not raw.isdigit():
            raise exceptions.ValidationError({"author": ["an author record id"]})
        author = get_object_or_404(Author.objects.active(), pk=raw)
        return Response(EligibilitySerializer(services.invite_check(request.user, author)).data)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        invitation = self.get_object()
        services.invitation_accept(invitation=invitation, actor=request.user)
        return Response(InvitationSerializer(self.get_object()).data)

    @extend_schema(request=DeclineSerializer, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        reason = _valid(DeclineSerializer, request)["reason"]
        invitation = services.invitation_decline(
            invitation=self.get_object(), actor=request.user, reason=reason
        )
        return Response(InvitationSerializer(invitation).data)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        invitation = services.invitation_withdraw(invitation=self.get_object(), actor=request.user)
        return Response(InvitationSerializer(invitation).data)

    @extend_schema(request=ReportSerializer, responses={201: ReportResultSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        report = services.invitation_report(
            reporter=request.user, invitation=self.get_object(), **_valid(ReportSerializer, request)
        )
        return Response(ReportResultSerializer(report).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["collaboration"])
class ConversationViewSet(NewestFirstMixin, viewsets.GenericViewSet):
    """Your conversations (newest first) with unread counts, and their messages."""

    serializer_class = ConversationSerializer

    def keyset_keys(self):
        if self.action == "messages":
            return NEWEST_FIRST
        return [Key("id")]  # seats, so newest conversation first

    def get_queryset(self):
        return pages.conversations_of(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        conversation = get_conversation_for_user(request.user, pk)
        seat = get_object_or_404(self.get_queryset(), conversation=conversation)
        return Response(self.get_serializer(seat).data)

    @extend_schema(
        methods=["get"], responses=MessageSerializer(many=True), summary="Messages, newest first"
    )
    @extend_schema(methods=["post"], request=MessageCreateSerializer,
                   responses={201: MessageSerializer}, summary="Post a message")  # fmt: skip
    @action(detail=True, methods=["get", "post"], pagination_class=KeysetPagination)
    def messages(self, request, pk=None):
        conversation = get_conversation_for_user(request.user, pk)
        if request.method == "POST":
            body = _valid(MessageCreateSerializer, request)["body"]
            message = services.message_post(
                conversation=conversation, sender=request.user, body=body
            )
            return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
        qs = Message.objects.visible_to(request.user).filter(conversation=conversation)
        page = self.paginate_queryset(qs.select_related("sender"))
        return self.get_paginated_response(MessageSerializer(page, many=True).data)

    @extend_schema(request=None, responses={204: None}, summary="Mark everything read")
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        conversation = get_conversation_for_user(request.user, pk)
        services.conversation_mark_read(conversation=conversation, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["collaboration"])
class MessageViewSet(viewsets.GenericViewSet):
    """Report a message in one of your conversations to the moderators."""

    serializer_class = MessageSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Message.objects.none()

    @extend_schema(request=None, responses=MessageSerializer)
    def retrieve(self, request, pk=None):
        return Response(MessageSerializer(get_message_for_user(request.user, pk)).data)

    @extend_schema(request=ReportSerializer, responses={201: ReportResultSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        message = get_message_for_user(request.user, pk)
        report = services.message_report(
            reporter=request.user, message=message, **_valid(ReportSerializer, request)
        )
        return Response(ReportResultSerializer(report).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["collaboration"])
class BlockViewSet(NewestFirstMixin, mixins.ListModelMixin, mixins.DestroyModelMixin,
                   viewsets.GenericViewSet):  # fmt: skip
    """People you blocked (they are never told). Deleting a block unblocks."""

    serializer_class = BlockSerializer

    def get_queryset(self):
        return Block.objects.filter(blocker=self.request.user).select_related("blocked")

    @extend_schema(request=BlockCreateSerializer, responses={201: BlockSerializer})
    def create(self, request):
        blocked = _valid(BlockCreateSerializer, request)["person"]
        block = services.block_create(blocker=request.user, blocked=blocked)
        return Response(BlockSerializer(block).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.block_delete(blocker=request.user, blocked=self.get_object().blocked)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["collaboration"])
class PreferenceViewSet(viewsets.GenericViewSet):
    """Whom you accept invitations from: GET reads it, POST sets it."""

    serializer_class = PreferenceSerializer
    permission_classes = [permissions.IsAuthenticated]
    schema = OneObjectSchema()

    @extend_schema(responses=PreferenceSerializer)
    def list(self, request):
        return Response({"accept_from": services.preference_of(request.user)})

    @extend_schema(request=PreferenceSerializer, responses={200: PreferenceSerializer})
    def create(self, request):
        data = _valid(PreferenceSerializer, request)
        services.preference_set(user=request.user, **data)
        return Response(data)
