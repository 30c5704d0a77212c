from . import views

app_name = "collaboration"
urlpatterns = views.route.patterns  # each view declares its own route (apps.core.routes)
