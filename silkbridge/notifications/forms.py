from django import forms
from django.utils.translation import gettext_lazy as _

from silkbridge.notifications.choices import NotificationKind


class NotificationSettingsForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Also send me an e-mail about"),
        help_text=_("Every notification appears here in any case; untick a kind to get it without an e-mail."),
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    weekly_digest = forms.BooleanField(
        label=_("Send me a weekly e-mail of new matches"),
        help_text=_("Off unless you tick it. Each digest has a link to stop it."),
        required=False,
    )
