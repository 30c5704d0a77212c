from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.forms import form_submit
from apps.core.keyset import paginate
from apps.core.pagecache import cached_public_page
from apps.core.routes import Routes
from apps.core.throttles import address_throttle
from apps.records.feeds import feed_view
from apps.records.models import Author, Topic, Work
from apps.records.pages import WORKS_PAGE_SIZE, listing_keys
from apps.records.panels import attach_work_panels

from . import services, subscribers
from .digest import unsubscribe_user_id
from .feed import PERIODS, feed_works, trending
from .feeds import FollowingFeed, PersonalFeed
from .models import Audience, DigestFrequency, Follow
from .panels import follow_state
from .visibility import followers_for, following_for

route = Routes()  # this module's pages (apps.core.routes)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """POST/redirect/GET: back to the page the form was on (only ever a path on this site)."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return redirect(target if safe and target.startswith("/") else fallback)


class FollowForm(forms.Form):
    action = forms.ChoiceField(choices=[("follow", "Follow"), ("unfollow", "Unfollow")])


def _follow(request: HttpRequest, fallback: str, **target) -> HttpResponse:
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("action must be follow or unfollow")
    if form.cleaned_data["action"] == "follow":
        services.follow_create(follower=request.user, **target)
    else:
        services.follow_delete(follower=request.user, **target)
    if _is_htmx(request):
        state = {
            **follow_state(request, **target),
            "next": request.POST.get("next", ""),
            "oob": True,
        }
        return render(request, "follows/_follow_button.html", {"panel": state})
    return _back(request, fallback)


@route("follow/authors/<id:pk>/", name="author")
@route("follow/topics/<slug:slug>/", name="topic")
@login_required
@require_POST
def follow_toggle(request: HttpRequest, pk: int | None = None, slug: str = "") -> HttpResponse:
    """Follow or unfollow a record (by id) or a topic (by slug), then back to its page."""
    if pk is not None:
        author = get_object_or_404(Author, pk=pk)
        return _follow(request, reverse("records:author", args=[pk]), author=author)
    topic = get_object_or_404(Topic, slug=slug)
    return _follow(request, reverse("records:topic", args=[slug]), topic=topic)


@route("upvote/<id:pk>/", name="upvote")
@login_required
@require_POST
def upvote(request: HttpRequest, pk: int) -> HttpResponse:
    """Toggle the user's upvote on a work."""
    work = get_object_or_404(Work, pk=pk)
    upvoted, count = services.upvote_toggle(user=request.user, work=work)
    if _is_htmx(request):
        panel = {"work_id": pk, "count": count, "upvoted": upvoted, "signed_in": True}
        panel["next"] = request.POST.get("next", "")
        return render(request, "follows/_upvote.html", {"panel": panel})
    return _back(request, reverse("records:work", args=[pk]))


@route("feed/", name="feed")
@login_required
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """New works from the authors and topics the user follows, newest first."""
    works = feed_works(request.user).for_listing()
    page = paginate(works, listing_keys(), request.GET.get("cursor"), WORKS_PAGE_SIZE)
    attach_work_panels(request, page.items)
    following = Follow.objects.by(request.user).exists()
    return render(request, "follows/feed.html", {"page": page, "following": following})


# The personal feed for feed readers: the token in the URL stands in for signing in.
atom_feed = route("feed/atom/<token:token>/", name="atom")(feed_view(PersonalFeed, "atom_feed"))


@route("feed/token/reset/", name="feed_token_reset")
@login_required
@require_POST
def feed_token_reset(request: HttpRequest) -> HttpResponse:
    services.feed_token_reset(request.user)
    messages.success(request, "Your feed has a new address. The old one no longer works.")
    return redirect("follows:settings")


