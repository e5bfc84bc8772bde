"""Read a press release into a draft meeting, from the database's own names and simple rules.

`load_lexicon()` reads what the database knows (officials and their other spellings, posts and
their holders, places under every name, summits, initiatives, topics) in a fixed number of
queries; `read_article(text, lexicon, url)` is a pure function of the text and that lexicon. It
returns a `Reading`: the dateline (place, date, agency), the participants with their capacity,
the summit, initiatives and topics it recognised, the names it did not know, and plain sentences
saying what it read and what it could not read. Nothing is saved here.
"""

import bisect
import datetime
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from django.db.models import Prefetch

from editorial.checks import names_alike, on_record
from meetings.dates import format_partial
from meetings.models import (
    Council,
    Country,
    Official,
    Organization,
    Place,
    PlaceName,
    Position,
    Post,
    Source,
    Summit,
    Topic,
)

MAX_CHARS = 200_000

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
OTHER_DAY = r"(?:\s*(?:[-–—]|and|to)\s*\d{1,2}(?:st|nd|rd|th)?)?"
DATE_FORMS = [
    rf"\b{DAY}{OTHER_DAY}\s+(?:of\s+)?(?P<m>{MONTH})\.?,?\s+(?P<y>(?:19|20)\d\d)\b",
    rf"\b(?P<m>{MONTH})\.?\s+{DAY}{OTHER_DAY},?\s+(?P<y>(?:19|20)\d\d)\b",
    r"\b(?P<y>(?:19|20)\d\d)-(?P<mm>\d\d)-(?P<d>\d\d)\b",
]
# Datelines sometimes leave out the year ("BEIJING, Oct. 26 (Xinhua) --").
YEARLESS_FORMS = [rf"\b{DAY}\s+(?P<m>{MONTH})\b\.?", rf"\b(?P<m>{MONTH})\.?\s+{DAY}\b"]

# Rules of the language of news items, not data: qualifiers of national posts.
ADJECTIVES = {
    "Kazakhstan": "Kazakh(?:stani)?", "China": "Chinese", "Russia": "Russian",
    "Kyrgyzstan": "Kyrgyz", "Tajikistan": "Tajik", "Uzbekistan": "Uzbek", "India": "Indian",
    "Pakistan": "Pakistani", "Iran": "Iranian", "Belarus": "Belarusian(?:ian)?",
    "Mongolia": "Mongolian", "Afghanistan": "Afghan", "Türkiye": "Turkish",
}  # fmt: skip
FORMAL_NAMES = {
    "Kazakhstan": ["Republic of Kazakhstan"],
    "China": ["People's Republic of China", "PRC"],
    "Russia": ["Russian Federation"],
    "Kyrgyzstan": ["Kyrgyz Republic"],
    "Tajikistan": ["Republic of Tajikistan"],
    "Uzbekistan": ["Republic of Uzbekistan"],
    "India": ["Republic of India"],
    "Pakistan": ["Islamic Republic of Pakistan"],
    "Iran": ["Islamic Republic of Iran"],
    "Belarus": ["Republic of Belarus"],
}
SCO = r"(?:SCO|Shanghai\s+Cooperation\s+Organi[sz]ation)"
# Words before a post's title that make it another post ("Deputy Secretary-General").
OTHER_RANK = re.compile(r"(?:\bDeputy|\bVice|\bAssistant|\bFormer|\bformer|\bex)[-\s]+$", re.I)
FOREIGN_BODY = re.compile(
    r"(?:\b(?:UN|United Nations|ASEAN|CIS|CSTO|OSCE|ECO|ESCAP|EAEU|Eurasian|CICA)\b[\s\w]*$)"
)
# Titles that mark the name next to them as a person's, whether or not the post is on record.
GENERIC_TITLE = (
    r"(?:(?:First\s+)?(?:Deputy\s+|Vice[-\s])?(?:President|Prime\s+Minister|Premier|Chairman"
    r"|Chairwoman|Chair|Minister|Foreign\s+Minister|Secretary[-\s]General|Director|Ambassador"
    r"|Speaker|Head|Executive\s+Secretary|Spokesman|Spokesperson|Emir|King|Sheikh))"
)
# Sentences in which an official mentioned is taking part (not just named).
PARTICIPATION = re.compile(
    r"\b(?:met|meets?|meeting\s+with|held\s+(?:talks|a\s+meeting|consultations)|talks\s+with"
    r"|received|receives|welcomed|welcomes|hosted|hosts|attended|attends|attending|took\s+part"
    r"|takes\s+part|taking\s+part|participated|participates|chaired|chairs|presided|led\s+by"
    r"|headed\s+by|led\s+the|visited|visits|addressed|were\s+present|was\s+present)\b",
    re.I,
)
SUMMIT_WORDS = re.compile(
    r"\bsummit\b|\bCouncil\s+of\s+(?:the\s+)?Heads\b|\bHeads?\s+of\s+(?:State|Government)\b"
    r"|\bPrime\s+Ministers\b|\bShanghai\s+Five\b|\bCHS\b|\bCHG\b",
    re.I,
)
GOVERNMENT_WORDS = re.compile(
    r"Heads?\s+of\s+Government|Prime\s+Ministers|\bPremiers\b|\bCHG\b", re.I
)
STATE_WORDS = re.compile(r"Heads?\s+of\s+(?:the\s+)?(?:Member\s+)?State|\bsummit\b|\bCHS\b", re.I)
NEXT_WORDS = re.compile(r"\b(?:next|upcoming|forthcoming|coming|future)\b", re.I)
ENGLISH_WORDS = {"the", "of", "and", "to", "in", "a", "on", "for", "with", "was", "is", "by"}
NOT_A_NAME = {
    # Capitalised words that start a sentence or belong to bodies and titles, never to a name.
    "The", "A", "An", "In", "On", "At", "By", "For", "Of", "And", "But", "During", "After",
    "Before", "Further", "Also", "According", "Among", "As", "It", "He", "She", "They", "This",
    "That", "These", "There", "Taking", "Together", "Significant", "His", "Her", "Their",
    "SCO", "Shanghai", "Cooperation", "Organization", "Organisation", "Council", "Heads",
    "State", "States", "Government", "Member", "Summit", "Declaration", "Charter", "Convention",
    "Programme", "Program", "Strategy", "Agreement", "Treaty", "Statement", "Communiqué",
    "Communique", "Joint", "Regional", "Anti-Terrorist", "Antiterrorist", "Structure",
    "Executive", "Committee", "Secretariat", "Secretary", "General", "Secretary-General",
    "Director", "President", "Vice", "Prime", "Minister", "Ministers", "Premier", "Chairman",
    "Chair", "Deputy", "First", "Foreign", "Affairs", "Ministry", "Republic", "Federation",
    "People's", "Islamic", "Kingdom", "Cabinet", "Business", "Interbank", "Association",
    "Board", "Mission", "Observation", "Observer", "Leaders", "Leader", "Delegation",
    "Ambassador", "Head", "Speaker", "Spokesman", "RATS", "UN", "United", "Nations", "News",
    "Agency", "Province", "City", "Region", "Central", "Asia", "Asian", "Eurasian", "Economic",
    "Development", "Security", "Anniversary", "Chairmanship", "Presidency", "Meeting",
    "External", "Internal", "Interior", "Defence", "Defense", "Finance", "Trade", "Justice",
    "Economy", "Energy", "Emergency", "Situations", "Senate", "Parliament",
    "National", "Assembly", "Supreme", "Court", "Bank", "Consortium", "Office", "Administration",
}  # fmt: skip


