"""Forms that call a service: a refusal is shown on the form, with what the person typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from .errors import DomainError, NotAllowed, NotFound, RateLimited


def form_submit(form: forms.Form, call: Callable[[dict], Any]) -> bool:
    """Validate `form`, then run `call(form.cleaned_data)` (one service) and keep what it
    returns in `form.result`. True when the service did its work; False when the page should
    show the form again: it did not validate, or the service refused (the message goes on
    the field it names, else on the whole form). Not allowed, not found and too many requests
    are not the form's business: they go on to DomainErrorMiddleware (a 403/404/429 page,
    the last with Retry-After)."""
    if not form.is_valid():
        return False
    try:
        form.result = call(form.cleaned_data)
    except (NotAllowed, NotFound, RateLimited):
        raise
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return False
    return True


def form_error_text(form: forms.Form) -> str:
    """All of a bound form's errors as one sentence, for a page that shows one message."""
    return " ".join(message for messages in form.errors.values() for message in messages)


class ReasonField(forms.CharField):
    """A reason on a form. No length limit here (a browser's maxlength cuts a paste without
    a word): the service's reason_clean refuses a too-long reason, and form_submit shows its
    message on this field."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)
