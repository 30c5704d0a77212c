"""Production settings: no defaults for secrets, and `check --deploy` clean when the documented
variables are set. Each runs manage.py in a fresh process, as a deploy would."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7Qm2vL9pR4sT8wZ1cF6hJ3kN5bD0gY-production-check-only",
    "ALLOWED_HOSTS": "peerage.example.org",
    "DATABASE_URL": "postgres://peerage:peerage@127.0.0.1:5432/peerage",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


# Set by the browser tests for their own process; a deploy never has it.
NOT_INHERITED = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return subprocess.run(  # noqa: S603  (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow_subprocess
def test_check_deploy_is_clean_with_the_documented_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow_subprocess
@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_every_environment_variable_is_documented():
    """Each variable the settings read appears in the README's table and in .env.example."""
    import re

    root = ROOT
    source = "".join(p.read_text() for p in (root / "config" / "settings").glob("*.py"))
    names = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", source))
    readme = (root / "README.md").read_text()
    example = (root / ".env.example").read_text()
    assert len(names) > 20
    # REFRESH_BUDGET_* are documented together in one README row.
    undocumented = {
        n
        for n in names
        if n not in readme
        and not (n.startswith("REFRESH_BUDGET_") and "REFRESH_BUDGET_OPENALEX" in readme)
    }
    assert undocumented == set(), "missing from README.md"
    assert {n for n in names if n not in example} == set(), "missing from .env.example"
