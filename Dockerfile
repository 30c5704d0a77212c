# Peerage, production image: one image for web (gunicorn), worker and beat (Celery).
#   docker build -t peerage .
# The compose file runs it; settings come from the environment (config/settings/production.py).

# --- build: install the project and its dependencies into a virtualenv -----------------------
FROM python:3.13-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

WORKDIR /src
# Every dependency ships a wheel (psycopg[binary] bundles libpq), so no compiler is needed.
# Dependencies first, from pyproject.toml alone (empty package folders stand in for the code),
# so that editing the code does not reinstall them.
COPY pyproject.toml README.md* ./
RUN mkdir config apps \
    && pip install --no-cache-dir . \
    && pip uninstall --yes peerage \
    && rmdir config apps
COPY config ./config
COPY apps ./apps
RUN pip install --no-cache-dir --no-deps .

# --- runtime -----------------------------------------------------------------------------
FROM python:3.13-slim

# Settings find templates and static files relative to the source tree (BASE_DIR), so the code
# runs from /app (PYTHONPATH) rather than from the copy pip put in site-packages.
# WEB_CONCURRENCY is gunicorn's worker count; override it per host (about 2 x cores + 1).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/opt/venv/bin:$PATH" \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    WEB_CONCURRENCY=3

RUN groupadd --system --gid 10001 peerage \
    && useradd --system --uid 10001 --gid peerage --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin peerage

COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY . .

# Static files are collected into the image (whitenoise serves them). Production settings have
# no defaults for these four, so this step alone gets throwaway values; nothing connects to them.
# Code and static files stay root-owned: the app user can read them, not change them.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

# Numeric, so orchestrators can verify the image does not run as root.
USER 10001:10001
EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", \
     "--worker-tmp-dir", "/dev/shm"]
