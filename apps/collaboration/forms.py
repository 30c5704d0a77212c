from __future__ import annotations

from django import forms
from django.db.models import Q

from apps.accounts.models import HANDLE_LENGTH
from apps.core.forms import ReasonField
from apps.moderation.models import Report
from apps.records.models import Authorship, Topic, Work

from .models import MESSAGE_MAX, PURPOSE_MAX, Invitation, Preference
from .services import EXPIRY_DAYS_DEFAULT, EXPIRY_DAYS_MAX

CHOICES_SHOWN = 50


class InviteForm(forms.Form):
    purpose = forms.ChoiceField(choices=Invitation.Purpose.choices, widget=forms.RadioSelect)
    topic = forms.ModelChoiceField(queryset=Topic.objects.none(), required=False)
    work = forms.ModelChoiceField(queryset=Work.objects.none(), required=False)
    note = forms.CharField(
        label="Message",
        max_length=PURPOSE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Plain text or Markdown, up to 1,000 characters.",
    )
    expires_in_days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=EXPIRY_DAYS_MAX,
        initial=EXPIRY_DAYS_DEFAULT,
    )

    def __init__(self, *args, mine, theirs, **kwargs):
        super().__init__(*args, **kwargs)
        both = [mine.pk, theirs.pk]
        self.fields["topic"].queryset = (
            Topic.objects.filter(author_counts__author_id__in=both).distinct().order_by("name")
        )
        works = Authorship.objects.visible().filter(author_id__in=both).values("work_id")
        self.fields["work"].queryset = Work.objects.filter(Q(pk__in=works)).order_by("-id")
        self.fields["work"].label_from_instance = lambda w: w.title


class DeclineForm(forms.Form):
    reason = ReasonField(
        label="Reason (optional, shown to the sender)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Message",
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain text or Markdown.",
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=Report.Reason.choices)
    note = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PreferenceForm(forms.Form):
    accept_from = forms.ChoiceField(
        label="Accept invitations from",
        choices=Preference.AcceptFrom.choices,
        widget=forms.RadioSelect,
    )


class BlockForm(forms.Form):
    # The person's public handle: an account id here would let anyone walk ids for names.
    person = forms.CharField(max_length=HANDLE_LENGTH, widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("block", "Block"), ("unblock", "Unblock")])
