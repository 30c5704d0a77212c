"""Where tests find upstream bodies, in one place.

- `FIXTURES`: the project's own fixtures under tests/fixtures, always present.
- `SAMPLES`: the genuine upstream responses in ../shared/samples, beside the clone and not part of
  it. A test that reads them calls `shared_sample()` (or uses `needs_samples`), which skips with a
  reason naming the missing path. When `PEERAGE_REQUIRE_SAMPLES=1` (as .ci/run sets it), the
  session refuses to start without them instead (see conftest.pytest_sessionstart), so CI never
  passes by skipping them.
"""

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT.parent / "shared" / "samples"

needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"reads the upstream samples, not present at {SAMPLES}"
)


def samples_required() -> bool:
    return os.environ.get("PEERAGE_REQUIRE_SAMPLES") == "1"


def fixture_path(*parts: str) -> Path:
    return FIXTURES.joinpath(*parts)


def fixture_json(*parts: str):
    return json.loads(fixture_path(*parts).read_text(encoding="utf-8"))


def shared_sample(*parts: str) -> Path:
    """The path of a file or folder under ../shared/samples; skips the test when it is absent."""
    path = SAMPLES.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reads the upstream sample {path}, which is not present")
    return path


def postgres_only(why: str):
    """For a test of something only PostgreSQL has (say which): it runs in CI's PostgreSQL pass
    and skips on the embedded default (SQLite) with that reason."""
    return pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason=f"needs PostgreSQL: {why}",
    )


def redis_only(why: str):
    """For a test of something only the Redis broker or cache does (say which)."""
    return pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason=f"needs Redis: {why}")
