"""The domain errors every service raises when it refuses a request, and the one place that
says what each means over HTTP.

Services raise these and never think about HTTP; views and API modules never catch them.
Two handlers map them, from the class alone:

- the API: `apps.core.api.exception_handler` (DRF's EXCEPTION_HANDLER) answers
  {"detail", "code", "field"} with the class's status (and Retry-After when known);
- pages: `apps.core.middleware.DomainErrorMiddleware` turns a refusal of a posted action into
  a message on the page it came from, and anything else into an error page with the status;
  `apps.core.forms.form_submit` puts a refusal on the form that caused it.

The message is shown to the person as it is: write it for them, and never put another
user's email address in it.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError


def error_body(detail: str, code: str, field: str | None = None) -> dict:
    """The JSON body of every API error, from a view, DRF or a handler: {"detail", "code",
    "field"} (field is null when no one input is at fault)."""
    return {"detail": detail, "code": code, "field": field}


class DomainError(Exception):
    """A request the rules refuse. `field` names the input at fault, when one is; a subclass
    names its HTTP status and its stable `code` in its class line."""

    status = 400
    code = "invalid"

    def __init_subclass__(cls, *, status: int = 400, code: str = "invalid", **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.status, cls.code = status, code

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code or type(self).code
        self.retry_after = retry_after

    def body(self) -> dict:
        """What the API answers with for this refusal (`error_body`)."""
        return error_body(self.message, self.code, self.field)


class Refused(DomainError, status=400, code="refused"):
    """The request breaks a rule as made (bad input, a limit, a precondition)."""


class NotAllowed(DomainError, status=403, code="not_allowed"):
    """This person may not do this at all."""


class NotFound(DomainError, status=404, code="not_found"):
    """Nothing this person may see goes by that name."""


class Conflict(DomainError, status=409, code="conflict"):
    """The thing is no longer (or already) in the state the request needs: someone decided it
    first, or it exists already. Reloading shows why."""


class RateLimited(DomainError, status=429, code="rate_limited"):
    """Too many of these too quickly (Retry-After, in seconds, when known)."""


class TooLarge(DomainError, status=413, code="too_large"):
    """The request's body is larger than the site accepts."""


class UpstreamUnavailable(DomainError, status=503, code="upstream_unavailable"):
    """A source we depend on is not answering; trying later may work (with Retry-After)."""


# A shared service not answering: Redis (the cache's counters and locks) or the broker.
SERVICE_ERRORS = (RedisError, BrokerError)


def as_domain_error(exc: Exception) -> DomainError | None:
    """The refusal a person sees for an error raised below the services (both handlers call
    this), else None: a shared service not answering (nothing the request wrote in its
    transaction was kept), or a body over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    if isinstance(exc, SERVICE_ERRORS):
        return UpstreamUnavailable(
            "This needs a part of the site that is not answering right now. Try again in a minute.",
            retry_after=60,
        )
    if isinstance(exc, RequestDataTooBig):
        return TooLarge("This request is too large for the site to accept.")
    return None
