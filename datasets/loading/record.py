"""The SCO's record of meetings and officials, read from data/record/ (format in its README).

Each meeting line names its body, kind, dates, place, participants (with the position each held
that day, as written) and the pages its facts were read on. A meeting is published when its line
is `confirmed` and has a date and a source; otherwise it is loaded as a draft, for an editor to
finish. Officials are one per name as the sources write it: a participant is matched to an
official already on record by any spelling of the name (meetings.names), and the day of each
meeting they attended is kept as a day the source shows them in that post (an attestation).

Loading twice changes nothing; a record an editor has changed since is left as it is
(datasets/loading/records.py). An official that the lines no longer give (two spellings merged
into one official in the data) is removed once no meeting names it, unless an editor changed it.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field

from django.utils.encoding import iri_to_uri
from django.utils.text import slugify

from datasets.loading import parsing
from datasets.loading.gazetteer import country_named
from datasets.loading.records import Loaded, Values, fingerprint, get_or_create, read
from datasets.loading.sco import MEETING, OFFICIAL, add_sourced_names
from meetings.dates import Precision, parse_partial
from meetings.models import (
    Attestation,
    Council,
    Country,
    Meeting,
    Official,
    Organization,
    Place,
    PlaceName,
    Position,
    Post,
    Source,
    State,
    Summit,
)
from meetings.names import names_alike, normalise_name

# The SCO bodies a line may name, by the data's wording.
SCO_BODIES = {
    "SCO Secretariat": "sco-secretariat",
    "Shanghai Cooperation Organisation (Secretariat, Beijing)": "sco-secretariat",
    "RATS Executive Committee": "rats-executive-committee",
    "SCO RATS (Tashkent)": "rats-executive-committee",
}
# How the data writes some countries, against the gazetteer's names.
# The languages of the officials' file's `native_name.script` codes, as the names' language is
# written elsewhere in the data.
SCRIPT_LANGUAGES = {"ru": "Russian", "zh": "Chinese", "tg": "Tajik", "ky": "Kyrgyz"}
COUNTRY_NAMES = {"Russian Federation": "Russia", "Iran (Islamic Republic of)": "Iran"}
COUNCILS = {
    "heads_of_state": Council.HEADS_OF_STATE,
    "heads_of_government": Council.HEADS_OF_GOVERNMENT,
}
# One wording for a post that the sources word several ways (compared in lower case).
POST_TITLES = {
    "foreign minister": "Minister of Foreign Affairs",
    "minister for foreign affairs": "Minister of Foreign Affairs",
    "defence minister": "Minister of Defence",
    "defense minister": "Minister of Defence",
    "minister of defense": "Minister of Defence",
    "interior minister": "Minister of Internal Affairs",
    "deputy foreign minister": "Deputy Minister of Foreign Affairs",
    "deputy interior minister": "Deputy Minister of Internal Affairs",
    "prosecutor general": "Prosecutor-General",
    "deputy prosecutor general": "Deputy Prosecutor-General",
    "emergency situations minister": "Minister of Emergency Situations",
    "deputy prime minister and foreign minister": (
        "Deputy Prime Minister and Minister of Foreign Affairs"
    ),
    "deputy prime minister - minister of foreign affairs": (
        "Deputy Prime Minister and Minister of Foreign Affairs"
    ),
    "security council secretary": "Secretary of the Security Council",
}


def post_title(text, organisation):
    """The post's title as the site words it: remarks in brackets, the country's name after
    "of" and the SCO body's name dropped; common variants made one."""
    title = re.sub(r"\s*\([^)]*\)\s*$", "", " ".join(text.split()))
    if organisation.country_id:
        title = re.sub(rf"\s+of\s+(the\s+)?{re.escape(organisation.country.name)}$", "", title)
    if organisation.slug == "rats-executive-committee":
        title = "Deputy Director" if title.lower().startswith("deputy") else "Director"
    if organisation.slug == "sco-secretariat" and re.search(r"secretary[- ]general", title, re.I):
        deputy = title.lower().startswith("deputy")
        title = "Deputy Secretary-General" if deputy else "Secretary-General"
    title = POST_TITLES.get(title.lower(), title)
    return title[:200]


