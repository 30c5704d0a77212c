"""Production settings for the benchmark run, with two differences only:

- API throttling off: the base settings throttle anonymous clients to 120 requests/minute and
  read no environment variable to change that, so a benchmark would measure 429s.
- STATIC_ROOT under var/bench, so `collectstatic` for the run leaves the checkout alone.
"""

from config.settings.production import *  # noqa: F403
from config.settings.production import REST_FRAMEWORK, VAR_DIR

REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
STATIC_ROOT = VAR_DIR / "bench" / "staticfiles"
