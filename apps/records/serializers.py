from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Author, Authorship, Institution, Topic, Venue, Work, WorkLink


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "code", "name", "openalex_id"]


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "name", "ror_id", "openalex_id", "country_code"]


class VenueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Venue
        fields = ["id", "name", "kind", "issn_l", "openalex_id"]


class AuthorSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = [
            "id",
            "display_name",
            "orcid",
            "openalex_id",
            "verification_level",
            "works_count",
            "citation_count",
            "h_index",
        ]


class BylineSerializer(serializers.ModelSerializer):
    """One author as printed on a work. `author_id` is null when the record it pointed at
    said "not mine": the printed name stays."""

    author_id = serializers.IntegerField(source="linked_author_id", allow_null=True)

    class Meta:
        model = Authorship
        fields = ["author_id", "raw_name", "position"]


class AuthorshipSerializer(BylineSerializer):
    institutions = InstitutionSerializer(many=True)

    class Meta(BylineSerializer.Meta):
        fields = [*BylineSerializer.Meta.fields, "institutions"]


class WorkLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkLink
        fields = ["url", "kind", "label", "origin"]


class WorkListSerializer(serializers.ModelSerializer):
    venue = VenueSerializer(allow_null=True)
    topics = TopicSerializer(many=True)
    byline = serializers.SerializerMethodField(
        help_text="The first authors (up to 4); authors_count says how many there are."
    )

    class Meta:
        model = Work
        fields = [
            "id",
            "title",
            "title_html",
            "type",
            "publication_date",
            "date_precision",
            "publication_year",
            "venue",
            "doi",
            "arxiv_id",
            "openalex_id",
            "citation_count",
            "authors_count",
            "byline",
            "topics",
            "landing_url",
            "pdf_url",
            "code_url",
        ]

    @extend_schema_field(BylineSerializer(many=True))
    def get_byline(self, work: Work):
        return BylineSerializer(getattr(work, "byline", []), many=True).data


class WorkDetailSerializer(WorkListSerializer):
    authors = serializers.SerializerMethodField(help_text="Every author, in byline order.")
    related = serializers.SerializerMethodField(
        help_text="Nearby works: shared authors, topics or title words, and why."
    )

    class Meta(WorkListSerializer.Meta):
        fields = [
            *WorkListSerializer.Meta.fields,
            "abstract",
            "other_ids",
            "authors",
            "links",
            "related",
        ]

    links = serializers.SerializerMethodField(help_text="Code, data and model links.")

    @extend_schema_field(WorkLinkSerializer(many=True))
    def get_links(self, work: Work):
        shown = work.links.filter(removed_at__isnull=True)
        return WorkLinkSerializer(shown, many=True).data

    @extend_schema_field(AuthorshipSerializer(many=True))
    def get_authors(self, work: Work):
        return AuthorshipSerializer(self.context["authorships"], many=True).data

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField(), help_text="{id, title, year, because}")
    )
    def get_related(self, work: Work):
        return [
            {
                "id": n.work.id,
                "title": n.work.title,
                "year": n.work.publication_year,
                "because": n.because,
            }
            for n in self.context["related"]
        ]


class TopicCountSerializer(serializers.Serializer):
    topic = TopicSerializer()
    works_count = serializers.IntegerField()


class CollaboratorSerializer(serializers.Serializer):
    author = AuthorSummarySerializer(source="coauthor")
    shared_works = serializers.IntegerField()


class AuthorDetailSerializer(AuthorSummarySerializer):
    institutions = InstitutionSerializer(many=True)
    top_topics = serializers.SerializerMethodField()
    close_collaborators = serializers.SerializerMethodField()

    class Meta(AuthorSummarySerializer.Meta):
        fields = [
            *AuthorSummarySerializer.Meta.fields,
            "name_variants",
            "other_ids",
            "topics_count",
            "collaborators_count",
            "metrics_updated_at",
            "institutions",
            "top_topics",
            "close_collaborators",
        ]

    @extend_schema_field(TopicCountSerializer(many=True))
    def get_top_topics(self, author: Author):
        return TopicCountSerializer(self.context["topics"], many=True).data

    @extend_schema_field(CollaboratorSerializer(many=True))
    def get_close_collaborators(self, author: Author):
        return CollaboratorSerializer(self.context["collaborators"], many=True).data
