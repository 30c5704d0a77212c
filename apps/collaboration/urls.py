from django.urls import path

from . import views

app_name = "collaboration"

urlpatterns = [
    path("collaboration/", views.inbox, name="inbox"),
    path("collaboration/preferences/", views.preferences, name="preferences"),
    path("collaboration/block/", views.block, name="block"),
    path("authors/<int:pk>/invite/", views.invite, name="invite"),
    path("invitations/<int:pk>/", views.invitation_detail, name="invitation"),
    path("invitations/<int:pk>/report/", views.invitation_report, name="invitation_report"),
    path("invitations/<int:pk>/<str:action>/", views.invitation_answer, name="invitation_answer"),
    path("conversations/<int:pk>/", views.conversation, name="conversation"),
    path("messages/<int:pk>/report/", views.message_report, name="message_report"),
]