def words(name):
    return re.findall(r"[^\W\d_]+", name)


def initials_fit(short, full):
    """Whether `short` ('D. Mezentsev', 'Mezentsev') is `full` ('Dmitry Mezentsev') shortened:
    the same surname, and only initials before it, each the first letter of a given name."""
    short_words, full_words = words(short), words(full)
    if len(full_words) < 2 or not short_words or len(short_words) > len(full_words):
        return False
    if normalise_name(short_words[-1]) != normalise_name(full_words[-1]):
        return False
    given = [word[0].lower() for word in full_words[:-1]]
    return all(len(word) == 1 and word.lower() in given for word in short_words[:-1])


def same_person(one, other):
    """Whether two Persons are one official written two ways: the same name in another
    transliteration (fuzzily only for longer names, where a letter or two cannot make another
    person), or initials and a surname that fit the other's full name; never two people of two
    different countries, and a bare surname only within one known country."""
    countries = {c for c in one.countries if c}, {c for c in other.countries if c}
    if all(countries) and not countries[0] & countries[1]:
        return False
    keys = {normalise_name(name) for name in [*one.names, *one.written]}
    if keys & {normalise_name(name) for name in [*other.names, *other.written]} - {""}:
        return True  # a page writes one's name as the other's
    for a in one.names:
        for b in other.names:
            key_a, key_b = normalise_name(a), normalise_name(b)
            if key_a == key_b or (min(len(key_a), len(key_b)) >= 10 and names_alike(a, b)):
                return True
            shorter, longer = sorted((a, b), key=lambda name: len(words(name)))
            bare = len(words(shorter)) == 1
            if initials_fit(shorter, longer) and (not bare or all(countries)):
                return True
    return False


def fill_blanks(source, values):
    """Give a source loaded earlier without a title, publisher or date the ones the record now
    gives; a value already there (an editor's) is kept."""
    blank = {
        name: value
        for name, value in values.items()
        if name in ("title", "publisher", "published_on") and value and not getattr(source, name)
    }
    if "published_on" in blank:
        blank["published_precision"] = values["published_precision"]
    if blank:
        Source.objects.filter(pk=source.pk).update(**blank)
        for name, value in blank.items():
            setattr(source, name, value)


def has_latin(text):
    return bool(re.search(r"[A-Za-z]", text or ""))


@dataclass
class Person:
    """One official as the record's lines give them, under one comparison key."""

    key: str
    names: list = field(default_factory=list)  # every `name` the lines give
    written: list = field(default_factory=list)  # every spelling the pages show
    countries: list = field(default_factory=list)
    posts: dict = field(default_factory=dict)  # post pk -> {"days": {date: source}, ...}
    notes: list = field(default_factory=list)
    languages: dict = field(default_factory=dict)  # native name -> its language, where labelled

    def display_name(self):
        """The name as a page writes it: the line's own name when a page shows it, else the
        fullest Latin-script spelling the pages show, else the line's name (a transliteration
        of a name the pages write only in another script)."""
        seen = {normalise_name(text) for text in self.written}
        for name in self.names:
            if normalise_name(name) in seen:
                return name
        latin = [text for text in self.written if has_latin(text) and len(text) <= 80]
        if latin:
            return max(latin, key=lambda text: (len(text.split()), "." not in text, len(text)))
        return self.names[0]


def merge(person, other):
    """Fold `other`'s names, spellings, countries, days in posts and sources into `person`."""
    for name in other.names:
        if name not in person.names:
            person.names.append(name)
    person.written += other.written
    person.countries += other.countries
    person.notes += other.notes
    person.languages = {**other.languages, **person.languages}
    for post, term in other.posts.items():
        mine = person.posts.setdefault(post, {"days": {}, "sources": []})
        mine["sources"] += term["sources"]
        for day, source in term["days"].items():
            mine["days"].setdefault(day, source)
        for end in ("start", "end"):
            if end in term and end not in mine:
                mine[end] = term[end]


def summit_relation(line):
    if line["body"].endswith("-sideline"):
        return "held on the summit's sidelines"
    return "preparations for the summit, as the source says"