@dataclass
class Lexicon:
    """What the database knows, loaded once; `read_article()` asks it no more questions."""

    officials: list
    posts: list
    places: list
    countries: list
    summits: list
    initiatives: list
    topics: list
    publishers: dict  # host -> publisher, from the sources on record
    source_urls: set

    @cached_property
    def positions_by_post(self):
        by_post = defaultdict(list)
        for official in self.officials:
            for position in official.positions.all():
                by_post[position.post_id].append(position)
        return by_post

    @cached_property
    def name_forms(self):
        """{casefolded form: [officials]} for every name and other spelling of an official."""
        forms = defaultdict(list)
        for official in self.officials:
            for name in {official.name, *(n.name for n in official.names.all())}:
                key = fold(name)
                if len(key) >= 4 and official not in forms[key]:
                    forms[key].append(official)
        return forms

    @cached_property
    def name_pattern(self):
        alternatives = sorted(self.name_forms, key=len, reverse=True)
        return re.compile(
            "|".join(name_regex(form) for form in alternatives) or r"(?!x)x", re.IGNORECASE
        )

    @cached_property
    def surnames(self):
        """{surname: [(official, initials)]} from the Latin-script names, for 'R. Alimov'."""
        surnames = defaultdict(list)
        for official in self.officials:
            for name in {official.name, *(n.name for n in official.names.all())}:
                words = re.findall(r"[A-Za-z][\w'’-]*", name)
                if len(words) >= 2 and len(words[-1]) >= 3 and words[-1][0].isupper():
                    surnames[words[-1]].append((official, words[0][0].upper()))
        return surnames

    @cached_property
    def place_forms(self):
        """{folded name: [(place, PlaceName or None)]} for every name of every place."""
        forms = defaultdict(list)
        for place in self.places:
            forms[fold(place.name)].append((place, None))
            for place_name in place.names.all():
                forms[fold(place_name.name)].append((place, place_name))
        return forms

    @cached_property
    def place_pattern(self):
        alternatives = sorted(self.place_forms, key=len, reverse=True)
        return re.compile(
            "|".join(name_regex(form) for form in alternatives) or r"(?!x)x", re.IGNORECASE
        )

    @cached_property
    def title_rules(self):
        return [title_rule(post) for post in self.posts]

    @cached_property
    def title_tail(self):
        """Regex for ' of the Kyrgyz Republic' after a title: words of bodies and countries."""
        words = sorted(NOT_A_NAME | self.country_words, key=len, reverse=True)
        word = "(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w'-])"
        return rf"(?:\s+of\s+(?:the\s+)?{word}(?:\s+(?:of\s+(?:the\s+)?)?{word})*)?"

    @cached_property
    def title_tail_pattern(self):
        return re.compile(self.title_tail)

    @cached_property
    def country_words(self):
        words = set()
        for country in self.countries:
            words.update(country.name.split())
            words.update(re.sub(r"\(.*?\)", "", ADJECTIVES.get(country.name, "")).split())
        return words


