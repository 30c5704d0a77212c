"""/api/v1/authors/<id>/trust/: the stored score with its breakdown and recent history. (The
holder's L3 requests, /api/v1/verification-requests/, are claims' API.)"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from apps.records.models import Author

from .models import TrustHistory, TrustRecord

HISTORY = 20


class ComponentSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    points = serializers.IntegerField()
    detail = serializers.CharField()


class TrustSerializer(serializers.Serializer):
    author = serializers.IntegerField(source="author_id")
    score = serializers.IntegerField()
    tier = serializers.CharField()
    version = serializers.IntegerField()
    computed_at = serializers.DateTimeField()
    breakdown = ComponentSerializer(many=True)


class HistorySerializer(serializers.ModelSerializer):
    class Meta:
        model = TrustHistory
        fields = ["score", "version", "cause", "computed_at"]


@extend_schema(responses=TrustSerializer, summary="A record's trust score and breakdown")
@api_view(["GET"])
@permission_classes([AllowAny])
def author_trust(request, pk: int):
    """A record's trust score (public, like the page): score, tier, breakdown, history."""
    author = get_object_or_404(Author.objects.active(), pk=pk)
    trust = TrustRecord.objects.filter(author=author).first()
    history = TrustHistory.objects.filter(author=author).order_by("-computed_at")[:HISTORY]
    data = TrustSerializer(trust).data if trust else {"author": author.pk, "score": None}
    data["verification_level"] = author.verification_level
    data["history"] = HistorySerializer(history, many=True).data
    return Response(data)
