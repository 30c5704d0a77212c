from . import views

app_name = "notifications"
urlpatterns = views.route.patterns  # each view declares its own route (apps.core.routes)
