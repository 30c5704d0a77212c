from . import views

app_name = "follows"
urlpatterns = views.route.patterns  # each view declares its own route (apps.core.routes)