def load_lexicon():
    """Everything the reader needs, in twelve queries however much the database holds."""
    from initiatives.models import Initiative

    positions = Position.objects.select_related("post__organization__country").prefetch_related(
        "attestations"
    )
    officials = list(
        Official.objects.prefetch_related("names", Prefetch("positions", positions)).order_by(
            "name", "id"
        )
    )
    publishers = {}
    source_urls = set()
    for url, publisher in Source.objects.values_list("url", "publisher"):
        source_urls.add(url)
        host = urlsplit(url).netloc.removeprefix("www.")
        if publisher and host:
            publishers.setdefault(host, publisher)
    return Lexicon(
        officials=officials,
        posts=list(Post.objects.select_related("organization__country")),
        places=list(Place.objects.select_related("country").prefetch_related("names")),
        countries=list(Country.objects.all()),
        summits=list(Summit.objects.select_related("place").order_by("start_date", "id")),
        initiatives=list(Initiative.objects.order_by("id")),
        topics=list(Topic.objects.all()),
        publishers=publishers,
        source_urls=source_urls,
    )


# Text helpers


def clean_text(text):
    """Straight quotes, plain spaces and Unix line ends; nothing else changes place."""
    table = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "}
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(table.get(c, c) for c in text)


def fold(text):
    """A case-, accent- and hyphen-blind form of a name, for looking it up."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-‐]+", " ", plain).strip()


def name_regex(form):
    """A regex for a folded name: any case, hyphen or space between its parts."""
    parts = [re.escape(part) for part in form.split(" ")]
    body = r"[\s\-‐]+".join(parts)
    if all(ord(c) < 0x2E80 for c in form):  # alphabetic scripts: whole words only
        return rf"(?<!\w){body}(?!\w)"
    return body


def phrase_regex(phrase):
    """A regex for an English phrase: flexible spaces and hyphens, either spelling of -ise."""
    words = re.split(r"[\s-]+", phrase.strip())
    pattern = r"[\s-]+".join(re.escape(w) for w in words)
    pattern = re.sub(r"Organi[sz]ation", "Organi[sz]ation", pattern)
    pattern = pattern.replace(r"Anti[\s-]+Terrorist", r"Anti[\s-]?Terrorist")
    return pattern.replace(r"Shanghai[\s-]+Cooperation[\s-]+Organi[sz]ation", SCO)


def looks_english(text):
    words = re.findall(r"[^\W\d_]+", text[:20_000].casefold())
    if not words:
        return False
    latin = sum(1 for w in words if w.isascii()) / len(words)
    common = sum(1 for w in words if w in ENGLISH_WORDS) / len(words)
    return latin > 0.6 and common > 0.04


@dataclass
class FoundDate:
    start: int
    end: int
    text: str
    value: datetime.date | None  # None: not a real day ("31 February 2022")
    has_year: bool = True


def find_dates(text, *, yearless=False, flags=0):
    found = []
    for pattern in DATE_FORMS + (YEARLESS_FORMS if yearless else []):
        for m in re.finditer(pattern, text, flags):
            groups = m.groupdict()
            month = int(groups["mm"]) if groups.get("mm") else MONTHS[groups["m"][:3].lower()]
            year = int(groups["y"]) if groups.get("y") else None
            try:
                value = datetime.date(year or 2000, month, int(groups["d"]))
            except ValueError:
                value = None
            found.append(FoundDate(m.start(), m.end(), m.group(0), value, year is not None))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept = []
    for date in found:
        if kept and date.start < kept[-1].end:
            continue
        kept.append(date)
    return kept


ABBREVIATIONS = {
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "Mr", "Mrs", "Ms", "Dr", "St", "No", "Gen", "Prof", "Lt", "Col", "vs", "Art",
}  # fmt: skip


def sentence_spans(text, start=0):
    """(start, end) of each sentence from `start` on; initials and abbreviations do not end one."""
    spans = []
    begin = start
    for m in re.finditer(r"[.!?]+[\"')\]]*(?=\s)|\n", text[start:]):
        end = start + m.end()
        if m.group(0) != "\n":
            word = re.search(r"([\w'’]+)[.!?]+[\"')\]]*$", text[begin:end])
            if word and (
                len(word.group(1)) == 1
                and word.group(1).isupper()
                or word.group(1) in ABBREVIATIONS
            ):
                continue
        if text[begin:end].strip():
            spans.append((begin, end))
        begin = end
    if text[begin:].strip():
        spans.append((begin, len(text)))
    return spans


# What the reader returns


@dataclass
class Participant:
    official: Official
    capacity: str = ""
    position: Position | None = None
    country: Country | None = None
    organization: Organization | None = None
    found_as: list = field(default_factory=list)


@dataclass
class Candidate:
    name: str
    capacity: str = ""


@dataclass
class Reading:
    text: str = ""
    url: str = ""
    headline: str = ""
    dateline: str = ""
    date: datetime.date | None = None
    date_text: str = ""
    agency: str = ""
    place: Place | None = None
    place_text: str = ""
    country: Country | None = None
    participants: list = field(default_factory=list)
    mentioned: list = field(default_factory=list)
    candidates: list = field(default_factory=list)
    summit: Summit | None = None
    summit_text: str = ""
    summit_relation: str = ""
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


def read_article(text, lexicon, url=""):
    """Read `text` (and its address `url`) into a `Reading`, using only `lexicon`."""
    reading = Reading(url=(url or "").strip())
    text = clean_text(text or "")
    if not text.strip():
        reading.problems.append("The text is empty: paste the article to read it.")
        return reading
    if len(text) > MAX_CHARS:
        reading.problems.append(
            f"Only the first {MAX_CHARS:,} characters were read; the text has {len(text):,}."
        )
        text = text[:MAX_CHARS]
    reading.text = text
    if not looks_english(text):
        reading.problems.append(
            "The text does not look like English: the reader knows English news items only, "
            "so it found only the names written the way the database writes them."
        )
    body_start = read_dateline(reading, text, lexicon)
    sentences = sentence_spans(text, body_start)
    if not reading.date:
        date_from_text(reading, text, body_start)
    if not reading.place and not reading.dateline:
        place_from_text(reading, text, sentences, lexicon)
    read_people(reading, text, sentences, lexicon)
    read_summit(reading, text, sentences, lexicon)
    haystack = plain(text)
    read_initiatives(reading, haystack, lexicon)
    read_topics(reading, haystack, lexicon)
    read_source(reading, text, lexicon)
    reading.problems = list(dict.fromkeys(reading.problems))
    return reading


def read_dateline(reading, text, lexicon):
    """Read 'Nur-Sultan, 4 June 2022 (TDI):' at the top; return where the body starts.

    The dateline may follow a headline, so the first three lines are tried.
    """
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()][:3]
    for index, line in enumerate(lines):
        body_start = dateline_in(reading, line.group(0)[:300], lexicon)
        if body_start is not None:
            if index:
                reading.headline = lines[0].group(0).strip()
            return line.start() + body_start
    reading.problems.append(
        "No dateline ('Place, date (agency):') at the start of the text; "
        "the date and place were looked for in the text."
    )
    return 0


def dateline_in(reading, line, lexicon):
    """Read a dateline at the start of `line`; return where the body starts in it, or None."""
    stripped = line.lstrip()
    offset = len(line) - len(stripped)
    dates = find_dates(stripped, yearless=True, flags=re.I)
    if dates and dates[0].start <= 80:
        date = dates[0]
        before = stripped[: date.start].strip(" ,.;:–—-")
        rest = stripped[date.end :]
        agency = re.match(r"\s*(?:\(([^()]{1,60})\)|/([^/]{1,60})/)", rest)
        after = rest[agency.end() :] if agency else rest
        separator = re.match(r"\s*(?:[:.]|-{1,2}|[–—])\s*", after)
        if not (agency or separator) or not looks_like_place(before):
            return None
        reading.dateline = stripped[: date.end + (agency.end() if agency else 0)].strip()
        if agency:
            reading.agency = (agency.group(1) or agency.group(2)).strip()
        set_date(reading, date, "the dateline", url_year(reading.url))
        if before:
            reading.place_text = re.split(r"\s*[,–—]\s*|\s+-\s+", before)[0]
            set_place(reading, reading.place_text, lexicon, "the dateline")
        else:
            reading.problems.append("The dateline names no place.")
        return offset + len(stripped) - len(after) + (separator.end() if separator else 0)
    # 'NUR-SULTAN. KAZINFORM –': a place and an agency but no date.
    match = re.match(
        r"([A-Z][A-Z'’ -]{2,40}?)\s*[.,]\s+([A-Z][A-Za-z]+)?\s*(?:-{1,2}|[–—:])", stripped
    )
    if match and looks_like_place(match.group(1).title()):
        reading.dateline = match.group(0).strip(" -–—:")
        reading.agency = match.group(2) or ""
        reading.place_text = match.group(1).strip().title()
        set_place(reading, reading.place_text, lexicon, "the dateline")
        return offset + match.end()
    return None


def looks_like_place(text):
    if not text:
        return True
    words = text.split()
    return len(words) <= 5 and text[0].isupper() and words[0] not in NOT_A_NAME


def url_year(url):
    match = re.search(r"/((?:19|20)\d\d)[/-]", url or "")
    return int(match.group(1)) if match else None


def set_date(reading, date, where, fallback_year=None):
    reading.date_text = date.text
    if date.value is None:
        reading.problems.append(f"“{date.text}” in {where} is not a real date.")
        return
    value = date.value
    if not date.has_year:
        if fallback_year is None:
            reading.problems.append(
                f"{where.capitalize()} gives “{date.text}” without a year; enter the date."
            )
            return
        try:
            value = value.replace(year=fallback_year)
        except ValueError:
            reading.problems.append(f"“{date.text}” in {where} is not a real date.")
            return
    reading.date = value
    reading.found.append(f"Date: {format_partial(value)}, from {where} (“{date.text}”).")


def date_from_text(reading, text, body_start):
    """The first date of the first paragraph, or else one in the address ('/2023/10/26/').

    Later dates are usually other events (a summit recalled), so they are not guessed from.
    """
    if reading.date_text:  # a dateline date that could not be used
        return
    paragraphs = [p for p in re.split(r"\n\s*\n", text[body_start:]) if p.strip()][:2]
    lead = paragraphs[0] if paragraphs else ""
    if len(paragraphs) > 1 and len(lead) < 200 and not lead.rstrip().endswith("."):
        lead += "\n\n" + paragraphs[1]  # the first was a headline
    for date in find_dates(lead):
        set_date(reading, date, "the first paragraph")
        return
    match = re.search(r"/((?:19|20)\d\d)[/-](\d\d?)[/-](\d\d?)(?:[/-]|$)", reading.url)
    if match:
        try:
            value = datetime.date(*map(int, match.groups()))
        except ValueError:
            value = None
        if value:
            reading.date = value
            reading.found.append(f"Date: {format_partial(value)}, from the address.")
            return
    reading.problems.append("No date found in the first paragraph or the address.")


def set_place(reading, place_text, lexicon, where):
    entries = lexicon.place_forms.get(fold(place_text), [])
    places = list(dict.fromkeys(place for place, _ in entries))
    if not places:
        reading.problems.append(
            f"Unknown place “{place_text}” in {where}: no place on record has that name. "
            "Add the place (or the name to it) in admin, then read the article again."
        )
        return
    place = places[0]
    if len(places) > 1:
        others = ", ".join(f"{p} ({p.country})" for p in places[1:])
        reading.problems.append(f"“{place_text}” is also the name of {others}; {place} was taken.")
    reading.place, reading.country = place, place.country
    name = place_text
    shown = place.name_then_and_now(reading.date) if reading.date else place.name
    reading.found.append(f"Place: {shown}, {place.country}, from {where} (“{name}”).")
    official = [n for _, n in entries if n and n.kind == PlaceName.Kind.OFFICIAL]
    if reading.date and official and not any(n.covers(reading.date) for n in official):
        reading.problems.append(
            f"“{name}” was not the official name of {place} on "
            f"{format_partial(reading.date)} (it was {place.name_on(reading.date)})."
        )


def place_from_text(reading, text, sentences, lexicon):
    """Without a dateline: the first known place the first paragraph says it happened in."""
    lead_end = sentences[0][1] if sentences else len(text)
    for sentence in sentences[:3]:
        lead_end = sentence[1]
        if "\n" in text[sentence[0] : sentence[1]].strip():
            break
    for m in place_mentions(text[:lead_end], lexicon):
        before = text[max(0, m.start() - 40) : m.start()]
        held_in = re.search(r"\b(?:in|at)\s+(?:the\s+(?:city|capital)\s+of\s+)?$", before, re.I)
        if held_in or re.match(r"\s+(?:hosted|welcomed)\b", text[m.end() :]):
            set_place(reading, m.group(0), lexicon, "the text")
            return
    reading.problems.append("No place found: the article names no city it was held in.")


def place_mentions(text, lexicon):
    for m in lexicon.place_pattern.finditer(text):
        if re.match(r"\s+(?:Cooperation|Five)\b", text[m.end() :]):
            continue  # the Shanghai Cooperation Organisation, the Shanghai Five
        yield m


# People


@dataclass
class Mention:
    officials: list
    start: int
    end: int
    text: str
    how: str  # name, initials, surname, title, spelling


@dataclass
class TitleRule:
    post: Post
    title: re.Pattern
    before: re.Pattern
    after: re.Pattern


@dataclass
class TitleMention:
    post: Post | None
    start: int
    end: int
    text: str
    holders: list


def title_rule(post):
    """How a post's title is printed, with the organisation or country that qualifies it."""
    titles = {post.title}
    titles.add(re.sub(r"Minister of Foreign Affairs$", "Foreign Minister", post.title))
    title = "|".join(phrase_regex(t) for t in sorted(titles, key=len, reverse=True))
    organization = post.organization
    if organization.country_id:
        country = organization.country
        forms = [country.name, *FORMAL_NAMES.get(country.name, [])]
        forms_re = "|".join(phrase_regex(f) for f in sorted(forms, key=len, reverse=True))
        adjective = ADJECTIVES.get(country.name)
        before = rf"(?:\b(?:the\s+)?(?:{forms_re})(?:'s)?"
        before += rf"|\b{adjective})\s+$" if adjective else r")\s+$"
        after = rf"\s*,?\s+of\s+(?:the\s+)?(?:{forms_re})\b"
    else:
        cores = organization_cores(organization)
        core = "|".join(cores)
        before = (
            rf"(?:\bthe\s+)?(?:{SCO}(?:'s)?\s+)?(?:{core})(?:'s)?(?:\s+Executive\s+Committee)?\s+$"
        )
        after = (
            rf"\s*,?\s+of\s+the\s+(?:Executive\s+Committee\s+of\s+the\s+)?(?:{SCO}\s+)?"
            rf"(?:{core})(?:\s*\((?:SCO\s+)?[A-Z]+\))?(?:\s+Executive\s+Committee)?"
            rf"(?:\s+of\s+the\s+{SCO})?"
        )
    return TitleRule(
        post,
        re.compile(rf"(?<!\w)(?:{title})(?!\w)", re.I),
        re.compile(before, re.I),
        re.compile(after, re.I),
    )


