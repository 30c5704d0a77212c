from __future__ import annotations

from rest_framework import serializers

from apps.accounts.moderators import is_moderator
from apps.accounts.serializers import PersonField
from apps.core.api import reason_field
from apps.records.models import Author
from apps.trust.models import VerificationRequest

from .models import Claim, Dispute, DisputeStatement, MergeRequest
from .services import MAX_LINK_LENGTH, MAX_LINKS, MAX_NOTE_LENGTH


class ClaimSerializer(serializers.ModelSerializer):
    """A claim with its evidence: only ever given to the claimant and moderators."""

    author_name = serializers.CharField(source="author.display_name", read_only=True)
    age_seconds = serializers.SerializerMethodField()
    email = serializers.CharField(read_only=True, help_text="The evidence email, or empty.")

    class Meta:
        model = Claim
        fields = [
            "id", "author", "author_name", "kind", "status", "orcid", "email", "links", "note",
            "score", "score_components", "created_at", "age_seconds", "decided_at",
            "decision_reason",
        ]  # fmt: skip
        read_only_fields = fields

    def get_age_seconds(self, claim) -> int:
        return int(claim.age.total_seconds())


class ClaimSummarySerializer(serializers.ModelSerializer):
    """The other side of a dispute: who and what kind, never their evidence."""

    user = PersonField()

    class Meta:
        model = Claim
        fields = ["id", "user", "kind", "status", "created_at"]
        read_only_fields = fields


class ClaimCreateSerializer(serializers.Serializer):
    author = serializers.PrimaryKeyRelatedField(queryset=Author.objects.active())
    kind = serializers.ChoiceField(choices=Claim.Kind.choices)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    links = serializers.ListField(
        child=serializers.URLField(max_length=MAX_LINK_LENGTH),
        required=False,
        max_length=MAX_LINKS,
        default=list,
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_NOTE_LENGTH, default=""
    )


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="approve / uphold / verify (false: reject)")
    reason = reason_field()


class DisputeDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=["challenger", "holder", "split", "dismiss"], required=False,
        help_text="challenger takes the record, holder keeps it, split it between them "
        "(works: what the challenger takes), or dismiss",
    )  # fmt: skip
    approve = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text="older clients: true is challenger, false is holder",
    )  # fmt: skip
    reason = reason_field()
    works = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=500
    )

    def chosen(self) -> str:
        data = self.validated_data
        if "outcome" in data:
            return data["outcome"]
        if data["approve"] is None:
            raise serializers.ValidationError({"outcome": "Choose an outcome."})
        return "challenger" if data["approve"] else "holder"


class StatementSerializer(serializers.ModelSerializer):
    """A party's statement: read by both parties and the moderators."""

    user = PersonField(read_only=True)
    works = serializers.ListField(
        source="work_ids", child=serializers.IntegerField(min_value=1), required=False,
        default=list, max_length=500, help_text="works on the record this party says are theirs",
    )  # fmt: skip
    links = serializers.ListField(
        child=serializers.URLField(max_length=MAX_LINK_LENGTH), required=False,
        max_length=MAX_LINKS, default=list,
    )  # fmt: skip

    class Meta:
        model = DisputeStatement
        fields = ["id", "side", "user", "text", "links", "works", "created_at"]
        read_only_fields = ["id", "side", "user", "created_at"]
        extra_kwargs = {"text": {"max_length": MAX_NOTE_LENGTH}}


class DisputeSerializer(serializers.ModelSerializer):
    claim = serializers.SerializerMethodField()
    held_claim = serializers.SerializerMethodField()
    statements = StatementSerializer(many=True, read_only=True)

    class Meta:
        model = Dispute
        fields = ["id", "author", "status", "created_at", "decided_at", "decision_reason",
                  "new_author", "claim", "held_claim", "statements"]  # fmt: skip
        read_only_fields = fields

    def _side(self, claim):
        user = self.context["request"].user
        full = is_moderator(user) or claim.user_id == user.pk
        return (ClaimSerializer if full else ClaimSummarySerializer)(claim).data

    def get_claim(self, dispute) -> dict:
        return self._side(dispute.claim)

    def get_held_claim(self, dispute) -> dict:
        return self._side(dispute.held_claim)


class MergeRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = MergeRequest
        fields = ["id", "survivor", "duplicate", "reason", "status", "created_at", "decided_at",
                  "decision_reason"]  # fmt: skip
        read_only_fields = ["survivor", "status", "created_at", "decided_at", "decision_reason"]


class WorksSerializer(serializers.Serializer):
    works = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=500)


class AddWorkSerializer(serializers.Serializer):
    identifier = serializers.CharField(max_length=300)


class NamesSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=300)
    variants = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=20, default=list
    )


class CandidateSerializer(serializers.Serializer):
    author = serializers.IntegerField(source="author.pk")
    display_name = serializers.CharField(source="author.display_name")
    orcid = serializers.CharField(source="author.orcid", allow_null=True)
    works_count = serializers.IntegerField(source="author.works_count")
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())
    held = serializers.BooleanField()


class VerificationRequestSerializer(serializers.ModelSerializer):
    author = serializers.PrimaryKeyRelatedField(queryset=Author.objects.active())

    class Meta:
        model = VerificationRequest
        fields = ["id", "author", "email", "note", "status", "domain_matches", "created_at",
                  "email_confirmed_at", "decided_at", "decision_reason"]  # fmt: skip
        read_only_fields = ["status", "domain_matches", "created_at", "email_confirmed_at",
                            "decided_at", "decision_reason"]  # fmt: skip
