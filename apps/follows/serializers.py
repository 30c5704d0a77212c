from rest_framework import serializers

from apps.records.models import Author, Topic, Work
from apps.records.serializers import WorkListSerializer

from .models import Follow


class FollowSerializer(serializers.ModelSerializer):
    """A follow of exactly one author record (by id) or one topic (by slug)."""

    author = serializers.PrimaryKeyRelatedField(
        queryset=Author.objects.all(), required=False, allow_null=True
    )
    topic = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Follow
        fields = ["id", "author", "topic", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate(self, attrs):
        if bool(attrs.get("author")) == bool(attrs.get("topic")):
            raise serializers.ValidationError("Give exactly one of author or topic.")
        return attrs


class FeedWorkSerializer(WorkListSerializer):
    upvotes = serializers.SerializerMethodField()
    upvoted = serializers.SerializerMethodField()

    class Meta(WorkListSerializer.Meta):
        fields = [*WorkListSerializer.Meta.fields, "upvotes", "upvoted"]

    def get_upvotes(self, work) -> int:
        return self.context["upvotes"].get(work.pk, (0, False))[0]

    def get_upvoted(self, work) -> bool:
        return self.context["upvotes"].get(work.pk, (0, False))[1]


class UpvoteRequestSerializer(serializers.Serializer):
    work = serializers.PrimaryKeyRelatedField(queryset=Work.objects.all())


class UpvoteResultSerializer(serializers.Serializer):
    work = serializers.IntegerField()
    upvoted = serializers.BooleanField()
    upvotes = serializers.IntegerField()


class TrendingWorkSerializer(WorkListSerializer):
    score = serializers.IntegerField()

    class Meta(WorkListSerializer.Meta):
        fields = [*WorkListSerializer.Meta.fields, "score"]


class TrendingAuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    score = serializers.IntegerField()


class TrendingTopicSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    score = serializers.IntegerField()


class TrendingSerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=["day", "week"])
    works = TrendingWorkSerializer(many=True)
    authors = TrendingAuthorSerializer(many=True)
    topics = TrendingTopicSerializer(many=True)