def organization_cores(organization):
    """The names an SCO body goes by in print: 'SCO' for the Secretariat, 'RATS', ..."""
    names = {organization.name, organization.short_name} - {""}
    cores = set()
    for name in names:
        core = re.sub(r"^Executive Committee of the\s+", "", name)
        core = re.sub(r"\s+Executive Committee$", "", core)
        core = re.sub(r"^Secretariat of the\s+", "", core)
        core = re.sub(r"\s+Secretariat$", "", core)
        core = re.sub(r"\s+of the (?:SCO|Shanghai Cooperation Organi[sz]ation)$", "", core)
        cores.update({name, core})
    return [phrase_regex(c) for c in sorted(cores, key=len, reverse=True)]


def find_titles(text, lexicon, day):
    """Posts on record named in the text with their organisation or country."""
    found = []
    for rule in lexicon.title_rules:
        for m in rule.title.finditer(text):
            start, end = m.start(), m.end()
            before = text[max(0, start - 120) : start]
            if OTHER_RANK.search(before) and not re.match(r"(?:First\s+)?Deputy", m.group(0)):
                continue
            qualified = False
            q = rule.before.search(before)
            if q and not FOREIGN_BODY.search(before[: q.start()]):
                start, qualified = start - (len(before) - q.start()), True
                if text[start : start + 4].lower() == "the ":
                    start += 4
            q = rule.after.match(text, end)
            if q:
                end, qualified = q.end(), True
            if not qualified:
                end = lexicon.title_tail_pattern.match(text, end).end()
                found.append(TitleMention(None, start, end, text[start:end], [rule.post]))
                continue
            holders = [p for p in lexicon.positions_by_post[rule.post.pk] if held(p, day)]
            found.append(TitleMention(rule.post, start, end, text[start:end], holders))
    # The longest reading of overlapping titles wins ('First Deputy ...' over 'Deputy ...').
    found.sort(key=lambda t: (t.start, -(t.end - t.start), t.post is None))
    kept = []
    for title in found:
        if any(title.start < k.end and k.start < title.end for k in kept):
            continue
        kept.append(title)
    return kept


