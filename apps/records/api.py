"""The read API for public records (/api/v1/). Same queries as the pages (pages.py)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.core.api import KeysetPagination
from apps.core.converters import SLUG_PATTERN
from apps.core.keyset import Key

from . import search
from .forms import SearchForm, WorkFilterForm
from .models import Author, Institution, Topic, Work
from .pages import author_graph, author_works, listing_keys, related_works, work_byline
from .serializers import (
    AuthorDetailSerializer,
    AuthorSummarySerializer,
    InstitutionSerializer,
    TopicSerializer,
    WorkDetailSerializer,
    WorkListSerializer,
)

SEARCH_LIMIT = 50
LIST_UNUSED = ("abstract", "other_ids")  # large columns WorkListSerializer never prints
WORK_FILTERS = [
    OpenApiParameter("year", int, description="Publication year"),
    OpenApiParameter(
        "type", str, enum=[value for value, _ in Work._meta.get_field("type").choices]
    ),
    OpenApiParameter("topic", str, description="Topic slug"),
]
QUERY = OpenApiParameter(
    "q", str, description=f"Search words; results are ranked, at most {SEARCH_LIMIT}, unpaginated"
)


def work_filters(request) -> dict:
    """Validated year/type/topic filters from the query string, or a 400 naming the field."""
    form = WorkFilterForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data(escape_html=True))
    return form.filters()


def search_query(request) -> str:
    form = SearchForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data(escape_html=True))
    return form.cleaned_data["q"]


@extend_schema_view(
    list=extend_schema(parameters=[QUERY], summary="Authors, most works first; or a name search"),
    retrieve=extend_schema(summary="One author record with metrics and research graph"),
)
class AuthorViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Author.objects.active()
    pagination_class = KeysetPagination

    def keyset_keys(self) -> list[Key]:
        if self.action == "works":
            return listing_keys()
        return [Key("works_count"), Key("id", descending=False)]

    def get_serializer_class(self):
        return AuthorDetailSerializer if self.action == "retrieve" else AuthorSummarySerializer

    def list(self, request, *args, **kwargs):
        query = search_query(request)
        if query:
            found = search.author_search(query, limit=SEARCH_LIMIT)
            return Response(
                {
                    "next": None,
                    "previous": None,
                    "results": AuthorSummarySerializer(found, many=True).data,
                }
            )
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        author = get_object_or_404(Author, pk=kwargs["pk"])
        context = {**self.get_serializer_context(), **author_graph(author)}
        return Response(AuthorDetailSerializer(author, context=context).data)

    @extend_schema(
        parameters=WORK_FILTERS,
        responses=WorkListSerializer(many=True),
        summary="An author's visible works, newest first",
    )
    @action(detail=True, methods=["get"])
    def works(self, request, pk=None):
        author = get_object_or_404(Author, pk=pk)
        works = author_works(author, work_filters(request)).defer(*LIST_UNUSED)
        page = self.paginate_queryset(works)
        return self.get_paginated_response(WorkListSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[QUERY, *WORK_FILTERS], summary="Works, newest first; or a search"
    ),
    retrieve=extend_schema(summary="One work with all its authors and related works"),
)
class WorkViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Work.objects.all()
    pagination_class = KeysetPagination
    serializer_class = WorkListSerializer

    def keyset_keys(self) -> list[Key]:
        return listing_keys()

    def list(self, request, *args, **kwargs):
        filters, query = work_filters(request), search_query(request)
        works = Work.objects.filtered(**filters)
        if query:
            found = search.work_search(query, works).for_listing()
            found = found.defer(*LIST_UNUSED)[:SEARCH_LIMIT]
            return Response(
                {
                    "next": None,
                    "previous": None,
                    "results": WorkListSerializer(found, many=True).data,
                }
            )
        page = self.paginate_queryset(works.for_listing().defer(*LIST_UNUSED))
        return self.get_paginated_response(WorkListSerializer(page, many=True).data)

    @extend_schema(responses=WorkDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        work = get_object_or_404(Work.objects.for_listing(), pk=kwargs["pk"])
        context = {
            **self.get_serializer_context(),
            "authorships": work_byline(work),
            "related": related_works(work),
        }
        return Response(WorkDetailSerializer(work, context=context).data)


@extend_schema_view(
    list=extend_schema(summary="All topics"), retrieve=extend_schema(summary="One topic")
)
class TopicViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Topic.objects.order_by("code", "name")
    serializer_class = TopicSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    pagination_class = None


@extend_schema_view(
    list=extend_schema(summary="Institutions"), retrieve=extend_schema(summary="One institution")
)
class InstitutionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Institution.objects.all()
    serializer_class = InstitutionSerializer
    pagination_class = KeysetPagination

    def keyset_keys(self) -> list[Key]:
        return [Key("id", descending=False)]
