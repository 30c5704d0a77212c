"""The read API for public records (/api/v1/). Same queries as the pages (pages.py)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from apps.core.api import KeysetPagination
from apps.core.converters import SLUG_PATTERN
from apps.core.keyset import Key

from . import search
from .exports import author_works_export, export_response
from .forms import ExportForm, GraphFilterForm, SearchForm, WorkFilterForm
from .graph import author_network
from .models import Author, Institution, Topic, Work
from .nearby import nearby_works
from .pages import author_graph, author_works, listing_keys, work_byline
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


class FormatIsAnExport(DefaultContentNegotiation):
    """On the export actions `?format=` names the citation format, not a DRF renderer:
    errors still answer in JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def export_format(request) -> str:
    form = ExportForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data(escape_html=True))
    return form.cleaned_data["format"]


EXPORT_FORMAT = OpenApiParameter(
    "format", str, enum=[value for value, _ in ExportForm.FORMATS], required=True
)


def export_schema(*parameters: OpenApiParameter):
    return extend_schema(
        parameters=[EXPORT_FORMAT, *parameters],
        responses={(200, "application/x-bibtex"): str},
        summary="Citations as BibTeX, RIS or CSL-JSON",
    )


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

    @extend_schema(
        parameters=[
            OpenApiParameter("year_from", int, description="Works from this year on"),
            OpenApiParameter("year_to", int, description="Works up to this year"),
            OpenApiParameter("topic", str, description="Topic slug"),
        ],
        responses={200: dict},
        summary="The research graph around a record: nodes and edges",
    )
    @action(detail=True, methods=["get"])
    def graph(self, request, pk=None):
        """Co-authors (weight: works shared within the filters), the closest ones' own
        co-authors, topics and institutions; author nodes say "claimed" or "verified"."""
        author = get_object_or_404(Author, pk=pk)
        form = GraphFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data(escape_html=True))
        return Response(author_network(author, **form.filters()).as_dict())

    @export_schema(*WORK_FILTERS)
    @action(detail=True, methods=["get"], content_negotiation_class=FormatIsAnExport)
    def export(self, request, pk=None):
        """The author's visible works under the page's filters (year, type, topic)."""
        author = get_object_or_404(Author, pk=pk)
        fmt, filters = export_format(request), work_filters(request)
        return export_response(author_works_export(author, filters), fmt, f"peerage-author-{pk}")


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
            "related": nearby_works(work),
        }
        return Response(WorkDetailSerializer(work, context=context).data)

    @export_schema()
    @action(detail=True, methods=["get"], content_negotiation_class=FormatIsAnExport)
    def export(self, request, pk=None):
        fmt = export_format(request)
        works = Work.objects.filter(pk=get_object_or_404(Work, pk=pk).pk)
        return export_response(works, fmt, f"peerage-work-{pk}")


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
