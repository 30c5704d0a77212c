"""The pages of misattribution reports that anyone signed in uses (not the workspace)."""

from . import attribution_views

app_name = "reports"

urlpatterns = attribution_views.route.patterns
