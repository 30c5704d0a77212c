"""/api/v1/moderation/…: the workspace as JSON, for moderators only (IsModerator). Queues are
oldest first (at most QUEUE_LIMIT items); decisions call the same services as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.audit.models import AuditEvent
from apps.claims.services import repair, repair_entry, repair_reverse
from apps.core.api import NewestFirstMixin, reason_field
from apps.core.converters import ID_PATTERN
from apps.records.models import Author, Work

from .access import IsModerator
from .attributions import attribution_report, report_url
from .decisions import ACTIONS, DECISIONS, action_for, decision_for
from .queues import QUEUE_LIMIT, QUEUES, decisions_per_day, queue_figures

ITEM = f"(?P<item>{ID_PATTERN})"


class ReasonSerializer(serializers.Serializer):
    reason = reason_field()


class DecideSerializer(serializers.Serializer):
    """One of the decision's outcomes by name, or (older clients) `approve` for its first
    or second; `works` for a dispute's split (the works the challenger takes)."""

    outcome = serializers.CharField(
        required=False, max_length=20,
        help_text="claim, merge, verification: approve or reject; report: uphold or dismiss; "
        "dispute: challenger, holder, split or dismiss",
    )  # fmt: skip
    approve = serializers.BooleanField(required=False, allow_null=True, default=None)
    reason = reason_field()
    works = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=500
    )


class QueueItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    created_at = serializers.DateTimeField()
    age_seconds = serializers.SerializerMethodField()
    summary = serializers.CharField(source="__str__")
    involves_me = serializers.BooleanField()
    score = serializers.IntegerField(required=False)

    def get_age_seconds(self, obj) -> int:
        from django.utils import timezone

        return int((timezone.now() - obj.created_at).total_seconds())


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "created_at", "actor", "actor_label", "action", "target_type",
                  "target_id", "author", "subject_user", "reason", "before", "after"]  # fmt: skip


# Queue item → the decision it takes ("claims" → "claim").
QUEUE_DECISION = {"claims": "claim", "disputes": "dispute", "merges": "merge",
                  "verifications": "verification", "reports": "report"}  # fmt: skip


class ModerationViewSet(viewsets.ViewSet):
    """Queues, figures, decisions and actions."""

    permission_classes = [IsModerator]

    @extend_schema(
        responses={200: {"type": "object"}},
        summary="Pending by type, median and oldest age, decisions per day",
    )
    @action(detail=False, methods=["get"])
    def stats(self, request):
        figures = [
            {"queue": f.key, "pending": f.pending,
             "median_age_seconds": f.median_age and int(f.median_age.total_seconds()),
             "oldest_age_seconds": f.oldest_age and int(f.oldest_age.total_seconds())}
            for f in queue_figures()
        ]  # fmt: skip
        per_day = [{"day": d, "decisions": n} for d, n in decisions_per_day()]
        return Response({"queues": figures, "decisions_per_day": per_day})

    @extend_schema(responses=QueueItemSerializer(many=True), summary="One queue, oldest first")
    @action(detail=False, methods=["get"], url_path=r"queues/(?P<key>[a-z]+)")
    def queue(self, request, key=None):
        from .queues import queue_page

        if key not in QUEUES:
            return Response({"detail": "No such queue."}, status=404)
        page = queue_page(key, request.user)
        data = QueueItemSerializer(page["items"][:QUEUE_LIMIT], many=True).data
        return Response({"total": page["total"], "results": data})

    @extend_schema(
        request=DecideSerializer, responses={200: {"type": "object"}}, summary="Decide an item"
    )
    @action(detail=False, methods=["post"], url_path=rf"decide/(?P<kind>[a-z]+)/{ITEM}")
    def decide(self, request, kind=None, item=None):
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        got = data.validated_data
        decision, obj = decision_for(kind, int(item))
        outcome = decision.outcome(got.get("outcome"), got["approve"])
        decision.call(obj, request.user, outcome, got["reason"], got["works"])
        return Response({"kind": kind, "id": obj.pk, "outcome": outcome, "done": True})

    @extend_schema(
        request=ReasonSerializer,
        responses={200: {"type": "object"}},
        summary="suspend, unsuspend, revoke, reinstate, reopen, unverify",
    )
    @action(detail=False, methods=["post"], url_path=rf"act/(?P<name>[a-z]+)/{ITEM}")
    def act(self, request, name=None, item=None):
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _, call, obj = action_for(name, int(item))
        call(obj, request.user, data.validated_data["reason"])
        return Response({"action": name, "id": obj.pk, "done": True})


class RepairSerializer(serializers.Serializer):
    works = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=500)
    reason = reason_field()


