"""/api/v1/notifications/: the signed-in user's notifications, newest first."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import NewestFirstMixin

from .models import Notification
from .serializers import MarkReadSerializer, NotificationSerializer
from .services import notifications_mark_read


class NotificationViewSet(NewestFirstMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        return Notification.objects.for_user(self.request.user)

    @extend_schema(
        request=MarkReadSerializer,
        responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}},
        summary="Mark notifications read: the given ids, or all when none are given",
    )
    @action(detail=False, methods=["post"], url_path="read")
    def mark_read(self, request):
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = notifications_mark_read(request.user, data.validated_data.get("ids"))
        return Response({"marked": marked})

    @extend_schema(
        responses={200: {"type": "object", "properties": {"unread": {"type": "integer"}}}},
        summary="How many notifications are unread",
    )
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": self.get_queryset().unread().count()})
