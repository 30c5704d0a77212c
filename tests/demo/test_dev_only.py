"""The demo app is for development: local and test settings install it, production settings do
not (there `seed_demo` is an unknown command), config/settings/demo.py adds it to the
production shape on purpose, and no product app imports it."""

import ast
import os
import subprocess
import sys
from importlib.util import resolve_name
from pathlib import Path

import pytest
from django.conf import settings

from tests.core.test_settings import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]
# Enough for production settings to load; nothing here connects to these stores.
PRODUCTION_VARIABLES = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SETTINGS_MODULE"}
PRINT_APPS = "from django.conf import settings; print(settings.INSTALLED_APPS)"


def _manage(settings_module: str, *args: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update(PRODUCTION_VARIABLES, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(  # noqa: S603  (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_test_settings_install_the_demo_app():
    assert "apps.demo" in settings.INSTALLED_APPS


@pytest.mark.slow_subprocess
def test_production_settings_leave_the_demo_out():
    apps = _manage("config.settings.production", "shell", "-c", PRINT_APPS)
    assert apps.returncode == 0, apps.stderr
    assert "apps.records" in apps.stdout and "apps.demo" not in apps.stdout
    seeded = _manage("config.settings.production", "seed_demo")
    assert seeded.returncode != 0
    assert "Unknown command: 'seed_demo'" in seeded.stderr


@pytest.mark.slow_subprocess
def test_demo_settings_add_the_demo_to_the_production_shape():
    found = _manage("config.settings.demo", "seed_demo", "--help")
    assert found.returncode == 0, found.stderr
    assert "Load the synthetic demo community" in found.stdout


def _imports(path: Path) -> set[str]:
    """The modules a file imports, relative imports resolved (`from ..demo import x`)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            module = resolve_name("." * node.level + (node.module or ""), package)
            names |= {module, *(f"{module}.{alias.name}" for alias in node.names)}
    return names


def test_no_product_app_imports_the_demo():
    """The demo sits on top of every app; an import the other way would drag development data
    into production code."""
    product = [p for p in (ROOT / "apps").rglob("*.py") if "demo" not in p.relative_to(ROOT).parts]
    assert len(product) > 100
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in _imports(path) if n.startswith("apps.demo"))
        for path in product
    }
    assert {path: names for path, names in offenders.items() if names} == {}