class RecordLoader:
    """Loads data/record/ on top of what the main loader has loaded (its `loader`)."""

    def __init__(self, loader):
        self.loader = loader
        self.tally = loader.tally
        self.folder = loader.data_dir / "record"
        self.people = {}  # comparison key -> Person
        self.sources = {}  # address -> Source
        self.posts = {}  # (title, organisation pk) -> Post
        self.organisations = {}
        self.places = {}
        self.countries = {}
        self.pages = {}  # address -> what the meeting lines say of that page

    def lines(self, name):
        with open(self.folder / name, encoding="utf-8") as file:
            return [json.loads(line) for line in file if line.strip()]

    def meeting_lines(self):
        lines = []
        for path in sorted(self.folder.glob("*-meetings.jsonl")):
            lines += self.lines(path.name)
        return lines

    def run(self):
        if not self.folder.exists():
            return
        meetings = self.meeting_lines()
        self.pages = self.read_pages(meetings)
        self.read_officials()
        for line in meetings:
            self.read_participants(line)
        self.merge_people()
        officials = self.load_officials()
        loaded = Loaded(Meeting, MEETING, self.tally)
        for line in self.without_repeats(meetings):
            self.load_meeting(loaded, line, officials)
        self.retire_officials(officials)

    def without_repeats(self, lines):
        """The lines less those that repeat an earlier one: the same kind of meeting on the same
        day between the same two or more people (lines of two slices of the record). The
        earlier line takes the repeat's sources."""
        first = {}
        kept = []
        for line in lines:
            people = frozenset(
                self.people[normalise_name(p["name"])].key
                for p in line.get("participants") or []
                if p.get("name")
            )
            key = (line.get("start_date"), line.get("kind"), people)
            if len(people) >= 2 and key in first:
                known = {page["url"] for page in first[key].get("sources") or []}
                first[key]["sources"] += [
                    page for page in line.get("sources") or [] if page["url"] not in known
                ]
                continue
            first.setdefault(key, line)
            kept.append(line)
        return kept

    # Sources, countries, places, organisations and posts: created when missing.

    @staticmethod
    def read_pages(lines):
        """The title, publisher and date the meeting lines give each page, by address (the
        first line that gives each): the officials' file lists the same pages by address only."""
        pages = {}
        for line in lines:
            for page in line.get("sources") or []:
                known = pages.setdefault(iri_to_uri(page["url"]), {})
                for name in ("title", "publisher", "published_on"):
                    if page.get(name) and not known.get(name):
                        known[name] = page[name]
        return pages

    def source(self, page):
        # An address with non-ASCII letters (a Persian or Chinese path) kept as a URI.
        url = iri_to_uri(page["url"] if isinstance(page, dict) else page)
        if url not in self.sources:
            page = page if isinstance(page, dict) else {}
            # What a meeting line gives the page, else what data/sources.csv read on it.
            known = self.pages.get(url, {})
            described = self.loader.described.get(url, {})

            def given(name):
                return page.get(name) or known.get(name) or described.get(name) or ""

            published_on, precision = parse_partial(given("published_on"))
            values = {
                "title": given("title")[:300],
                "publisher": given("publisher")[:200],
                "published_on": published_on,
                "published_precision": precision,
            }
            source, created = get_or_create(Source, self.tally, url=url, defaults=values)
            if not created:
                fill_blanks(source, values)
            self.sources[url] = source
        return self.sources[url]

    def country(self, name):
        """The Country of `name`, made from the gazetteer when not yet on record; None if
        the gazetteer does not know it either."""
        if not name:
            return None
        name = COUNTRY_NAMES.get(name, name)
        if name in self.countries:
            return self.countries[name]
        found = self.loader.countries.get(name) or Country.objects.filter(name=name).first()
        if found is None:
            found = country_named(name, self.tally)
        self.countries[name] = found
        return found

    def place(self, city, country):
        if not city or country is None:
            return None
        key = (city, country.pk)
        if key not in self.places:
            place = (
                Place.objects.filter(country=country, name=city).first()
                or Place.objects.filter(
                    country=country, pk__in=PlaceName.objects.filter(name=city).values("place")
                ).first()
            )
            if place is None:
                slug = slugify(city)
                if Place.objects.filter(slug=slug).exclude(country=country).exists():
                    slug = f"{slug}-{country.iso_code.lower()}"
                place, _ = get_or_create(
                    Place, self.tally, slug=slug, defaults={"name": city, "country": country}
                )
            self.places[key] = place
        return self.places[key]

    def organisation(self, name, country):
        """The body a post belongs to: an SCO body by name, another named body, or the
        government of the participant's country."""
        if name in SCO_BODIES:
            slug, defaults = SCO_BODIES[name], {"name": name, "kind": Organization.Kind.SCO_BODY}
        elif name:
            slug, defaults = slugify(name)[:50], {"name": name[:200], "kind": "other"}
        elif country is not None:
            slug = f"{country.slug}-government"
            defaults = {
                "name": f"Government of {country.name}",
                "short_name": country.name,
                "kind": Organization.Kind.NATIONAL,
                "country": country,
            }
        else:
            return None
        if slug not in self.organisations:
            existing = Organization.objects.filter(slug=slug).first()
            existing = existing or Organization.objects.filter(name=defaults["name"]).first()
            if existing is None:
                existing, _ = get_or_create(Organization, self.tally, slug=slug, defaults=defaults)
            self.organisations[slug] = existing
        return self.organisations[slug]

    def post(self, title, organisation):
        title = post_title(title, organisation)
        key = (title.casefold(), organisation.pk)
        if key not in self.posts:
            post = Post.objects.filter(organization=organisation, title__iexact=title).first()
            if post is None:
                slug = slugify(f"{organisation.slug} {title}")[:50]
                post, _ = get_or_create(
                    Post,
                    self.tally,
                    slug=slug,
                    defaults={"title": title, "organization": organisation},
                )
            self.posts[key] = post
        return self.posts[key]

    # Officials.

    def person(self, name):
        key = normalise_name(name)
        if key not in self.people:
            self.people[key] = Person(key)
        person = self.people[key]
        if name not in person.names:
            person.names.append(name)
        return person

    def read_officials(self):
        """The terms of office the officials' file gives, with their sources."""
        for line in self.lines("officials.jsonl"):
            person = self.person(line["name"])
            person.written += line.get("as_written") or []
            native = line.get("native_name") or {}
            if native.get("value") and native.get("script") in SCRIPT_LANGUAGES:
                person.languages[native["value"]] = SCRIPT_LANGUAGES[native["script"]]
            person.countries.append(line.get("country"))
            if line.get("notes"):
                person.notes.append(line["notes"])
            confirmed = line.get("confidence") == "confirmed"
            for held in line.get("positions") or []:
                organisation = self.organisation(
                    held.get("organisation"), self.country(held.get("country"))
                )
                if organisation is None or not held.get("position"):
                    continue
                post = self.post(held["position"], organisation)
                urls = held.get("sources") or []
                term = person.posts.setdefault(post.pk, {"days": {}, "sources": []})
                term["sources"] += [self.source(url).pk for url in urls]
                if confirmed:
                    term["start"] = parse_partial(held.get("start"))
                    term["end"] = parse_partial(held.get("end"), end=True)
                for day in held.get("attested") or []:
                    date, precision = parse_partial(day)
                    if precision == Precision.DAY:
                        term["days"].setdefault(date, self.attesting_source(date, urls))

    def attesting_source(self, day, urls):
        """The pk of the one listed page dated `day` (by its address or its date), or of the
        only page listed; else None: the line does not say which page shows that day."""
        dated = [
            url
            for url in urls
            if parsing.day_in_address(day, url) or self.source(url).published_on == day
        ]
        if len(dated) == 1:
            return self.source(dated[0]).pk
        return self.source(urls[0]).pk if len(urls) == 1 else None

    def read_participants(self, line):
        """Each participant as one more day in their post, on the meeting's first day."""
        start, precision = parse_partial(line.get("start_date"))
        for participant in line.get("participants") or []:
            if not participant.get("name"):
                continue
            person = self.person(participant["name"])
            person.written += participant.get("as_written") or []
            person.countries.append(participant.get("country"))
            country = self.country(participant.get("country"))
            organisation = self.organisation(participant.get("organisation"), country)
            if organisation is None or not participant.get("position"):
                continue
            post = self.post(participant["position"], organisation)
            participant["post"] = post
            term = person.posts.setdefault(post.pk, {"days": {}, "sources": []})
            main = self.source(line["sources"][0]) if line.get("sources") else None
            if main:
                term["sources"].append(main.pk)
            if start and precision == Precision.DAY and line.get("confidence") == "confirmed":
                if term["days"].get(start) is None:
                    term["days"][start] = main and main.pk  # the meeting's page shows them

    def merge_people(self):
        """One Person for each official the lines write in several ways (same_person)."""
        people = list(self.people.values())
        merged_into = {}
        for i, person in enumerate(people):
            for other in people[:i]:
                target = merged_into.get(other.key, other)
                if target is not person and same_person(person, target):
                    merge(target, person)
                    merged_into[person.key] = target
                    break
        for key, target in merged_into.items():
            self.people[key] = target

    def load_officials(self):
        """Sync every person to an Official; returns {comparison key: Official}."""
        known = {}
        for official in Official.objects.prefetch_related("names"):
            for name in [official.name, *(n.name for n in official.names.all())]:
                known.setdefault(normalise_name(name), official)
        loaded = Loaded(Official, OFFICIAL, self.tally)
        officials = {}
        done = {}
        for key, person in self.people.items():
            if person.key in done:
                officials[key] = done[person.key]
                continue
            existing = next(
                (known[normalise_name(n)] for n in person.names if normalise_name(n) in known), None
            )
            if (
                existing is not None
                and existing.data_key
                and not existing.data_key.startswith("record:")
            ):
                # On record from the main tables: the record adds the days it shows them.
                self.add_days(existing, person)
                officials[key] = done[person.key] = existing
                continue
            officials[key] = done[person.key] = self.sync_official(loaded, person)
        return officials

    def retire_officials(self, officials):
        """Remove the officials an earlier load made from lines that no longer give them: two
        spellings of one person merged in the data since, whose meetings the load has just
        repointed to the official they were merged into. One an editor has changed, or that a
        meeting still names (a meeting an editor changed or made), is kept for an editor to
        merge (editorial.services.merge_officials); `check_sco_data` names the pair."""
        current = {official.pk for official in officials.values()}
        stale = (
            Official.objects.filter(data_key__startswith="record:")
            .exclude(pk__in=current)
            .prefetch_related("sources", "names", "positions__sources", "positions__attestations")
        )
        for official in stale:
            edited = fingerprint(read(official, OFFICIAL), OFFICIAL) != official.data_fingerprint
            if edited or official.participations.exists():
                self.tally.add(Official, "kept (edited)" if edited else "kept (still named)")
                continue
            official.delete()
            self.tally.add(Official, "removed")

    def add_days(self, official, person):
        for post_pk, term in person.posts.items():
            position = Position.objects.filter(official=official, post_id=post_pk).first()
            if position is None:
                position, _ = get_or_create(
                    Position, self.tally, official=official, post_id=post_pk
                )
            for day, source in term["days"].items():
                get_or_create(
                    Attestation,
                    self.tally,
                    position=position,
                    date=day,
                    defaults={"source_id": source},
                )

    def sync_official(self, loaded, person):
        name = person.display_name()[:200]
        # A name the pages write only in another script has no Latin letters to slug.
        slug = (
            slugify(name)[:50] or f"official-{hashlib.sha256(person.key.encode()).hexdigest()[:8]}"
        )
        nationality = next(
            (self.country(country) for country in person.countries if self.country(country)), None
        )
        others = {}
        for text in [*person.names, *person.written]:
            text = " ".join(text.split())[:200]
            if text and text != name and text.casefold() not in {n.casefold() for n in others}:
                kind = "spelling" if has_latin(text) else "native"
                language = person.languages.get(text, "")
                others[text] = Values(
                    fields={"name": text, "kind": kind, "language": language, "note": ""}
                )
        add_sourced_names(others, self.loader.sourced_names.get(name, []))
        positions = []
        sources = []
        for post_pk, term in person.posts.items():
            start, start_precision = term.get("start") or (None, Precision.DAY)
            end, end_precision = term.get("end") or (None, Precision.DAY)
            if start and end and end < start:
                start = end = None
            sources += term["sources"]
            positions.append(
                Values(
                    fields={
                        "post_id": post_pk,
                        "start_date": start,
                        "start_precision": start_precision,
                        "end_date": end,
                        "end_precision": end_precision,
                        "notes": "",
                    },
                    m2m={"sources": sorted(set(term["sources"]))},
                    children={
                        "attestations": [
                            Values(fields={"date": day, "note": "", "source_id": source})
                            for day, source in sorted(term["days"].items())
                        ]
                    },
                )
            )
        notes = list(dict.fromkeys(person.notes))
        if not any(
            normalise_name(n) in {normalise_name(w) for w in person.written} for n in [name]
        ):
            spelled = ", ".join(dict.fromkeys(person.written)) or "no spelling"
            notes.append(
                f"The sources write this name as: {spelled}. "
                "The English spelling is a transliteration."
            )
        values = Values(
            fields={
                "name": name,
                "slug": slug,
                "nationality_id": nationality and nationality.pk,
                "notes": "\n\n".join(notes),
                "state": State.PUBLISHED,
            },
            m2m={"sources": sorted(set(sources))},
            children={"names": list(others.values()), "positions": positions},
        )
        key = f"record:{person.key}"
        number = 1
        while Official.objects.filter(slug=values.fields["slug"]).exclude(data_key=key).exists():
            number += 1  # another official of the same name
            values.fields["slug"] = f"{slug[:45]}-{number}"
        return loaded.sync(key, values, identity={"slug": values.fields["slug"]})

    # Meetings.

    def summit(self, link, start):
        if not link or link.get("council") not in COUNCILS:
            return None
        summits = Summit.objects.filter(
            council=COUNCILS[link["council"]], start_date__year=link.get("year") or start.year
        )
        return summits.order_by("start_date").first()

    def load_meeting(self, loaded, line, officials):
        start, precision = parse_partial(line.get("start_date"))
        if start is None:
            return  # no date on record: nothing to show on a dated list
        end, end_precision = parse_partial(line.get("end_date") or line.get("start_date"), end=True)
        if end < start:
            end = start
        country = None if line.get("videoconference") else self.country(line.get("country"))
        place = self.place(line.get("city"), country)
        participations = {}
        for participant in line.get("participants") or []:
            if not participant.get("name"):
                continue
            official = officials[normalise_name(participant["name"])]
            post = participant.get("post")
            position = post and Position.objects.filter(official=official, post=post).first()
            p_country = self.country(participant.get("country"))
            organisation = participant.get("organisation")
            participations[official.pk] = Values(
                fields={
                    "official_id": official.pk,
                    "capacity": (participant.get("position") or "")[:300],
                    "position_id": position and position.pk,
                    "country_id": p_country and p_country.pk,
                    "organization_id": self.organisation(organisation, None).pk
                    if organisation
                    else None,
                }
            )
        sources = [self.source(page).pk for page in line.get("sources") or []]
        topics = "; ".join(line.get("topics") or [])
        summary = [f"Topics: {topics}." if topics else ""]
        if line.get("notes"):
            summary.append(f"Notes on the sources: {line['notes']}")
        date_note = line.get("date_note") or ""
        if len(date_note) > 300:
            summary.append(f"On the date: {date_note}")
            date_note = date_note[:297] + "…"
        publish = line.get("confidence") == "confirmed" and sources
        summit = self.summit(line.get("summit"), start)
        slug = slugify(f"{start:%Y-%m-%d} {line['title']}")[:190]
        values = Values(
            fields={
                "title": line["title"][:300],
                "slug": slug,
                "kind": line["kind"] if line["kind"] in Meeting.Kind.values else Meeting.Kind.OTHER,
                "start_date": start,
                "end_date": end,
                "date_precision": precision,
                "date_note": date_note,
                "place_id": place and place.pk,
                "country_id": country and country.pk,
                "summary": "\n\n".join(part for part in summary if part),
                "summit_id": summit and summit.pk,
                "summit_relation": summit_relation(line) if summit else "",
                "state": State.PUBLISHED if publish else State.DRAFT,
            },
            m2m={"topics": [], "sources": sources},
            children={"participations": list(participations.values())},
        )
        loaded.sync(f"record:{line['id']}", values, identity={"slug": slug})
