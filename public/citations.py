"""A record's citation as text and as the files reference managers read: BibTeX, RIS, CSL-JSON.

Every format says the same: the record's title, "SCO Tracker" as its publisher, its permanent
address, the day it last changed (issued) and the day it was read (accessed).
"""

import json
import re

from django.utils import timezone
from django.utils.translation import gettext

from meetings.dates import format_partial

SITE = "SCO Tracker"


def one_line(text):
    """`text` with every run of white space (line breaks too) made one space."""
    return re.sub(r"\s+", " ", str(text)).strip()


def describe(record, title, permalink, today):
    """What a citation of `record` says, read once for every format (no query)."""
    changed = timezone.localtime(record.updated_at).date() if record.updated_at else today
    return {
        "key": f"sco-tracker-{record._meta.model_name}-{record.slug}",
        "title": one_line(title),
        "url": permalink,
        "issued": changed,
        "accessed": today,
    }


def text(item):
    """The citation as a line of the page, in the page's language."""
    accessed = format_partial(item["accessed"])
    return f"“{item['title']}”. {SITE}. {item['url']} ({gettext('accessed')} {accessed})."


BIBTEX_SPECIAL = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)


def bibtex(item):
    """A BibTeX @misc entry; the title's special characters escaped, so its braces balance."""
    issued = item["issued"]
    fields = [
        ("title", "{" + item["title"].translate(BIBTEX_SPECIAL) + "}"),
        ("author", "{" + SITE + "}"),
        ("publisher", SITE),
        ("year", str(issued.year)),
        ("month", f"{issued:%b}".lower()),
        ("url", item["url"]),
        ("urldate", item["accessed"].isoformat()),
        ("note", f"Accessed {item['accessed'].isoformat()}"),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{item['key']},\n{body}\n}}\n"


def ris(item):
    """An RIS record (type ELEC): a tag, two spaces, a hyphen, a space and the value a line."""
    lines = [
        ("TY", "ELEC"),
        ("TI", item["title"]),
        ("AU", SITE),
        ("PB", SITE),
        ("UR", item["url"]),
        ("DA", f"{item['issued']:%Y/%m/%d}"),
        ("PY", str(item["issued"].year)),
        ("Y2", f"{item['accessed']:%Y/%m/%d}"),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def date_parts(day):
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_json(item):
    """A CSL-JSON list of one item of type "webpage"."""
    entry = {
        "id": item["key"],
        "type": "webpage",
        "title": item["title"],
        "author": [{"literal": SITE}],
        "container-title": SITE,
        "publisher": SITE,
        "URL": item["url"],
        "issued": date_parts(item["issued"]),
        "accessed": date_parts(item["accessed"]),
    }
    return json.dumps([entry], ensure_ascii=False, indent=2) + "\n"


FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", ris),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", csl_json),
}
