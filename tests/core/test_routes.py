"""Pages declare their routes beside their views (apps.core.routes)."""

from importlib import import_module

import pytest
from django.urls import resolve

APPS = ["accounts", "claims", "collaboration", "follows", "moderation", "notifications", "records"]


@pytest.mark.parametrize("app", APPS)
def test_each_route_serves_the_view_as_the_module_defines_it(app):
    """@route is the outermost decorator: the pattern serves the view with its login and
    method checks, not the bare function under them."""
    views = import_module(f"apps.{app}.views")
    assert views.route.patterns
    for pattern in views.route.patterns:
        assert getattr(views, pattern.callback.__name__) is pattern.callback, pattern


def test_a_route_that_would_swallow_another_comes_after_it():
    from apps.collaboration import views

    assert resolve("/invitations/7/report/").func is views.invitation_report
    assert resolve("/invitations/7/accept/").func is views.invitation_answer
    assert resolve("/invitations/7/accept/").kwargs == {"pk": 7, "action": "accept"}
