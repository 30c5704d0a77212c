"""The research graph around one record, for the explorer page and its API: co-authors
weighted by shared works (two hops, each capped), the record's topics and institutions, and
the shortest co-author path between two records. Every read is a fixed number of queries."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from django.db.models import Count
from django.urls import reverse

from .models import Author, Authorship, CoAuthorship, Work

HOP1_CAP = 25  # co-authors of the record shown
HOP2_FROM = 10  # the closest co-authors whose own co-authors are shown
HOP2_CAP = 30  # second-hop records shown at most
TOPICS_CAP = 8
INSTITUTIONS_CAP = 6
MAX_HOPS = 3
FRONTIER_CAP = 5_000  # co-author pairs expanded per hop at most
STATUS = {2: "claimed", 3: "verified"}  # verification levels a node is marked with


@dataclass
class Node:
    id: str  # "a12" (author record), "t5" (topic), "i3" (institution)
    kind: str  # "author", "topic", "institution"
    label: str
    weight: int  # works (authors: shared with the record; topics: the record's works in it)
    url: str | None
    hop: int = 1
    status: str | None = None  # "claimed" or "verified" (authors only)
    x: float = 0.0
    y: float = 0.0

    # How the server's SVG draws it (properties, so not in the API's JSON).
    @property
    def radius(self) -> int:
        return (16, 9, 6)[min(self.hop, 2)]

    @property
    def box(self) -> tuple[float, float]:
        return round(self.x - 7, 1), round(self.y - 7, 1)

    @property
    def label_y(self) -> float:
        return round(self.y + self.radius + 13, 1)


@dataclass(frozen=True)
class Line:
    kind: str
    x1: float
    y1: float
    x2: float
    y2: float
    width: int
    near: bool  # an edge of the record itself (drawn stronger)


@dataclass
class Edge:
    source: str
    target: str
    kind: str  # "coauthor", "topic", "affiliation"
    weight: int


@dataclass
class Graph:
    center: Node
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def of_kind(self, kind: str, hop: int | None = None) -> list[Node]:
        return [n for n in self.nodes if n.kind == kind and (hop is None or n.hop == hop)]

    def lines(self) -> list[Line]:
        """The edges as line segments between laid-out nodes, for the server's SVG."""
        at = {node.id: node for node in self.nodes}
        lines = []
        for e in self.edges:
            if e.source not in at or e.target not in at:
                continue
            near = e.source == self.center.id
            a, b = at[e.source], at[e.target]
            lines.append(Line(e.kind, a.x, a.y, b.x, b.y, min(e.weight, 5) if near else 1, near))
        return lines

    def as_dict(self) -> dict:
        return {
            "center": self.center.id,
            "nodes": [_without_layout(asdict(node)) for node in self.nodes],
            "edges": [asdict(edge) for edge in self.edges],
        }


def _without_layout(node: dict) -> dict:
    node.pop("x"), node.pop("y")
    return node


def record_work_ids(author: Author, *, year_from=None, year_to=None, topic=None):
    """The ids of the record's visible works within the explorer's filters, as a subquery.
    Unfiltered, the authorships alone answer: joining the works would cost one index probe a
    work for nothing (EXPLAIN in docs/benchmarks.md)."""
    if not (year_from or year_to or topic):
        return Authorship.objects.visible().filter(author=author).values("work_id")
    works = Work.objects.visible_on(author).filtered(topic=topic)
    if year_from:
        works = works.filter(publication_year__gte=year_from)
    if year_to:
        works = works.filter(publication_year__lte=year_to)
    return works.values("id")


def _author_node(author: Author, hop: int, weight: int) -> Node:
    url = reverse("records:author", args=[author.pk])
    return Node(
        f"a{author.pk}",
        "author",
        author.display_name,
        weight,
        url,
        hop,
        STATUS.get(author.verification_level),
    )


