"""Reading the text conventions of the bundled CSV files (see data/README.md)."""

import re
import unicodedata
from urllib.parse import urlsplit

from django.utils.text import slugify

from meetings.dates import Precision, parse_partial


def addresses(text):
    """'https://a | https://b' -> ['https://a', 'https://b']."""
    return [part.strip() for part in text.split(" | ") if part.strip()]


def host(url):
    """The site's name, as a publisher of last resort: 'tass.com' for 'http://www.tass.com/…'."""
    return urlsplit(url).netloc.removeprefix("www.").rstrip(".")


def split_outside_brackets(text, separator=";"):
    """Split on `separator`, except inside brackets: 'a (b; c); d' -> ['a (b; c)', 'd']."""
    items, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == separator and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [item.strip() for item in items if item.strip()]


def bracketed(text):
    """'Almaty (then Alma-Ata)' -> ('Almaty', 'then Alma-Ata'); no brackets -> (text, '')."""
    match = re.fullmatch(
        r"(?P<main>.*?)\s*\((?P<inside>[^()]*(?:\([^()]*\)[^()]*)*)\)", text.strip()
    )
    if match:
        return match["main"], match["inside"].strip()
    return text.strip(), ""


def is_latin(char):
    return not char.isalpha() or unicodedata.name(char, "").startswith(("LATIN", "MODIFIER"))


def first_non_latin(text):
    """Index of the first letter not in the Latin script, or None."""
    return next((index for index, char in enumerate(text) if not is_latin(char)), None)


def sentence(text):
    """'as printed in SCO texts' -> 'As printed in SCO texts.'"""
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def capitalise(text):
    return text[:1].upper() + text[1:]


def unique_sentences(text):
    """Drop a sentence that repeats an earlier one word for word."""
    seen, kept = set(), []
    for part in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip()):
        if part not in seen:
            seen.add(part)
            kept.append(part)
    return " ".join(kept)


def paragraphs(*texts):
    return "\n\n".join(text.strip() for text in texts if text and text.strip())


def qualified_language(qualifier, language):
    """'traditional' after 'Chinese (simplified)' -> 'Chinese (traditional)'."""
    if qualifier[:1].islower():
        return f"{language.split(' ')[0]} ({qualifier})"
    return qualifier


def language_and_forms(text):
    """Split a language column that also gives the name in other scripts.

    'English; Tajik Сталинобод; Russian Сталинабад'
        -> ('English', [('Tajik', 'Сталинобод'), ('Russian', 'Сталинабад')])
    'English/Russian Верный' -> ('English/Russian', [('Russian', 'Верный')])
    """
    parts = [part.strip() for part in text.split(";") if part.strip()]
    language, forms = "", []
    for number, part in enumerate(parts):
        index = first_non_latin(part)
        label = part if index is None else part[:index].strip()
        if number == 0:
            language = label
        if index is not None:
            label = label.removeprefix("English/").removeprefix("English") or label
            forms.append((qualified_language(label, language), part[index:].strip()))
    return language, forms


def slug_with_year(title, year=None, *, length=115):
    """'Bishkek Declaration', 2007 -> 'bishkek-declaration-2007'.

    The year tells apart documents of the same name; a title that already has a year (a period,
    a date) keeps its own.
    """
    slug = slugify(title)
    if len(slug) > length:
        slug = slug[:length].rsplit("-", 1)[0]
    if year and not re.search(r"(^|-)\d{4}(-|$)", slug):
        slug = f"{slug}-{year}"
    return slug


def period(text):
    """A period column as (start, start precision, end, end precision); empty parts are None.

    '2015-2025' -> years; '2019-07-08 to 2019-07-12' -> days; 'until 2035 (…)' -> an end only;
    'open-ended' or '' -> no period.
    """
    text = text.strip()
    none = (None, Precision.YEAR)
    if not text or text == "open-ended":
        return (*none, *none)
    match = re.fullmatch(r"(\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)|(\d{4})-(\d{4})", text)
    if match:
        start, end = match[1] or match[3], match[2] or match[4]
        return (*parse_partial(start), *parse_partial(end, end=True))
    match = re.match(r"(?:to|until) (\d{4})\b", text)
    if match:
        return (*none, *parse_partial(match[1], end=True))
    raise ValueError(f"Cannot read the period {text!r}.")


def day_in_address(day, url):
    """Whether the address carries `day` as a date, as news sites write it in their paths."""
    y, m, d = f"{day.year:04}", f"{day.month:02}", f"{day.day:02}"
    return any(
        form in url for form in (f"{y}{m}{d}", f"{y}/{m}/{d}", f"{y}-{m}/{d}", f"{y}/{m}{d}")
    )
