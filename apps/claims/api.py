"""/api/v1/claims/, /disputes/, /merges/, /curation/<author>/, /verification-requests/,
/authors/<id>/badges/: the
same services as the pages. A refusal is answered by apps.core.api.exception_handler
({"detail", "code", "field"} with its status); acting on someone else's claim is 403/404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response

from apps.accounts.moderators import is_moderator
from apps.core.api import NewestFirstMixin
from apps.core.errors import NotAllowed
from apps.records.models import Author
from apps.trust.models import VerificationRequest

from . import services
from .access import get_dispute_for_user
from .badges import email_badge
from .models import Claim, Dispute, MergeRequest
from .serializers import (
    AddWorkSerializer,
    CandidateSerializer,
    ClaimCreateSerializer,
    ClaimSerializer,
    DecideSerializer,
    DisputeDecideSerializer,
    DisputeSerializer,
    MergeRequestSerializer,
    NamesSerializer,
    StatementSerializer,
    VerificationRequestSerializer,
    WorksSerializer,
)
from .suggestions import suggestions_for

HISTORY_ROWS = 100


def _valid(serializer_class, request):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class ClaimViewSet(NewestFirstMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   viewsets.GenericViewSet):  # fmt: skip
    """The signed-in user's claims (moderators: every claim), newest first."""

    serializer_class = ClaimSerializer

    def get_queryset(self):
        return Claim.objects.visible_to(self.request.user).select_related("author")

    @extend_schema(request=ClaimCreateSerializer, responses={201: ClaimSerializer})
    def create(self, request):
        data = _valid(ClaimCreateSerializer, request)
        if data["kind"] == Claim.Kind.ORCID:
            claim = services.claim_orcid(user=request.user, author=data["author"])
        else:
            evidence = services.Evidence(data["email"], tuple(data["links"]), data["note"])
            claim = services.claim_evidence(
                user=request.user, author=data["author"], evidence=evidence
            )
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        claim = services.claim_withdraw(claim=self.get_object(), actor=request.user)
        return Response(ClaimSerializer(claim).data)

    @extend_schema(request=None, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        claim = services.claim_release(claim=self.get_object(), actor=request.user)
        return Response(ClaimSerializer(claim).data)

    @extend_schema(request=DecideSerializer, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = _valid(DecideSerializer, request)
        claim = services.claim_decide(claim=self.get_object(), actor=request.user, **data)
        return Response(ClaimSerializer(claim).data)

    @extend_schema(responses=CandidateSerializer(many=True), summary='"Is this you?" candidates')
    @action(detail=False, methods=["get"], pagination_class=None)
    def suggestions(self, request):
        name = request.query_params.get("name", "")[:200]
        return Response(
            CandidateSerializer(suggestions_for(request.user, name=name), many=True).data
        )


class DisputeViewSet(viewsets.GenericViewSet):
    """A dispute, seen by both sides (each without the other's claim evidence, with both
    sides' statements) and moderators."""

    serializer_class = DisputeSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Dispute.objects.none()

    def _read(self, request, dispute):
        dispute = get_dispute_for_user(request.user, dispute.pk)  # fresh, statements too
        return Response(DisputeSerializer(dispute, context={"request": request}).data)

    def retrieve(self, request, pk=None):
        return self._read(request, get_dispute_for_user(request.user, pk))

    @extend_schema(request=StatementSerializer, responses={201: StatementSerializer})
    @action(detail=True, methods=["post"])
    def statements(self, request, pk=None):
        data = _valid(StatementSerializer, request)
        statement = services.dispute_statement_add(
            dispute=get_dispute_for_user(request.user, pk), user=request.user, text=data["text"],
            links=data["links"], work_ids=data["work_ids"],
        )  # fmt: skip
        return Response(StatementSerializer(statement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DisputeDecideSerializer, responses=DisputeSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = DisputeDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dispute = get_dispute_for_user(request.user, pk)
        services.dispute_decide(dispute=dispute, actor=request.user, outcome=data.chosen(),
                                reason=data.validated_data["reason"],
                                work_ids=data.validated_data["works"])  # fmt: skip
        return self._read(request, dispute)


class MergeRequestViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MergeRequestSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        user = self.request.user
        qs = MergeRequest.objects.all()
        return qs if is_moderator(user) else qs.filter(requested_by=user)

    def create(self, request):
        data = _valid(MergeRequestSerializer, request)
        held = Claim.objects.held_by(request.user)
        if held is None:
            raise NotAllowed("Claim your record first.")
        merge = services.merge_request_create(user=request.user, survivor=held.author,
                                              duplicate=data["duplicate"],
                                              reason=data.get("reason", ""))  # fmt: skip
        return Response(MergeRequestSerializer(merge).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=MergeRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        merge = services.merge_withdraw(merge=self.get_object(), actor=request.user)
        return Response(MergeRequestSerializer(merge).data)

    @extend_schema(request=DecideSerializer, responses=MergeRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = _valid(DecideSerializer, request)
        merge = services.merge_decide(merge=self.get_object(), actor=request.user, **data)
        return Response(MergeRequestSerializer(merge).data)


class CurationViewSet(viewsets.GenericViewSet):
    """The holder's curation of their record: /api/v1/curation/<author id>/<action>/."""

    permission_classes = [permissions.IsAuthenticated]
    queryset = Author.objects.none()

    def _author(self, pk) -> Author:
        return get_object_or_404(Author.objects.active(), pk=pk)

    def _works(self, request, pk, service):
        data = _valid(WorksSerializer, request)
        return service(user=request.user, author=self._author(pk), work_ids=data["works"])

    @extend_schema(request=WorksSerializer, responses={200: {"type": "object"}})
    @action(detail=True, methods=["post"])
    def disown(self, request, pk=None):
        return Response({"changed": self._works(request, pk, services.works_disown)})

    @extend_schema(request=WorksSerializer, responses={200: {"type": "object"}})
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        return Response({"changed": self._works(request, pk, services.works_restore)})

    @extend_schema(request=WorksSerializer, responses={200: {"type": "object"}})
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        return Response({"new_author": self._works(request, pk, services.works_split).pk})

    @extend_schema(request=WorksSerializer, responses={200: {"type": "object"}})
    @action(detail=True, methods=["post"])
    def pins(self, request, pk=None):
        return Response({"pins": self._works(request, pk, services.pins_set)})

    @extend_schema(request=AddWorkSerializer, responses={201: {"type": "object"}})
    @action(detail=True, methods=["post"], url_path="add-work")
    def add_work(self, request, pk=None):
        data = _valid(AddWorkSerializer, request)
        work = services.work_add(user=request.user, author=self._author(pk), **data)
        return Response({"work": work.pk}, status=status.HTTP_201_CREATED)

    @extend_schema(request=NamesSerializer, responses={200: {"type": "object"}})
    @action(detail=True, methods=["post"])
    def names(self, request, pk=None):
        data = _valid(NamesSerializer, request)
        author = services.names_set(user=request.user, author=self._author(pk), **data)
        return Response({"display_name": author.display_name, "variants": author.name_variants})

    @extend_schema(
        responses={200: {"type": "array", "items": {"type": "object"}}},
        summary="The record's audit rows, newest first (holder and moderators)",
    )
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        from .access import get_record_history_for_user

        events = get_record_history_for_user(request.user, self._author(pk)).newest_first()
        rows = events.values("id", "created_at", "actor_label", "action", "target_type",
                             "target_id", "reason", "before", "after")[:HISTORY_ROWS]  # fmt: skip
        return Response(list(rows))


class VerificationRequestViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The holder's L3 requests: ask with an institutional email (a confirmation link is sent
    to it) and a note; a moderator decides in the workspace."""

    serializer_class = VerificationRequestSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        return VerificationRequest.objects.filter(user=self.request.user).order_by("-id")[:50]

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = services.verification_request(user=request.user, **data.validated_data)
        return Response(self.get_serializer(made).data, status=status.HTTP_201_CREATED)


class BadgesSerializer(serializers.Serializer):
    author = serializers.IntegerField()
    claimed = serializers.BooleanField()
    institution_email_domain = serializers.CharField(
        allow_null=True,
        help_text="The domain of an institution on the record where its holder proved an "
        "email (never the address), when the holder lets you see it; else null",
    )


@extend_schema(tags=["claims"], responses=BadgesSerializer, summary="A record's badges")
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def author_badges(request, pk: int):
    """Whether a record is claimed, and its institutional email badge as the record's page
    shows it to you."""
    author = get_object_or_404(Author.objects.active(), pk=pk)
    holder = Claim.objects.holder_of(author)
    data = {"author": author.pk, "claimed": holder is not None,
            "institution_email_domain": email_badge(holder, author, request.user)}  # fmt: skip
    return Response(BadgesSerializer(data).data)
