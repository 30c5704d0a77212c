"""Where the benchmark database lives and how Django processes are pointed at it."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "var" / "bench"
PYTHON = str(Path(sys.executable))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/peerage_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
TARGET_NAME = "Bench Target Author"
TARGET_WORKS = 500


def admin_url(url: str = DATABASE_URL) -> str:
    """The same server's `postgres` database, for DROP/CREATE DATABASE."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def database_name(url: str = DATABASE_URL) -> str:
    return urlsplit(url).path.lstrip("/")


def django_env(**extra: str) -> dict[str, str]:
    """Environment for manage.py and gunicorn: production settings (bench/settings.py only
    switches API throttling off and moves STATIC_ROOT) against the bench database."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        SECRET_KEY="bench-only-secret-key-not-used-anywhere-else-0123456789abcdef",  # noqa: S106
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


class Timer:
    """Named wall-clock steps, printed as they finish and kept for the report."""

    def __init__(self) -> None:
        self.steps: dict[str, float] = {}

    @contextmanager
    def step(self, name: str):
        started = time.perf_counter()
        print(f"[bench] {name} ...", flush=True)
        yield
        self.steps[name] = round(time.perf_counter() - started, 1)
        print(f"[bench] {name}: {self.steps[name]:.1f} s", flush=True)
