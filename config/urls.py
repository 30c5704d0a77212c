from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.claims import api as claims_api
from apps.collaboration import api as collaboration_api
from apps.core import views as core_views
from apps.core.api import Router
from apps.follows import api as follows_api
from apps.moderation import api as moderation_api
from apps.notifications import api as notifications_api
from apps.records import api as records_api
from apps.records import views as records_views
from apps.trust import api as trust_api

router = Router()
router.register("authors", records_api.AuthorViewSet, basename="author")
router.register("works", records_api.WorkViewSet, basename="work")
router.register("topics", records_api.TopicViewSet, basename="topic")
router.register("institutions", records_api.InstitutionViewSet, basename="institution")
router.register("notifications", notifications_api.NotificationViewSet, basename="notification")
router.register("follows", follows_api.FollowViewSet, basename="follow")
router.register("feed", follows_api.FeedViewSet, basename="feed")
router.register("upvotes", follows_api.UpvoteViewSet, basename="upvote")
router.register("trending", follows_api.TrendingViewSet, basename="trending")
router.register("claims", claims_api.ClaimViewSet, basename="claim")
router.register("disputes", claims_api.DisputeViewSet, basename="dispute")
router.register("merges", claims_api.MergeRequestViewSet, basename="merge")
router.register("curation", claims_api.CurationViewSet, basename="curation")
router.register("invitations", collaboration_api.InvitationViewSet, basename="invitation")
router.register("conversations", collaboration_api.ConversationViewSet, basename="conversation")
router.register("messages", collaboration_api.MessageViewSet, basename="message")
router.register("blocks", collaboration_api.BlockViewSet, basename="block")
router.register(
    "collaboration-preferences", collaboration_api.PreferenceViewSet, basename="collab-preference"
)
router.register(
    "verification-requests", claims_api.VerificationRequestViewSet, basename="verification-request"
)
moderation_api.register(router)
api_v1 = [
    path("authors/<id:pk>/trust/", trust_api.author_trust, name="author-trust"),
    path("authors/<id:pk>/followers/", follows_api.author_followers, name="author-followers"),
    path("authors/<id:pk>/following/", follows_api.author_following, name="author-following"),
    path("authors/<id:pk>/badges/", claims_api.author_badges, name="author-badges"),
    *router.urls,
]

urlpatterns = [
    path("", records_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("apps.records.urls")),
    path("", include("apps.ingest.urls")),
    path("", include("apps.notifications.urls")),
    path("", include("apps.follows.urls")),
    path("", include("apps.claims.urls")),
    path("", include("apps.collaboration.urls")),
    path("moderation/", include("apps.moderation.urls")),
    path("", include("apps.moderation.public_urls")),
    path("", include("apps.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include((api_v1, "v1"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script (SECURE_CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

# What never reached a view: the site's pages, JSON under /api/.
handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.middleware.not_found"
handler500 = "apps.core.views.server_error"
