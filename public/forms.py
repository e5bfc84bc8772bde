from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

MAX_QUERY = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY,
        error_messages={
            "max_length": format_lazy(
                _("Search text is limited to {count} characters."), count=MAX_QUERY
            )
        },
    )
    order = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("relevance", _("Relevance")), ("date", _("Date, newest first"))],
        error_messages={
            "invalid_choice": _("There is no order '%(value)s': use relevance or date."),
        },
    )