def held(position, day):
    return day is not None and on_record(position, day, day)


def find_names(text, lexicon):
    mentions = []
    for m in lexicon.name_pattern.finditer(text):
        officials = lexicon.name_forms.get(fold(m.group(0)), [])
        if officials:
            mentions.append(Mention(officials, m.start(), m.end(), m.group(0), "name"))
    taken = [(m.start, m.end) for m in mentions]
    for m in re.finditer(r"\b([A-Z])\.(?:\s?[A-Z]\.)*\s?([A-Z][\w'’-]+)", text):
        if overlaps(m.start(), m.end(), taken):
            continue
        officials = [o for o, initial in lexicon.surnames.get(m.group(2), []) if initial == m[1]]
        officials = list(dict.fromkeys(officials))
        if officials:
            mentions.append(Mention(officials, m.start(), m.end(), m.group(0), "initials"))
    mentions.sort(key=lambda m: m.start)
    return mentions


def surname_mentions(text, lexicon, officials, taken):
    """'Rakhmetullin thanked ...': surnames of officials already named in full."""
    mentions = []
    for official in officials:
        surnames = {s for s, pairs in lexicon.surnames.items() for o, _ in pairs if o == official}
        for surname in surnames:
            if len(surname) < 5:
                continue
            for m in re.finditer(rf"(?<![\w.]\s)(?<!\w){re.escape(surname)}(?!\w)", text):
                if not overlaps(m.start(), m.end(), taken):
                    mentions.append(Mention([official], m.start(), m.end(), m.group(0), "surname"))
    return mentions


