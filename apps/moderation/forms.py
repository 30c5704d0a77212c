from __future__ import annotations

from django import forms


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        required=False, max_length=60, help_text='e.g. "claim." or "user.suspend"'
    )
    actor = forms.CharField(required=False, max_length=300, label="Actor email")
    author = forms.IntegerField(required=False, min_value=1, label="Record id")
    subject = forms.IntegerField(required=False, min_value=1, label="Affected user id")
    target = forms.CharField(required=False, max_length=60, label="Target type")
    cursor = forms.CharField(required=False, widget=forms.HiddenInput)

    def apply(self, qs):
        """Filter audit rows by what was given: an action prefix, actor, record, user."""
        data = self.cleaned_data
        if data["action"]:
            qs = qs.filter(action__startswith=data["action"])
        if data["actor"]:
            qs = qs.filter(actor_label__iexact=data["actor"].strip())
        if data["author"]:
            qs = qs.filter(author_id=data["author"])
        if data["subject"]:
            qs = qs.filter(subject_user_id=data["subject"])
        if data["target"]:
            qs = qs.filter(target_type=data["target"])
        return qs