class MoveSerializer(RepairSerializer):
    target = serializers.IntegerField(min_value=1)


class RecordRepairViewSet(viewsets.ViewSet):
    """/api/v1/moderation/records/<id>/detach|move|split/: a moderator's repairs of any
    record (apps.claims.services.repair); each answers with its audit row, which
    /api/v1/moderation/repairs/<audit id>/reverse/ undoes."""

    permission_classes = [IsModerator]

    def _args(self, request, pk, serializer=RepairSerializer) -> tuple[dict, dict]:
        """The service's arguments from the body and the path, and the body as validated."""
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        found = get_object_or_404(Author, pk=pk)
        return {"actor": request.user, "author": found, "work_ids": body["works"],
                "reason": body["reason"]}, body  # fmt: skip

    @extend_schema(request=RepairSerializer, responses={200: {"type": "object"}},
                   summary="Detach works from a record (the printed names stay)")  # fmt: skip
    @action(detail=True, methods=["post"])
    def detach(self, request, pk=None):
        entry = repair.detach(**self._args(request, pk)[0])
        return Response({"repair": entry.pk, "works": entry.after["works"]})

    @extend_schema(request=MoveSerializer, responses={200: {"type": "object"}},
                   summary="Move works to another record")  # fmt: skip
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        args, body = self._args(request, pk, MoveSerializer)
        entry = repair.move(**args, target=get_object_or_404(Author, pk=body["target"]))
        return Response({"repair": entry.pk, "works": entry.after["works"],
                         "target": entry.after["target"]})  # fmt: skip

    @extend_schema(request=RepairSerializer, responses={200: {"type": "object"}},
                   summary="Split works off to a new record")  # fmt: skip
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        other, entry = repair.split_audited(**self._args(request, pk)[0])
        return Response({"repair": entry.pk, "works": entry.after["works"],
                         "new_author": other.pk})  # fmt: skip


class RepairReverseViewSet(viewsets.ViewSet):
    """/api/v1/moderation/repairs/<audit id>/reverse/: undo one repair (a new audited
    action)."""

    permission_classes = [IsModerator]

    @extend_schema(request=ReasonSerializer, responses={200: {"type": "object"}},
                   summary="Reverse a detach, move or split")  # fmt: skip
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = repair_reverse(actor=request.user, audit_entry=repair_entry(int(pk)),
                               reason=data.validated_data["reason"])  # fmt: skip
        return Response({"repair": entry.pk, "reverses": entry.after["reverses"],
                         "works": entry.after["works"]})  # fmt: skip


class AttributionReportSerializer(serializers.Serializer):
    author = serializers.IntegerField(min_value=1, help_text="The record listing the work")
    work = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(allow_blank=True, help_text="Why the work is not theirs")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class AttributionReportViewSet(viewsets.ViewSet):
    """POST /api/v1/attribution-reports/: report that a work on a record is not that
    person's (any signed-in person; a daily limit by trust tier)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=AttributionReportSerializer, responses={201: {"type": "object"}},
                   summary="Report a work on the wrong record")  # fmt: skip
    def create(self, request):
        data = AttributionReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        report = attribution_report(
            reporter=request.user, author=get_object_or_404(Author, pk=body["author"]),
            work=get_object_or_404(Work, pk=body["work"]), reason=body["reason"],
            evidence_url=body["evidence"],
        )  # fmt: skip
        return Response({"id": report.pk, "status": report.status, "url": report_url(report)},
                        status=201)  # fmt: skip


class AuditViewSet(NewestFirstMixin, viewsets.ReadOnlyModelViewSet):
    """The whole audit log, newest first; filters: action (prefix), author, subject."""

    permission_classes = [IsModerator]
    serializer_class = AuditEventSerializer

    def get_queryset(self):
        qs, params = AuditEvent.objects.all(), self.request.query_params
        if params.get("action"):
            qs = qs.filter(action__startswith=params["action"])
        for name in ("author", "subject_user"):
            if (value := params.get(name, "")).isdigit():
                qs = qs.filter(**{f"{name}_id": int(value)})
        return qs


def register(router) -> None:
    router.register("moderation", ModerationViewSet, basename="moderation")
    router.register("moderation/audit", AuditViewSet, basename="moderation-audit")
    router.register("moderation/records", RecordRepairViewSet, basename="moderation-records")
    router.register("moderation/repairs", RepairReverseViewSet, basename="moderation-repairs")
    router.register("attribution-reports", AttributionReportViewSet, basename="attribution-report")


__all__ = ["ACTIONS", "DECISIONS", "register"]
