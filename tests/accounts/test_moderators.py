"""Who is a moderator: one answer (apps.accounts.moderators) that services, the workspace and
notifications all ask."""

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.accounts.moderators import is_moderator, moderators, require_moderator
from apps.core.errors import NotAllowed

pytestmark = pytest.mark.django_db


def test_only_active_members_of_the_group_moderate(moderator, researcher, make_user):
    assert is_moderator(moderator)
    assert not is_moderator(researcher)
    assert not is_moderator(AnonymousUser()) and not is_moderator(None)
    assert list(moderators()) == [moderator]
    moderator.is_active = False  # a suspended moderator moderates nothing
    moderator.save(update_fields=["is_active"])
    assert not is_moderator(moderator) and list(moderators()) == []


def test_require_moderator_refuses_everyone_else_with_a_403(moderator, researcher):
    require_moderator(moderator)
    for someone in (researcher, AnonymousUser(), None):
        with pytest.raises(NotAllowed, match="Only moderators") as refused:
            require_moderator(someone)
        assert refused.value.status == 403
    with pytest.raises(NotAllowed, match="the workspace"):
        require_moderator(researcher, "Only moderators open the workspace.")
