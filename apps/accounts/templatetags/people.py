from django import template

from apps.accounts.identity import public_identity

register = template.Library()


@register.filter
def person(user):
    """`{{ claim.user|person }}`: the name others see (apps.accounts.identity)."""
    return public_identity(user) or ""
