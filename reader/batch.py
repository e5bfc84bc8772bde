"""Several news items at once: pasted with a line of `---` between them, or a CSV of address,
date, text. Each becomes an `Item` to read; nothing here reads the database or saves anything.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reader.article import MAX_CHARS

MAX_ITEMS = 50
SEPARATOR = re.compile(r"^\s*-{3,}\s*$", re.M)
URL_LINE = re.compile(r"\s*(https?://\S+)\s*\n")


@dataclass
class Item:
    text: str
    url: str = ""
    published: datetime.date | None = None


def split_pasted(text):
    """Items separated by a line of three or more hyphens; a first line that is an address is
    taken as the item's address."""
    items = []
    for block in SEPARATOR.split(text):
        if not block.strip():
            continue
        url = ""
        if match := URL_LINE.match(block):
            url, block = match.group(1), block[match.end() :]
        items.append(Item(block.strip(), url))
    return checked(items)


def read_csv(data):
    """Items from the bytes of a CSV file with the columns address, date (YYYY-MM-DD) and text."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not text in UTF-8: save it as a UTF-8 CSV.")) from None
    if "\x00" in content:
        raise ValidationError(_("The file holds binary bytes, not CSV text."))
    rows = list(csv.DictReader(io.StringIO(content)))
    if not rows or "text" not in rows[0]:
        raise ValidationError(_("The CSV needs a header row with the columns address, date, text."))
    items = []
    for number, row in enumerate(rows, start=2):
        value = (row.get("date") or "").strip()
        try:
            published = datetime.date.fromisoformat(value) if value else None
        except ValueError:
            raise ValidationError(
                _("Line %(line)s: “%(date)s” is not a date (YYYY-MM-DD).")
                % {"line": number, "date": value}
            ) from None
        text = (row.get("text") or "").strip()
        if text:
            items.append(Item(text, (row.get("address") or "").strip(), published))
    return checked(items)


def checked(items):
    if not items:
        raise ValidationError(_("No item to read: paste the items or choose a CSV file."))
    if len(items) > MAX_ITEMS:
        raise ValidationError(
            _("%(count)s items: the reader takes at most %(max)s at once.")
            % {"count": len(items), "max": MAX_ITEMS}
        )
    for number, item in enumerate(items, start=1):
        if len(item.text) > MAX_CHARS:
            raise ValidationError(
                _(
                    "Item %(number)s is %(length)s characters long; "
                    "the reader takes at most %(max)s."
                )
                % {"number": number, "length": f"{len(item.text):,}", "max": f"{MAX_CHARS:,}"}
            )
    return items