def overlaps(start, end, spans):
    return any(start < e and s < end for s, e in spans)


def attach(first_end, second_start, text, title_first):
    """Whether a title and a name are printed next to each other ('SCO Secretary-General, ')."""
    if not 0 <= second_start - first_end <= 8:
        return False
    gap = text[first_end:second_start]
    if title_first:
        return re.fullmatch(r"\s*,?\s*", gap) is not None
    return re.fullmatch(r"\s*,\s*(?:the\s+)?|\s*\(\s*|\s+", gap) is not None


def sentence_of(position, sentences, starts):
    """The index of the sentence holding `position`; `starts` are the sentences' starts."""
    index = bisect.bisect_right(starts, position) - 1
    if index >= 0 and position < sentences[index][1]:
        return index
    return None


def read_people(reading, text, sentences, lexicon):
    """Officials named, by name, other spelling or title on the day; and names not on record."""
    day = reading.date
    body_start = sentences[0][0] if sentences else len(text)
    names = [n for n in find_names(text, lexicon) if n.start >= body_start]
    name_spans = [(n.start, n.end) for n in names]
    titles = [
        t
        for t in find_titles(text, lexicon, day)
        if t.start >= body_start and not overlaps(t.start, t.end, name_spans)
    ]
    unknown = find_unknown_names(text, lexicon, names, titles, body_start)
    capacity_of = pair_titles(text, names + unknown, titles)
    paired = {id(t) for t in capacity_of.values()}

    mentions = list(names)
    for t in titles:
        if id(t) in paired or t.post is None:
            continue
        if len(t.holders) == 1:
            mentions.append(Mention([t.holders[0].official], t.start, t.end, t.text, "title"))
        elif not t.holders:
            when = f" on {format_partial(day)}" if day else ""
            reading.problems.append(f"No one is on record as “{t.text}”{when}.")
        else:
            holders = ", ".join(sorted({str(p.official) for p in t.holders}))
            reading.problems.append(f"Several officials are on record as “{t.text}”: {holders}.")

    # A name not on record may be a known official's name in another transliteration.
    alike_by_name = {}
    for u in unknown:
        if u.text not in alike_by_name:
            alike_by_name[u.text] = [
                o for o in lexicon.officials if any(names_alike(u.text, f) for f in forms_of(o))
            ]
        alike = alike_by_name[u.text]
        if alike:
            mention = Mention(alike[:1], u.start, u.end, u.text, "spelling")
            mentions.append(mention)
            if id(u) in capacity_of:
                capacity_of[id(mention)] = capacity_of[id(u)]
        elif not any(same_person(u.text, c.name) for c in reading.candidates):
            t = capacity_of.get(id(u))
            reading.candidates.append(Candidate(u.text, t.text if t else u.capacity))

    known = list({o.pk: o for m in mentions for o in m.officials}.values())
    taken = [(m.start, m.end) for m in mentions] + [(t.start, t.end) for t in titles]
    mentions += surname_mentions(text, lexicon, known, taken)

    # Named in the first sentence, or in one that says they met, attended, chaired ...
    taking_part = {
        i for i, (s, e) in enumerate(sentences) if i == 0 or PARTICIPATION.search(text[s:e])
    }
    starts = [start for start, _ in sentences]
    by_official = {}
    for m in sorted(mentions, key=lambda m: m.start):
        if len(m.officials) != 1:
            choices = ", ".join(str(o) for o in m.officials)
            reading.problems.append(f"“{m.text}” could be any of: {choices}.")
            continue
        official = m.officials[0]
        entry = by_official.setdefault(
            official.pk, {"official": official, "mentions": [], "participant": False}
        )
        entry["mentions"].append(m)
        if sentence_of(m.start, sentences, starts) in taking_part:
            entry["participant"] = True
        if id(m) in capacity_of and "title" not in entry:
            entry["title"] = capacity_of[id(m)]
        elif m.how in ("name", "initials") and not entry.get("printed_title"):
            entry["printed_title"] = title_next_to(text, m.start, m.end, lexicon) or ""

    for entry in by_official.values():
        participant = make_participant(entry, day)
        (reading.participants if entry["participant"] else reading.mentioned).append(participant)
    for p in reading.participants:
        how = "; ".join(dict.fromkeys(p.found_as))
        capacity = p.capacity or "capacity unknown"
        reading.found.append(f"Participant: {p.official}, {capacity} ({how}).")
    for p in reading.mentioned:
        reading.found.append(f"Also named, not as a participant: {p.official} ({p.found_as[0]}).")
    for c in reading.candidates:
        reading.problems.append(f"“{c.name}” is not an official on record.")
    if not reading.participants:
        reading.problems.append("No participant on record was recognised.")


