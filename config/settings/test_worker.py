"""The test settings for a real worker process that a test starts and that must queue tasks
through the broker as production does (a refresh continuing at a source's turn): nothing runs
eagerly. tests/ingest/test_pacing.py uses it."""

from .test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