@route("trending/", name="trending")
@require_GET
@cached_public_page(lambda kw: [("works", 0)])
def trending_page(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period", "day")
    if period not in PERIODS:
        raise BadRequest("Trending covers a day or a week (period=day or period=week).")
    rising = trending(period)
    attach_work_panels(request, rising.works)
    return render(request, "follows/trending.html", {"trending": rising, "periods": list(PERIODS)})


class SettingsForm(forms.Form):
    follows_public = forms.BooleanField(
        label="Show the authors and topics I follow to others", required=False
    )
    followers_audience = forms.ChoiceField(  # left out: the current choice stays
        label="Who sees who follows the record I hold", choices=Audience.choices, required=False
    )
    badge_audience = forms.ChoiceField(  # left out: the current choice stays
        label="Who sees that my institutional email is verified",
        choices=Audience.choices,
        required=False,
    )
    digest = forms.ChoiceField(label="Email digest", choices=DigestFrequency.choices)


@route("follows/settings/", name="settings")
@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    current = services.follow_settings_for(request.user)
    initial = {"follows_public": current.follows_public, "digest": current.digest,
               "followers_audience": current.followers_audience,
               "badge_audience": current.badge_audience}  # fmt: skip
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.follow_settings_set(request.user, **form.cleaned_data)
        messages.success(request, "Settings saved.")
        return redirect("follows:settings")
    follows = Follow.objects.by(request.user).select_related("author", "topic").order_by("-id")
    token = services.feed_token_for(request.user).token
    context = {
        "form": form,
        "follows": follows[:200],
        "feed_url": reverse("follows:atom", args=[token]),
    }
    return render(request, "follows/settings.html", context)


@route("authors/<id:pk>/followers/", name="followers")
@require_GET
def followers_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Who follows a record: the count for everyone; the names as its holder allows, and of
    those only people who show whom they follow."""
    author = get_object_or_404(Author.objects.active(), pk=pk)
    followers = followers_for(author, request.user)
    context = {"author": author, "count": followers.count, "shown": followers.people,
               "allowed": followers.allowed, "held": followers.held}  # fmt: skip
    return render(request, "follows/followers.html", context)


# Before the page: its feed, only while the holder shows whom they follow.
following_feed = route("authors/<id:pk>/following/feed/", name="following_feed")(
    feed_view(FollowingFeed, "following_feed")
)


@route("authors/<id:pk>/following/", name="following")
@require_GET
def following_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Whom the holder of a record follows, if they show it (or to themself)."""
    author = get_object_or_404(Author.objects.active(), pk=pk)
    following = following_for(author, request.user)
    if following is None:
        raise Http404("Nobody holds this record.")
    context = {"author": author, "follows": following.follows, "shown": following.shown}
    return render(request, "follows/following.html", context)


@route("digest/unsubscribe/<token:token>/", name="unsubscribe")
@csrf_exempt  # the signed token is the credential; mail clients POST without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe from the digest, signed out: GET shows a one-button page (link
    scanners must not unsubscribe anyone), POST (the button, or a mail client's
    List-Unsubscribe-Post) turns the digest off."""
    from apps.accounts.models import User

    user_id = unsubscribe_user_id(token)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        return render(request, "follows/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.digest_unsubscribe(user)
        return render(request, "follows/unsubscribe.html", {"done": True})
    return render(request, "follows/unsubscribe.html", {"token": token})


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="Your email address", max_length=254)
    frequency = forms.ChoiceField(
        label="How often", choices=[("daily", "Daily"), ("weekly", "Weekly")], initial="weekly",
        widget=forms.RadioSelect,
    )  # fmt: skip


@route("digest/subscribe/", name="subscribe")
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """Trending papers by email without an account. The answer is the same whether or not the
    address was already subscribed."""
    if request.method == "POST":
        address_throttle(request, "digest_subscribe")
    initial = {"frequency": request.GET.get("frequency", "weekly")}
    form = SubscribeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form_submit(
        form, lambda data: subscribers.subscriber_add(**data)
    ):
        return redirect(reverse("follows:subscribe") + "?sent=1")
    context = {"form": form, "sent": request.GET.get("sent") == "1"}
    return render(request, "follows/subscribe.html", context)


@route("digest/confirm/<token:token>/", name="subscribe_confirm")
@require_http_methods(["GET", "POST"])
def subscribe_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button (mail scanners open links); POST confirms the address."""
    if request.method == "GET":
        return render(request, "follows/subscribe_confirm.html", {"token": token})
    subscriber = subscribers.subscriber_confirm(token)
    return render(request, "follows/subscribe_confirm.html", {"done": subscriber})


@route("digest/stop/<token:token>/", name="subscriber_unsubscribe")
@csrf_exempt  # the signed token is the credential; mail clients POST without a session
@require_http_methods(["GET", "POST"])
def subscriber_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe for an address without an account: GET shows one button, POST
    (the button, or a mail client's List-Unsubscribe-Post) deletes the address."""
    if not subscribers.unsubscribe_token_valid(token):
        return render(request, "follows/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        subscribers.subscriber_delete(token)
        return render(request, "follows/unsubscribe.html", {"done": True, "address_deleted": True})
    return render(request, "follows/unsubscribe.html", {"token": token})
