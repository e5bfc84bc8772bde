"""Read a press release into a draft meeting, from the database's own names and simple rules.

`load_lexicon()` gives what the database knows (officials and their other spellings, posts and
their holders, places under every name, summits, initiatives, topics), built in a fixed number of
queries and kept until the records change (reader.lexicon); `read_article(text, lexicon, url)` is
a pure function of the text and that lexicon. It
returns a `Reading`: the dateline (place, date, agency), the participants with their capacity,
the summit, initiatives and topics it recognised, the names it did not know, and plain sentences
saying what it read and what it could not read. Nothing is saved here.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.translation import gettext_noop

from meetings.dates import format_partial
from meetings.models import (
    Country,
    Place,
    Summit,
)
from meetings.numbers import number
from reader.dates import (
    date_from_text,
    first_day_of_the_meeting,
    lead_sentences,
    meeting_date,
    read_dateline,
)
from reader.initiatives import read_initiatives
from reader.kinds import read_kind
from reader.notes import THE_DATELINE, Note, later
from reader.people import read_people
from reader.places import meeting_place, place_from_text, place_of_the_summit
from reader.summits import read_summit
from reader.text import clean_text, looks_english, plain, sentence_spans

MAX_CHARS = 200_000


@dataclass
class Reading:
    text: str = ""
    url: str = ""
    published: datetime.date | None = None
    headline: str = ""
    dateline: str = ""
    date: datetime.date | None = None
    date_text: str = ""
    date_precision: str = ""  # "day", or "" when no date was read
    day_without_year: datetime.date | None = None  # 'June 10' with no year to read it against
    date_where: object = None  # where the meeting's date was read, when not in the dateline
    agency: str = ""
    place: Place | None = None
    place_text: str = ""
    country: Country | None = None
    place_name: str = ""  # a city not on record, from the gazetteer
    place_where: str = ""  # where the place was read: THE_DATELINE, THE_TEXT (reader.notes)
    place_country_code: str = ""
    kind: str = ""
    participants: list = field(default_factory=list)
    mentioned: list = field(default_factory=list)
    candidates: list = field(default_factory=list)
    summit: Summit | None = None
    summit_text: str = ""
    summit_relation: str = ""
    summits_mentioned: list = field(default_factory=list)
    initiatives: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    source: dict = field(default_factory=dict)
    found: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def title(self):
        names = [p.official.name for p in self.participants]
        if self.summit and self.date and self.summit.start_date <= self.date:
            return self.summit.title
        if len(names) == 2:
            return f"{names[0]} meets {names[1]}"
        if len(names) > 2:
            return f"{', '.join(names[:-1])} and {names[-1]} meet"
        if names:
            return f"{names[0]} in {self.place.name}" if self.place else names[0]
        return f"Meeting in {self.place.name}" if self.place else "Meeting"


# The reader


def read_article(text, lexicon, url="", published=None):
    """Read `text` (its address `url`, its publication date `published`) into a `Reading`.

    Yearless and relative dates ("Oct. 09", "on Monday") are read against `published`.
    """
    reading = Reading(url=(url or "").strip(), published=published)
    text = clean_text(text or "")
    if not text.strip():
        reading.problems.append(
            Note(gettext_noop("The text is empty: paste the article to read it."))
        )
        return reading
    if len(text) > MAX_CHARS:
        reading.problems.append(
            Note(
                gettext_noop(
                    "Only the first %(max)s characters were read; the text has %(length)s."
                ),
                max=later(number, MAX_CHARS),
                length=later(number, len(text)),
            )
        )
        text = text[:MAX_CHARS]
    reading.text = text
    if not looks_english(text):
        reading.problems.append(
            Note(
                gettext_noop(
                    "The text does not look like English: the reader knows English news items "
                    "only, so it found only the names written the way the database writes them."
                )
            )
        )
    body_start = read_dateline(reading, text, lexicon)
    sentences = sentence_spans(text, body_start)
    meeting_date(reading, text, body_start)
    first_day_of_the_meeting(reading, text, body_start)
    if not reading.date:
        date_from_text(reading, text, body_start)
    meeting_place(reading, text, lead_sentences(text, body_start), lexicon)
    if not reading.place and not reading.place_name and not reading.dateline:
        meeting_place(reading, text, headline_of(text), lexicon)
    if not reading.place and not reading.place_name and not reading.dateline:
        place_from_text(reading, text, sentences, lexicon)
    read_people(reading, text, sentences, lexicon)
    read_summit(reading, text, with_headline(reading, text, sentences), lexicon)
    read_kind(reading, text, body_start)
    place_of_the_summit(reading, lexicon)
    no_place_for_a_call(reading)
    haystack = plain(text)
    read_initiatives(reading, haystack, lexicon, text)
    read_topics(reading, haystack, lexicon)
    read_source(reading, text, lexicon)
    reading.date_precision = "day" if reading.date else ""
    reading.problems = list(dict.fromkeys(reading.problems))
    return reading


def headline_of(text):
    """[(start, end)] of the headline atop an item without a dateline ('Kamilov takes part in
    the meeting of the SCO Council of Ministers in New York'), or []."""
    m = re.match(r"\s*([^\n]{10,200})\n", text)
    if m is None or m.group(1).rstrip().endswith((".", ":")):
        return []
    return [m.span(1)]


def with_headline(reading, text, sentences):
    """The body's sentences, after the headline printed above the dateline (when there is one):
    'Chinese president attends SCO summit in Yekaterinburg'."""
    start = text.find(reading.headline) if reading.headline else -1
    if start < 0:
        return sentences
    return [(start, start + len(reading.headline)), *sentences]


def no_place_for_a_call(reading):
    """A telephone call or a meeting by video link is held nowhere: the dateline's city is
    where the item was filed, and a city a call's text names is where something else happens
    ('discussed the summit in Tianjin'); a place the text says a videoconference was held in is
    kept."""
    if reading.kind not in ("call", "videoconference"):
        return
    if reading.kind == "videoconference" and reading.place_where != THE_DATELINE:
        return
    if not (reading.place or reading.place_name):
        return
    shown = reading.place or reading.place_name
    reading.place, reading.country = None, None
    reading.place_name, reading.place_country_code = "", ""
    reading.found.append(
        Note(
            gettext_noop("No place: held by telephone or video link (%(place)s is not taken)."),
            place=shown,
        )
    )


def read_topics(reading, haystack, lexicon):
    """Topics whose words ('regional', 'security') stand close together somewhere in the text."""
    for topic in lexicon.topics:
        stems = [w[:6] for w in plain(topic.name).split() if len(w) >= 5]
        if stems and words_close(haystack, stems):
            reading.topics.append(topic)
    if reading.topics:
        names = ", ".join(t.name for t in reading.topics)
        reading.found.append(Note(gettext_noop("Topics: %(names)s."), names=names))


def words_close(haystack, stems, window=60):
    first, *others = stems
    for m in re.finditer(rf"\b{re.escape(first)}", haystack):
        near = haystack[max(0, m.start() - window) : m.end() + window]
        if all(re.search(rf"\b{re.escape(stem)}", near) for stem in others):
            return True
    return False


def read_source(reading, text, lexicon):
    url = reading.url
    host = urlsplit(url).netloc.removeprefix("www.") if url else ""
    publisher = lexicon.publishers.get(host, "") or reading.agency or host
    first_line = text.strip().split("\n", 1)[0].strip()
    if not reading.headline and not reading.dateline:
        if 3 <= len(first_line.split()) and len(first_line) <= 200 and first_line[-1] not in ".:":
            reading.headline = first_line
    if reading.headline:
        title = reading.headline
    else:
        title = f"{publisher} news item" if publisher else "News item"
        if reading.date:
            title += f", {format_partial(reading.date)}"
    reading.source = {
        "url": url,
        "title": title[:300],
        "publisher": publisher[:200],
        "published_on": reading.date,
    }
    if url and url in lexicon.source_urls:
        reading.found.append(
            Note(gettext_noop("The address is already on record as a source; it will be linked."))
        )
