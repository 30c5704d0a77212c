"""/healthz reports the database, cache, broker and worker heartbeat; 503 when a required part
is down. Failures here are real where they can be: caches and brokers on a closed port."""

import time

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from apps.core.heartbeat import heartbeat_write
from config.celery import app as celery_app

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def get_health(client, db):
    def get():
        response = client.get(reverse("healthz"))
        return response, response.json()

    return get


def test_all_parts_up_is_200_and_names_each_check(get_health, django_assert_max_num_queries):
    heartbeat_write("celery@test")

    with django_assert_max_num_queries(1):  # SELECT 1
        response, body = get_health()

    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "worker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["worker"]["hostname"] == "celery@test"
    assert response["Cache-Control"].startswith("max-age=0")


def test_database_down_is_503(get_health, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:  # undone before the test's transaction rolls back
        patch.setattr(connection, "cursor", refuse)
        response, body = get_health()

    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == {
        "ok": False,
        "error": "OperationalError: connection refused",
        "latency_ms": body["checks"]["database"]["latency_ms"],
        "required": True,
    }


def test_cache_down_is_503(get_health, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_PORT_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    response, body = get_health()

    assert response.status_code == 503
    assert body["checks"]["cache"]["ok"] is False
    assert "ConnectionError" in body["checks"]["cache"]["error"]
    assert body["checks"]["database"]["ok"] is True


def test_broker_down_is_503(get_health, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", CLOSED_PORT_REDIS)
    response, body = get_health()

    assert response.status_code == 503
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["broker"]["required"] is True


def test_broker_up_reports_its_transport(get_health):
    _, body = get_health()
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["broker"]["transport"] in {"redis", "memory"}


def test_no_heartbeat_reports_the_worker_missing_but_stays_200_by_default(get_health):
    response, body = get_health()

    assert response.status_code == 200
    assert body["checks"]["worker"]["status"] == "missing"
    assert body["checks"]["worker"]["required"] is False


def test_an_old_heartbeat_is_stale(get_health, settings):
    heartbeat_write("celery@old", now=time.time() - settings.WORKER_HEARTBEAT_MAX_AGE - 5)
    _, body = get_health()
    assert body["checks"]["worker"]["status"] == "stale"
    assert body["checks"]["worker"]["ok"] is False


def test_a_required_worker_without_heartbeat_is_503(get_health, settings):
    settings.HEALTHZ_REQUIRE_WORKER = True
    response, body = get_health()
    assert response.status_code == 503
    assert body["checks"]["worker"]["required"] is True


def test_healthz_only_answers_get(client, db):
    assert client.post(reverse("healthz")).status_code == 405


def test_no_app_imports_the_project_package():
    """Apps sit below the project that installs them (/healthz reaches the broker through
    Celery's current app, not config.celery)."""
    import ast
    from pathlib import Path

    apps_dir = Path(__file__).resolve().parents[2] / "apps"
    offenders = []
    for path in apps_dir.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            if any(name == "config" or name.startswith("config.") for name in names):
                offenders.append(f"{path.relative_to(apps_dir)}:{node.lineno}")
    assert offenders == []


@pytest.mark.parametrize(
    "meta",
    [
        {"REMOTE_ADDR": "203.0.113.5"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"},
    ],
)
def test_a_remote_visitor_gets_the_status_only(client, db, meta):
    response = client.get(reverse("healthz"), **meta)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_remote_staff_and_this_machine_get_the_details(client, make_user):
    assert "checks" in client.get(reverse("healthz")).json()  # 127.0.0.1, no proxy header
    client.force_login(make_user(is_staff=True))

    body = client.get(reverse("healthz"), REMOTE_ADDR="203.0.113.5").json()

    assert body["checks"]["database"]["vendor"] == connection.vendor


def test_a_remote_member_who_is_not_staff_gets_the_status_only(researcher_client):
    body = researcher_client.get(reverse("healthz"), REMOTE_ADDR="203.0.113.5").json()
    assert body == {"status": "ok"}
