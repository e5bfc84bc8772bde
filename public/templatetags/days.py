"""Days in the page's language: `{{ meeting.start_date|day }}` is "4 June 2022", "4 июня 2022 г."
or "2022年6月4日" (Django's `date:"j F Y"` gives "4 Июнь 2022" and "4 六月 2022").

`|day:"full"` adds the weekday; any other argument is a CLDR skeleton, such as "MMMMd" (4 June)
or "yMMMM" (June 2022).
"""

from babel.dates import format_date, format_skeleton
from django import template

from meetings.dates import babel_locale, format_partial

register = template.Library()


@register.filter
def day(value, form=None):
    if not value or form is None:
        return format_partial(value)
    if form == "full":
        return format_date(value, "full", locale=babel_locale())
    return format_skeleton(form, value, locale=babel_locale())
