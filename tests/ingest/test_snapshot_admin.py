"""The snapshot loader's bookkeeping in the admin: what was loaded, and what a load left
set aside. Both are read-only; a SetAside row cannot be deleted there either."""

import pytest
from django.utils import timezone

from apps.ingest.models import LoadedPartition, SetAside

pytestmark = pytest.mark.django_db


@pytest.fixture
def partition():
    return LoadedPartition.objects.create(
        entity="works",
        path="works/updated_date=2024-02-01/part_000.gz",
        size=1234,
        sha256="ab" * 32,
        record_count=6,
        rows_created=40,
        loaded_at=timezone.now(),
    )


@pytest.fixture
def set_aside():
    return SetAside.objects.create(
        name="work_search_vector_gin",
        table="records_work",
        definition="CREATE INDEX work_search_vector_gin ON public.records_work USING gin …",
        set_aside_at=timezone.now(),
    )


def test_loaded_partitions_are_listed_and_searchable(admin_client, partition):
    listed = admin_client.get("/admin/ingest/loadedpartition/", {"q": "2024-02-01"})
    assert listed.status_code == 200
    assert partition.path in listed.content.decode()
    other = admin_client.get("/admin/ingest/loadedpartition/", {"q": "2024-03"})
    assert partition.path not in other.content.decode()


def test_a_loaded_partition_is_read_only_but_can_be_deleted_to_load_it_again(
    admin_client, partition
):
    url = f"/admin/ingest/loadedpartition/{partition.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="path"' not in page.content.decode()  # shown, not editable
    admin_client.post(url, {"path": "elsewhere.gz", "record_count": 0})
    partition.refresh_from_db()
    assert partition.path == "works/updated_date=2024-02-01/part_000.gz"
    assert admin_client.get("/admin/ingest/loadedpartition/add/").status_code == 403

    admin_client.post(f"/admin/ingest/loadedpartition/{partition.pk}/delete/", {"post": "yes"})
    assert not LoadedPartition.objects.exists()


def test_what_a_load_set_aside_is_shown_and_cannot_be_deleted(admin_client, set_aside):
    listed = admin_client.get("/admin/ingest/setaside/")
    assert listed.status_code == 200
    assert "work_search_vector_gin" in listed.content.decode()
    detail = admin_client.get(f"/admin/ingest/setaside/{set_aside.pk}/change/").content.decode()
    assert "CREATE INDEX work_search_vector_gin" in detail

    deleting = admin_client.post(f"/admin/ingest/setaside/{set_aside.pk}/delete/", {"post": "yes"})
    assert deleting.status_code == 403
    assert SetAside.objects.filter(pk=set_aside.pk).exists()
