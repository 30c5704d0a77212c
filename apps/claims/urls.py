from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("claims/", views.my_claims, name="mine"),
    path("claims/find/", views.find_my_record, name="find"),
    path("claims/signed-in/", views.signed_in, name="signed_in"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/withdraw/", views.claim_withdraw_view, name="withdraw"),
    path("claims/<int:pk>/release/", views.claim_release_view, name="release"),
    path("authors/<int:pk>/claim/", views.claim_start, name="start"),
    path("authors/<int:pk>/claim/orcid/", views.claim_orcid_view, name="claim_orcid"),
    path("authors/<int:pk>/curate/", views.curate, name="curate"),
    path("authors/<int:pk>/history/", views.record_history, name="history"),
    path("disputes/<int:pk>/", views.dispute_detail, name="dispute"),
    path("merges/<int:pk>/", views.merge_detail, name="merge"),
    path("merges/<int:pk>/withdraw/", views.merge_withdraw_view, name="merge_withdraw"),
    path("authors/<int:pk>/verify/", views.verify_request, name="verify"),
    path("verify/confirm/<str:token>/", views.verify_confirm, name="verify_confirm"),
]