def same_person(one, other):
    """'N. Nazarbayev' and 'Nursultan Nazarbayev': one surname, one first initial."""
    a, b = one.replace(".", ". ").split(), other.replace(".", ". ").split()
    return a[-1] == b[-1] and a[0][0] == b[0][0]


def pair_titles(text, people, titles):
    """{id(person mention): title mention} for titles printed right next to a name."""
    capacity_of, used = {}, set()
    for title_first in (True, False):
        for person in people:
            if id(person) in capacity_of:
                continue
            for t in titles:
                if id(t) in used:
                    continue
                if title_first:
                    next_to = t.end <= person.start and attach(t.end, person.start, text, True)
                else:
                    next_to = person.end <= t.start and attach(person.end, t.start, text, False)
                if next_to:
                    capacity_of[id(person)] = t
                    used.add(id(t))
                    break
    return capacity_of


def forms_of(official):
    return [official.name, *(n.name for n in official.names.all())]


def make_participant(entry, day):
    official = entry["official"]
    title = entry.get("title")
    positions = list(official.positions.all())
    position = None
    if title is not None and title.post is not None:
        same_post = [p for p in positions if p.post_id == title.post.pk]
        position = next((p for p in same_post if held(p, day)), None)
    elif title is not None:
        words = fold(title.text)
        position = next(
            (p for p in positions if held(p, day) and fold(p.post.title) in words), None
        )
    if position is None:
        current = [p for p in positions if held(p, day)]
        position = current[0] if len(current) == 1 else None
    capacity = title.text if title is not None else entry.get("printed_title", "")
    if not capacity and position is not None:
        capacity = position_capacity(position)
    participant = Participant(official, capacity[:300], position)
    if position is not None:
        organization = position.post.organization
        if organization.country_id:
            participant.country = organization.country
        else:
            participant.organization = organization
    found = []
    for m in entry["mentions"]:
        if m.how == "title":
            found.append(f"as “{m.text}” on that date")
        elif m.how == "spelling":
            found.append(f"as “{m.text}”, another spelling")
        else:
            found.append(f"“{m.text}”")
    participant.found_as = found
    return participant


def position_capacity(position):
    organization = position.post.organization
    if organization.country_id:
        return f"{position.post.title} of {organization.country}"
    return f"{position.post.title}, {organization}"


TOKEN = r"(?:[A-Z][a-z]+(?:[-'][A-Za-z][a-z]+)*|[A-Z]\.(?:\s?[A-Z]\.)*)"


@dataclass
class UnknownName:
    text: str
    start: int
    end: int
    capacity: str = ""


def find_unknown_names(text, lexicon, names, titles, body_start=0):
    """Names printed next to a title ('Chinese Premier Li Keqiang') that are not on record."""
    taken = [(n.start, n.end) for n in names] + [(t.start, t.end) for t in titles]
    stop = NOT_A_NAME | lexicon.country_words
    found = []
    for m in re.finditer(rf"{TOKEN}(?:\s+{TOKEN})*", text):
        tokens = list(re.finditer(TOKEN, m.group(0)))
        run = []
        for token in tokens + [None]:
            if token is not None and token.group(0) not in stop and not is_place(token, lexicon):
                run.append(token)
                continue
            if len(run) >= 2 and not run[-1].group(0).endswith("."):
                start, end = m.start() + run[0].start(), m.start() + run[-1].end()
                if start >= body_start and not overlaps(start, end, taken):
                    capacity = title_next_to(text, start, end, lexicon)
                    if capacity is not None:
                        found.append(UnknownName(text[start:end], start, end, capacity))
            run = []
    return found


def is_place(token, lexicon):
    return fold(token.group(0)) in lexicon.place_forms


def title_next_to(text, start, end, lexicon):
    """The title printed just before or after a name, or None if there is none."""
    tail = lexicon.title_tail
    before = text[max(0, start - 160) : start]
    m = re.search(rf"(?:(?:SCO|[A-Z][a-z]+(?:'s)?)\s+)?{GENERIC_TITLE}{tail},?\s+$", before)
    if m:
        return m.group(0).strip(" ,")
    if re.search(r"\b(?:chaired|led|headed|hosted|presided\s+over)\s+by\s+$", before):
        return ""
    m = re.match(
        rf"\s*,\s*(?:the\s+)?((?:[A-Z][\w'-]*\s+){{0,3}}{GENERIC_TITLE}{tail})"
        r"(?=\s*(?:[,.;:)]|\band\b|$))",
        text[end : end + 200],
    )
    if m:
        return m.group(1)
    return None


