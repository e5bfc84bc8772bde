import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    F,
    When,
)
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from meetings.dates import DateError, Precision, format_partial, read_day
from meetings.models import (
    State,
)

YEARS = [(year, str(year)) for year in range(1990, 2101)]


def year_filter():
    """The years a meeting or summit starts in (each matches a record once: no DISTINCT)."""
    return django_filters.TypedMultipleChoiceFilter(
        choices=YEARS,
        coerce=int,
        field_name="start_date__year",
        label=_("Year"),
        distinct=False,
        error_messages={"invalid_choice": _("'%(value)s' is not a year from 1990 to 2100.")},
    )


def month_label(value):
    return format_partial(value, Precision.MONTH)


def month_label_of_value(value):
    """'June 2022' in the reader's language for the URL value '2022-06'."""
    year, month = value.split("-")
    return format_partial(datetime.date(int(year), int(month), 1), Precision.MONTH)


def month_value(value):
    return value.strftime("%Y-%m")


class MonthsField(forms.MultipleChoiceField):
    """Months written YYYY-MM from 1990-01 to 2100-12, checked by their shape, not a list."""

    pattern = r"(199\d|20\d\d|2100)-(0[1-9]|1[0-2])"
    default_error_messages = {
        "invalid_choice": _(
            "'%(value)s' is not a month: write it as YYYY-MM, from 1990-01 to 2100-12."
        )
    }

    def valid_value(self, value):
        return re.fullmatch(self.pattern, value) is not None


class MonthFilter(django_filters.MultipleChoiceFilter):
    field_class = MonthsField


class DayField(forms.DateField):
    """A day written YYYY-MM-DD; anything else is refused, quoting what was given."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return read_day(value)
        except DateError as error:
            # The message quotes the input, which may hold "%": it goes in as a parameter.
            raise ValidationError("%(error)s", code="invalid", params={"error": error}) from None


class DayFilter(django_filters.Filter):
    field_class = DayField


class DayRangeField(django_filters.fields.DateRangeField):
    """Two days, `_after` and `_before`, each written YYYY-MM-DD (either may be left out)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = (DayField(required=False), DayField(required=False))


class DayRangeFilter(django_filters.DateFromToRangeFilter):
    field_class = DayRangeField


NO_SUCH_CHOICE = {
    "kind": _("There is no kind '%(value)s': use one of {choices}."),
    "council": _("There is no council '%(value)s': use one of {choices}."),
    "format": _("There is no format '%(value)s': use one of {choices}."),
    "status": _("There is no status '%(value)s': use one of {choices}."),
}


def choice_error(what, choices):
    return format_lazy(NO_SUCH_CHOICE[what], choices=", ".join(choices.values))


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def published(relation, field="slug"):
    """`relation__field`, or NULL where the related record is a draft (so no facet offers it)."""
    return Case(When(**{f"{relation}__state": State.PUBLISHED}, then=F(f"{relation}__{field}")))
