"""Names in the page's language: `{{ official|local_name }}`, `{{ meeting|local_place }}`,
`{{ other_name|in_its_language }}`; and text as written, `<h1{{ meeting.title|lang_attr }}>`.

A name is shown in the page's language where one is known (meetings.languages), else in
English; a name in another language than the page's says which with `lang`, so that screen
readers and fonts treat it right. The records' names must be prefetched (no query here).
"""

import regex
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


# The language a text as written is taken to be in, by the script most of its letters are in.
SCRIPTS = {"Latin": "en", "Cyrillic": "ru", "Han": "zh"}
LETTER = regex.compile(r"\p{Latin}|\p{Cyrillic}|\p{Han}")


def script_language(text):
    """'en' for Latin letters, 'ru' for Cyrillic, 'zh' for Chinese characters, by the most
    letters; '' for text without any of them."""
    counts = {}
    for letter in LETTER.findall(str(text or "")[:2000]):
        script = next(s for s in SCRIPTS if regex.match(rf"\p{{{s}}}", letter))
        counts[script] = counts.get(script, 0) + 1
    return SCRIPTS[max(counts, key=counts.get)] if counts else ""


@register.filter
def lang_attr(text):
    """` lang="en"` for the element holding `text`, free text as an editor or a source wrote it,
    when it is in another language than the page's: `<h1{{ meeting.title|lang_attr }}>`."""
    code = script_language(text)
    page = languages.current()
    if not code or code == page or (code == "zh" and page == "zh-hans"):
        return ""
    return format_html(' lang="{}"', code)
