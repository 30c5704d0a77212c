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


class DomainError(Exception):
    """A request the rules refuse. `field` names the input at fault, when one is."""

    status = 400
    code = "invalid"

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


class Refused(DomainError):
    """The request breaks a rule as made (bad input, a limit, a precondition): 400."""

    code = "refused"


class NotAllowed(DomainError):
    """This person may not do this at all: 403."""

    status = 403
    code = "not_allowed"


class NotFound(DomainError):
    """Nothing this person may see goes by that name: 404."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The thing is no longer (or already) in the state the request needs: someone decided it
    first, or it exists already. Reloading shows why: 409."""

    status = 409
    code = "conflict"


class RateLimited(DomainError):
    """Too many of these too quickly: 429, with Retry-After in seconds when known."""

    status = 429
    code = "rate_limited"


class UpstreamUnavailable(DomainError):
    """A source we depend on is not answering; trying later may work: 503 with Retry-After."""

    status = 503
    code = "upstream_unavailable"