def _coauthors(author: Author, work_ids) -> list[tuple[int, int]]:
    """(co-author id, works shared within `work_ids`), most shared first."""
    rows = (
        Authorship.objects.visible()
        .filter(work_id__in=work_ids)
        .exclude(author=author)
        .values("author_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "author_id")[:HOP1_CAP]
    )
    return [(row["author_id"], row["shared"]) for row in rows]


def _second_hop(author: Author, hop1: list[int]) -> list[CoAuthorship]:
    """The strongest edges out of the closest co-authors (all their shared works, unfiltered)."""
    return list(
        CoAuthorship.objects.filter(author_id__in=hop1[:HOP2_FROM], shared_works__gte=2)
        .exclude(coauthor=author)
        .order_by("-shared_works", "coauthor_id")[: HOP2_CAP * 3]
    )


def author_network(author: Author, **filters) -> Graph:
    """The graph around `author` within `filters` (year_from, year_to, topic): five queries."""
    center = _author_node(author, 0, author.works_count)
    graph = Graph(center, [center])
    work_ids = record_work_ids(author, **filters)
    hop1 = _coauthors(author, work_ids)
    hop1_ids = [pk for pk, _ in hop1]
    second = _second_hop(author, hop1_ids)
    hop2_ids = []
    for edge in second:
        if edge.coauthor_id not in hop1_ids and edge.coauthor_id not in hop2_ids:
            hop2_ids.append(edge.coauthor_id)
    hop2_ids = hop2_ids[:HOP2_CAP]
    people = Author.objects.only("id", "display_name", "verification_level", "works_count")
    people = people.in_bulk([*hop1_ids, *hop2_ids])
    for pk, shared in hop1:
        graph.nodes.append(_author_node(people[pk], 1, shared))
        graph.edges.append(Edge(center.id, f"a{pk}", "coauthor", shared))
    for pk in hop2_ids:
        graph.nodes.append(_author_node(people[pk], 2, people[pk].works_count))
    _add_second_edges(graph, second, set(hop1_ids), set(hop2_ids))
    _add_topics(graph, work_ids)
    _add_institutions(graph, author)
    return graph


def _add_second_edges(graph: Graph, second, hop1: set[int], hop2: set[int]) -> None:
    seen = set()
    for edge in second:
        pair = tuple(sorted((edge.author_id, edge.coauthor_id)))
        if pair in seen or not (edge.coauthor_id in hop1 or edge.coauthor_id in hop2):
            continue
        seen.add(pair)
        graph.edges.append(
            Edge(f"a{edge.author_id}", f"a{edge.coauthor_id}", "coauthor", edge.shared_works)
        )


def _add_topics(graph: Graph, work_ids) -> None:
    rows = (
        Work.topics.through.objects.filter(work_id__in=work_ids)
        .values("topic_id", "topic__name", "topic__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "topic__name")[:TOPICS_CAP]
    )
    for row in rows:
        url = reverse("records:topic", args=[row["topic__slug"]])
        node = Node(f"t{row['topic_id']}", "topic", row["topic__name"], row["n"], url)
        graph.nodes.append(node)
        graph.edges.append(Edge(graph.center.id, node.id, "topic", row["n"]))


def _add_institutions(graph: Graph, author: Author) -> None:
    for institution in author.institutions.all()[:INSTITUTIONS_CAP]:
        node = Node(f"i{institution.pk}", "institution", institution.name, 1, None)
        graph.nodes.append(node)
        graph.edges.append(Edge(graph.center.id, node.id, "affiliation", 1))


# --- A drawing for pages without JavaScript -----------------------------------------------

SVG_WIDTH, SVG_HEIGHT = 800, 560
RING0, RING1, RING2 = 80, 175, 255
GOLDEN = 0.381966  # the golden angle as a share of a turn


def radial_layout(graph: Graph) -> Graph:
    """Place the record in the middle, topics and institutions on an inner ring, co-authors
    on evenly spaced slots taken in golden-ratio strides (so the closest ones are not
    bunched on one side)
    and the second hop on an outer ring beside the co-author that brought each in."""
    cx, cy = SVG_WIDTH / 2, SVG_HEIGHT / 2
    graph.center.x, graph.center.y = cx, cy
    inner = [n for n in graph.nodes if n.hop == 1 and n.kind != "author"]
    for i, node in enumerate(inner):
        node.x, node.y = _polar(cx, cy, RING0, 2 * math.pi * (i + 0.5) / len(inner))
    ring, angles = graph.of_kind("author", hop=1), {}
    step = _stride(len(ring))
    for i, node in enumerate(ring):
        angles[node.id] = 2 * math.pi * ((i * step) % len(ring)) / len(ring) - math.pi / 2
        node.x, node.y = _polar(cx, cy, RING1, angles[node.id])
    anchor = {e.target: e.source for e in graph.edges if e.source in angles}
    anchor |= {e.source: e.target for e in graph.edges if e.target in angles}
    spread: dict[float, int] = {}
    for node in graph.of_kind("author", hop=2):
        base = angles.get(anchor.get(node.id, ""), 0.0)
        spread[base] = spread.get(base, -1) + 1
        offset = (spread[base] + 1) // 2 * (1 if spread[base] % 2 else -1) * 0.07
        node.x, node.y = _polar(cx, cy, RING2, base + offset)
    return graph


def _stride(n: int) -> int:
    """A step near the golden share of `n` that visits every one of `n` evenly spaced slots."""
    step = max(1, round(n * GOLDEN))
    while math.gcd(step, n) != 1:
        step += 1
    return step


def _polar(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    return round(cx + radius * math.cos(angle), 1), round(cy + radius * 0.8 * math.sin(angle), 1)


# --- Paths between people -----------------------------------------------------------------


def coauthor_path(a_id: int, b_id: int, max_hops: int = MAX_HOPS) -> list[int] | None:
    """The records on a shortest co-author path from `a` to `b` (both ends included; [a] when
    they are the same), breadth-first over CoAuthorship with one query per hop; None when `b`
    is further than `max_hops`."""
    if a_id == b_id:
        return [a_id]
    parent: dict[int, int] = {a_id: a_id}
    frontier = {a_id}
    for _ in range(max_hops):
        edges = CoAuthorship.objects.filter(author_id__in=frontier).exclude(coauthor_id__in=parent)
        found: set[int] = set()
        for coauthor, author in edges.values_list("coauthor_id", "author_id")[:FRONTIER_CAP]:
            parent.setdefault(coauthor, author)
            found.add(coauthor)
        if b_id in found:
            path = [b_id]
            while path[-1] != a_id:
                path.append(parent[path[-1]])
            return path[::-1]
        if not found:
            return None
        frontier = found
    return None


def coauthor_distance(a_id: int, b_id: int, max_hops: int = MAX_HOPS) -> int | None:
    """Hops from record `a` to record `b` (1 = co-authors), None beyond `max_hops`."""
    path = coauthor_path(a_id, b_id, max_hops)
    return None if path is None else len(path) - 1


def path_authors(path: list[int]) -> list[Author]:
    """The records of a path, in its order (one query)."""
    found = Author.objects.only("id", "display_name", "verification_level").in_bulk(path)
    return [found[pk] for pk in path if pk in found]
