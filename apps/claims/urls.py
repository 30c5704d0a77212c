from . import views

app_name = "claims"
urlpatterns = views.route.patterns  # each view declares its own route (apps.core.routes)
