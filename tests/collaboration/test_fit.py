"""The fit: shared topics, shared collaborators, bounded co-author distance."""

import itertools

import pytest

from apps.collaboration.fit import coauthor_distance, fit_between
from apps.records.models import AuthorTopic

from .conftest import coauthors

pytestmark = pytest.mark.django_db


def test_fit_lists_shared_topics_collaborators_and_distance(records, django_assert_max_num_queries):
    a, b, shared, other = (records.author(n) for n in ("A Person", "B Person", "C Shared", "D X"))
    t1, t2, t3 = records.topic("cs.DC", "Distributed"), records.topic("cs.LG"), records.topic("x")
    rows = [(a, t1, 3), (b, t1, 1), (a, t2, 1), (b, t3, 1)]
    AuthorTopic.objects.bulk_create(
        AuthorTopic(author=author, topic=topic, works_count=n) for author, topic, n in rows
    )
    coauthors(a, shared)
    coauthors(b, shared)
    coauthors(a, other)
    with django_assert_max_num_queries(2 + 2):  # topics, collaborators, two BFS hops
        fit = fit_between(a, b)
    assert fit.topics == ["Distributed"]
    assert fit.collaborators == [{"id": shared.pk, "name": "C Shared"}]
    assert fit.distance == 2


def test_distance_is_bounded(records, django_assert_max_num_queries):
    chain = [records.author(f"Chain Person{i}") for i in range(6)]
    for left, right in itertools.pairwise(chain):
        coauthors(left, right)
    assert coauthor_distance(chain[0].pk, chain[1].pk) == 1
    assert coauthor_distance(chain[0].pk, chain[3].pk) == 3
    with django_assert_max_num_queries(3):
        assert coauthor_distance(chain[0].pk, chain[5].pk) is None
    assert coauthor_distance(chain[0].pk, chain[0].pk) == 0
