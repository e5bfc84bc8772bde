"""Names in the page's language: `{{ official|local_name }}`, `{{ meeting|local_place }}`,
`{{ other_name|in_its_language }}`.

A name is shown in the page's language where one is known (meetings.languages), else in
English; a name in another language than the page's says which with `lang`, so that screen
readers and fonts treat it right. The records' names must be prefetched (no query here).
"""

from django import template
from django.utils.html import format_html

from meetings import languages

register = template.Library()


def marked(text, code):
    """`text`, in a span with its `lang` when that is not the page's language."""
    if not text or code == languages.current():
        return text
    return format_html('<span lang="{}">{}</span>', languages.HTML_LANG.get(code, code), text)


@register.filter
def local_name(record):
    """An official's, a country's or a place's name in the page's language, else English."""
    if record is None:
        return ""
    language = languages.current()
    name = record.name_in(language)
    return marked(name, language) if name else marked(record.name, "en")


@register.filter
def local_place(event):
    """A meeting's or summit's place as it was named then, in the page's language:
    'Нур-Султан (ныне Астана)' (see Place.name_then_and_now_in)."""
    if not event.place_id:
        return ""
    return marked(*event.place.name_then_and_now_in(languages.current(), event.start_date))


@register.filter
def in_its_language(other):
    """An OfficialName or PlaceName marked with its language where it is one of the site's."""
    code = languages.language_code(other.language)
    return marked(other.name, code) if code else other.name


@register.filter
def local_text(record):
    """local_name() as plain text, for where no markup goes (the page's <title>)."""
    if record is None:
        return ""
    return record.name_in(languages.current()) or record.name
