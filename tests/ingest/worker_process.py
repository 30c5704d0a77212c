"""Real Celery worker processes for tests: `celery -A config worker` started as a subprocess
against the test database, Redis and the fake upstream, as production runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("openalex", "orcid", "crossref", "arxiv")
ON_POSTGRES_AND_REDIS = bool(
    os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL", "").startswith("postgres")
)
SKIP_REASON = "needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL), as CI has"


def wait_for(predicate, timeout: float, message: str, lines=()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(message + "\n" + "".join(list(lines)[-40:]))


def start_worker(upstream, *, pool: str = "prefork", concurrency: int = 2, env=None):
    """A worker process on the test database, pointed at `upstream`; its output is collected
    in `proc.lines`. Stop it with stop_worker."""
    db = connection.settings_dict
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "OPENALEX_API_URL": f"{upstream.url}/openalex",
        "ORCID_API_BASE_URL": f"{upstream.url}/orcid",
        "CROSSREF_API_URL": f"{upstream.url}/crossref",
        "ARXIV_API_URL": f"{upstream.url}/arxiv",
        "UPSTREAM_RATE_LIMITS": json.dumps({s: 100 for s in SOURCES}),
        "UPSTREAM_RETRY": json.dumps({"max_attempts": 3, "max_wait": 5, "backoff_base": 0.05}),
        **(env or {}),
    }
    proc = subprocess.Popen(  # noqa: S603  (our own worker)
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"itest-{uuid.uuid4().hex[:8]}@%h",
        ],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so a test can kill it whole
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    wait_for(lambda: any("ready." in line for line in lines), 30, "worker did not start", lines)
    proc.lines = lines
    return proc


def stop_worker(proc) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def kill_worker(proc) -> None:
    """SIGKILL the worker and every child: nothing acks, nothing cleans up."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
