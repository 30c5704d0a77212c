"""/api/v1/follows/, /feed/, /upvotes/ and /trending/: the same services as the HTML views."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.response import Response

from apps.accounts.serializers import PersonField
from apps.core.api import KeysetPagination
from apps.core.keyset import Key
from apps.core.schema import OneObjectSchema
from apps.records.models import Author
from apps.records.pages import listing_keys

from . import services
from .feed import PERIODS, feed_works, trending, upvotes_for
from .models import Follow
from .serializers import (
    FeedWorkSerializer,
    FollowSerializer,
    TrendingSerializer,
    UpvoteRequestSerializer,
    UpvoteResultSerializer,
)
from .visibility import followers_for, following_for

FOLLOW_KEYS = [Key("created_at"), Key("id")]


@extend_schema(tags=["follows"])
class FollowViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your follows (list, follow, unfollow); `?user=ID` lists another user's follows when
    they made them public (an empty list otherwise)."""

    serializer_class = FollowSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    pagination_class = KeysetPagination
    queryset = Follow.objects.none()

    def keyset_keys(self) -> list[Key]:
        return FOLLOW_KEYS

    def get_queryset(self):
        from apps.accounts.models import User

        user = self.request.user
        owner_id = self.request.query_params.get("user") if self.action == "list" else None
        if owner_id:
            if not owner_id.isdigit():
                raise ValidationError({"user": ["a user id"]})
            owner = get_object_or_404(User, pk=owner_id, is_active=True)
            return Follow.objects.visible_to(user, owner)
        if not user.is_authenticated:
            raise NotAuthenticated()
        return Follow.objects.by(user)

    @extend_schema(
        parameters=[OpenApiParameter("user", OpenApiTypes.INT, description="Another user's id")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Follow an author record or a topic (following twice is one follow)")
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow = services.follow_create(follower=request.user, **serializer.validated_data)
        return Response(FollowSerializer(follow).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Unfollow")
    def destroy(self, request, *args, **kwargs):
        follow = self.get_object()  # only your own: another user's follow is a 404
        services.follow_delete(follower=request.user, author=follow.author, topic=follow.topic)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["follows"])
class FeedViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """New works from the authors and topics you follow, newest first."""

    serializer_class = FeedWorkSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = KeysetPagination

    def keyset_keys(self) -> list[Key]:
        return listing_keys()

    def get_queryset(self):
        return feed_works(self.request.user).for_listing()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        context = {**self.get_serializer_context(), "upvotes": upvotes_for(page, request.user)}
        return self.get_paginated_response(
            FeedWorkSerializer(page, many=True, context=context).data
        )


@extend_schema(tags=["follows"])
class UpvoteViewSet(viewsets.GenericViewSet):
    serializer_class = UpvoteRequestSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=UpvoteRequestSerializer,
        responses={200: UpvoteResultSerializer},
        summary="Toggle your upvote on a work",
    )
    def create(self, request):
        data = UpvoteRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        work = data.validated_data["work"]
        upvoted, count = services.upvote_toggle(user=request.user, work=work)
        return Response({"work": work.pk, "upvoted": upvoted, "upvotes": count})


@extend_schema(tags=["follows"])
class TrendingViewSet(viewsets.GenericViewSet):
    serializer_class = TrendingSerializer
    permission_classes = [permissions.AllowAny]
    schema = OneObjectSchema()

    @extend_schema(
        parameters=[OpenApiParameter("period", str, enum=list(PERIODS), default="day")],
        responses=TrendingSerializer,
        summary="Works by recent upvotes, authors and topics by recent follows",
    )
    def list(self, request):
        period = request.query_params.get("period", "day")
        if period not in PERIODS:
            raise ValidationError({"period": ["day or week"]})
        return Response(TrendingSerializer(trending(period)).data)


class FollowersSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Always public")
    visible = serializers.BooleanField(help_text="Whether the holder's choice lets you see names")
    results = serializers.ListField(
        child=PersonField(), help_text="The newest followers who show whom they follow"
    )


class FollowingSerializer(serializers.Serializer):
    visible = serializers.BooleanField(help_text="Whether the holder shows whom they follow")
    results = FollowSerializer(many=True)


@extend_schema(tags=["follows"], responses=FollowersSerializer, summary="Who follows a record")
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def author_followers(request, pk: int):
    """The count for everyone; the newest names as the record's holder allows (the same
    choice as the followers page)."""
    author = get_object_or_404(Author.objects.active(), pk=pk)
    followers = followers_for(author, request.user)
    data = {"count": followers.count, "visible": followers.allowed,
            "results": followers.people}  # fmt: skip
    return Response(FollowersSerializer(data).data)


@extend_schema(
    tags=["follows"], responses=FollowingSerializer, summary="Whom a record's holder follows"
)
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def author_following(request, pk: int):
    """What the holder follows, when they show it (404 when nobody holds the record)."""
    author = get_object_or_404(Author.objects.active(), pk=pk)
    following = following_for(author, request.user)
    if following is None:
        raise Http404("Nobody holds this record.")
    data = {"visible": following.shown, "results": following.follows}
    return Response(FollowingSerializer(data).data)