# Summits, initiatives, topics, source

ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}  # fmt: skip


def ordinals(sentence):
    numbers = {int(n) for n in re.findall(r"\b(\d{1,2})(?:st|nd|rd|th)\b", sentence)}
    for word, number in ORDINAL_WORDS.items():
        if re.search(rf"\b(?:twenty-)?{word}\b", sentence, re.I):
            tens = 20 if re.search(rf"\btwenty-{word}\b", sentence, re.I) else 0
            numbers.add(tens + number)
    return numbers


def read_summit(reading, text, sentences, lexicon):
    """The summit a meeting prepared or belonged to: named, or the one the article reports on."""
    day = reading.date
    best = None
    for start, end in sentences:
        sentence = text[start:end]
        if not SUMMIT_WORDS.search(sentence):
            continue
        council = None
        if GOVERNMENT_WORDS.search(sentence):
            council = Council.HEADS_OF_GOVERNMENT
        elif STATE_WORDS.search(sentence):
            council = Council.HEADS_OF_STATE
        places = {
            place
            for m in place_mentions(sentence, lexicon)
            for place, _ in lexicon.place_forms.get(fold(m.group(0)), [])
        }
        dates = [d.value for d in find_dates(sentence) if d.value]
        years = {int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", sentence)}
        numbers = ordinals(sentence)
        upcoming = NEXT_WORDS.search(sentence) is not None
        for summit in lexicon.summits:
            if council and summit.council != council:
                if not (council == Council.HEADS_OF_STATE and summit.council == "shanghai_five"):
                    continue
            score = 0
            evidence = False
            if any(summit.start_date <= d <= summit.end_date for d in dates):
                score, evidence = score + 4, True
            if summit.place_id and summit.place in places:
                score, evidence = score + 2, True
            if summit.start_date.year in years:
                score += 2
            if summit.number and summit.number in numbers and council:
                score, evidence = score + 2, True
            if day and summit.start_date - datetime.timedelta(days=1) <= day <= summit.end_date:
                score += 3
                evidence = evidence or council is not None
                if reading.place and summit.place_id == reading.place.pk:
                    score += 1
            if day and upcoming and summit.start_date > day:
                following = [
                    s for s in lexicon.summits if s.council == summit.council and s.start_date > day
                ]
                if following and following[0] == summit:
                    score, evidence = score + 2, evidence or council is not None
            if day and not years and not dates and abs((summit.start_date - day).days) <= 366:
                score += 1
            if not evidence or score < 3:
                continue
            closeness = abs((summit.start_date - day).days) if day else 0
            key = (score, -closeness)
            if best is None or key > best[0]:
                best = (key, summit, sentence.strip())
    if best is None:
        return
    _, summit, sentence = best
    ahead = NEXT_WORDS.search(sentence) or re.search(r"prepar", sentence, re.I)
    if day is None and not ahead:
        reading.found.append(
            f"Mentions {summit}; not linked, as the meeting's date is unknown "
            f"(“{short(sentence)}”)."
        )
        return
    if day and summit.end_date < day:
        reading.found.append(
            f"Mentions {summit}, held before this meeting: not linked (“{short(sentence)}”)."
        )
        return
    reading.summit, reading.summit_text = summit, sentence
    if day and day < summit.start_date:
        reading.summit_relation = (
            "preparations for the summit" if re.search(r"prepar", sentence, re.I) else ""
        )
    reading.found.append(f"Summit: {summit}, from “{short(sentence)}”.")


def short(sentence, length=160):
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= length else sentence[: length - 1] + "…"


def plain(text):
    """Text reduced for matching document titles: 'SCO program on ...' ~ 'SCO programme on'."""
    text = fold(text)
    text = re.sub(r"\bshanghai cooperation organi[sz]ation\b", "sco", text)
    text = re.sub(r"\borgani[sz]ation\b", "organisation", text)
    text = re.sub(r"\bprogram\b", "programme", text)
    text = re.sub(r"\bcommuniqu[eé]\b", "communique", text)
    text = re.sub(r"[^\w]+", " ", text)
    return f" {text.strip()} "


def read_initiatives(reading, haystack, lexicon):
    """Initiatives named by title or short name in `haystack`, the text made `plain()`."""
    by_phrase = defaultdict(list)
    for initiative in lexicon.initiatives:
        for phrase in {initiative.title, initiative.short_name} - {""}:
            key = plain(phrase)
            if len(key.strip()) >= 12 and initiative not in by_phrase[key]:
                by_phrase[key].append(initiative)
    found = []
    for key, initiatives in by_phrase.items():
        if key not in haystack:
            continue
        if len(initiatives) > 1:
            at_summit = [
                i for i in initiatives if reading.summit and i.adopted_at_id == reading.summit.pk
            ]
            if len(at_summit) != 1:
                continue
            initiatives = at_summit
        found.extend(i for i in initiatives if i not in found)
    reading.initiatives = found
    for initiative in found:
        reading.found.append(f"Initiative: {initiative}.")


def read_topics(reading, haystack, lexicon):
    """Topics whose words ('regional', 'security') stand close together somewhere in the text."""
    for topic in lexicon.topics:
        stems = [w[:6] for w in plain(topic.name).split() if len(w) >= 5]
        if stems and words_close(haystack, stems):
            reading.topics.append(topic)
    if reading.topics:
        reading.found.append("Topics: " + ", ".join(t.name for t in reading.topics) + ".")


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
        reading.found.append("The address is already on record as a source; it will be linked.")
