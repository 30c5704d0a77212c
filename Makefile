# Peerage. `make run` and `make test` work on a fresh clone with Python 3.11+ and make.
.DEFAULT_GOAL := help
SHELL := /bin/bash

# The newest Python 3.11+ that runs: 3.12+ gets Django 6, 3.11 gets Django 5.2 LTS. pyenv
# installs count too (their shims exist on PATH without working for every version).
PYTHON ?= $(shell for p in python3.13 python3.12 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help install run worker test test-e2e lint format migrations migrations-check check-deploy bench loadtest clean

help:
	@echo "make run               install, migrate, load the demo community, serve web + background jobs"
	@echo "make test              run the test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)"
	@echo "make lint              ruff check + ruff format --check + the import layers (lint-imports)"
	@echo "make migrations-check  fail if models and migrations disagree"
	@echo "make bench             build the bench database and measure it (minutes; docs/benchmarks.md)"
	@echo "make loadtest          Locust against gunicorn on the bench database, page cache off and on"

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11+ is required (none found on PATH)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "Peerage is starting at http://127.0.0.1:8000/  (Ctrl-C stops web and worker)"
	@echo
	$(BIN)/honcho --procfile Procfile.dev start

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

test-e2e: install
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations: install
	$(BIN)/python manage.py makemigrations

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	ALLOWED_HOSTS=peerage.example.org DATABASE_URL=postgres://peerage@127.0.0.1/peerage \
	REDIS_URL=redis://127.0.0.1:6379/0 $(BIN)/python manage.py check --deploy --fail-level WARNING

# 1M works / 300k authors in PostgreSQL (BENCH_DATABASE_URL, default peerage_bench), measured over
# HTTP against gunicorn, then the snapshot loader on BENCH_SNAPSHOT_WORKS OpenAlex-shaped works
# (SNAPBENCH_DATABASE_URL, default peerage_snapbench); results in docs/benchmarks.md. Takes
# several minutes; BENCH_REGENERATE=0 keeps a complete bench database. Then bench.pacing: a mixed
# OpenAlex + arXiv refresh run on two workers against the fake upstream (each source's use of its
# rate limit). Not part of `make test` or CI.
BENCH_SNAPSHOT_WORKS ?= 200000
bench: install
	$(BIN)/python -m bench.generate $(if $(filter 0,$(BENCH_REGENERATE)),--skip-if-present)
	$(BIN)/python -m bench.measure
	$(BIN)/python -m bench.explain
	$(BIN)/python -m bench.charts
	$(BIN)/python -m bench.snapshot --works $(BENCH_SNAPSHOT_WORKS)
	$(BIN)/python -m bench.pacing

# Locust against gunicorn on the bench database (loopback only, LOADTEST_SECONDS per row): home,
# the 500-work author page, name and work search, the API author, a signed-in mix, each at 1, 8,
# 32 and 64 users, page cache off then on. Needs `make bench` (or bench.generate) first; results
# in docs/benchmarks.md. Not part of `make test` or CI.
LOADTEST_SECONDS ?= 10
loadtest: install
	$(BIN)/python -m pip install --quiet -e '.[load]'
	$(BIN)/python -m bench.loadtest --seconds $(LOADTEST_SECONDS)

clean:
	rm -rf $(VENV) var staticfiles
