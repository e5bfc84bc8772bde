"""What the reader knows from the database, built once and kept while the records stay the same.

`load_lexicon()` reads the officials (their names, other spellings, positions and attested
days, as plain values: no model instance for each of 10,000 officials), the posts, places,
summits, initiatives, topics and sources in twelve queries, and keeps the result in the process
under the records' generation (meetings.models.CacheGeneration, the one the page cache files its
pages under: every change to a record takes a new one in the change's own transaction). The
next reading asks the database one small question, the generation, and reads with the same
lexicon while it is unchanged; after an edit, the first reading builds it again. A change made
outside the site (in psql) takes no new generation: `manage.py retire_cached_pages` gives one.
"""

import functools
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from django.db import connections, router

from meetings.models import (
    Attestation,
    CacheGeneration,
    Country,
    Official,
    OfficialName,
    Place,
    Position,
    Post,
    Source,
    Summit,
    Topic,
)
from meetings.names import normalise_name
from reader.initiatives import descriptions, forms_of_all
from reader.people import ADJECTIVES, NOT_A_NAME, initials, name_words, title_rule
from reader.places import gazetteer
from reader.text import FormIndex, compiled, fold

# Keys of names, kept between lexicons (pure functions of the name; enough for the demo data
# set's 10,000 officials): a lexicon built again after an edit computes only the new names'.
folded = functools.lru_cache(maxsize=2**16)(fold)


@functools.lru_cache(maxsize=2**16)
def spelling_keys(form):
    """`form` as `spelled_alike` compares it: its key, the key of its words sorted (None for a
    single word) and their sorted initials."""
    words = name_words(form)
    if len(words) < 2:
        return normalise_name(form), None, ""
    return normalise_name(form), normalise_name(" ".join(sorted(words))), initials(words)


PREPARED = (
    "positions_by_post", "fuller", "name_forms", "name_index", "spelling_choices",
    "surname_choices", "order",
    "surnames", "surnames_of", "place_forms", "place_pattern", "title_rules", "title_tail_pattern",
    "initiative_forms", "initiative_descriptions",
)  # fmt: skip


@dataclass(eq=False)
class OfficialEntry:
    """An official as the reader knows them: the names to find and the posts held."""

    pk: int
    name: str
    slug: str
    forms: tuple = ()  # the name and every other spelling
    positions: list = field(default_factory=list)

    def __str__(self):
        return self.name

    def instance(self):
        """The official as a model instance holding the name and slug (no query)."""
        return Official.from_db(None, ["id", "name", "slug"], [self.pk, self.name, self.slug])


@dataclass(eq=False)
class PositionEntry:
    pk: int
    official: OfficialEntry
    post: Post
    start_date: object
    end_date: object
    attested: list = field(default_factory=list)  # days a source shows the official in the post

    @property
    def post_id(self):
        return self.post.pk

    def on_record(self, start, end):
        """As `Position.on_record()`: a term covering a day from `start` to `end`, or an
        attested day in it."""
        if self.start_date and self.start_date <= end:
            if self.end_date is None or self.end_date >= start:
                return True
        return any(start <= day <= end for day in self.attested)

    def instance(self):
        """The position as a model instance with its post (no query)."""
        fields = ["id", "official_id", "post_id", "start_date", "end_date"]
        values = [self.pk, self.official.pk, self.post.pk, self.start_date, self.end_date]
        position = Position.from_db(None, fields, values)
        position.post = self.post
        return position


@dataclass(eq=False)
class Lexicon:
    """What the database knows, loaded once; `read_article()` asks it no more questions."""

    officials: list  # OfficialEntry, by name
    posts: list
    places: list
    countries: list
    summits: list
    initiatives: list
    topics: list
    publishers: dict  # host -> publisher, from the sources on record
    source_urls: set

    def prepare(self):
        """Builds the look-ups every reading uses, so that a reading does not pay for them (and
        loads the gazetteer, once a process)."""
        for name in PREPARED:
            getattr(self, name)
        gazetteer()

    @cached_property
    def positions_by_post(self):
        by_post = defaultdict(list)
        for official in self.officials:
            for position in official.positions:
                by_post[position.post.pk].append(position)
        return by_post

    @cached_property
    def name_forms(self):
        """{casefolded form: [officials]} for every name and other spelling of an official."""
        forms = defaultdict(list)
        for official in self.officials:
            for name in set(official.forms):
                key = folded(name)
                if len(key) >= 4 and official not in forms[key]:
                    forms[key].append(official)
        return forms

    @cached_property
    def name_index(self):
        """The name forms, to find in a text without one pattern of 30,000 names."""
        return FormIndex(self.name_forms)

    @cached_property
    def spelling_choices(self):
        """The officials' names as `spelled_alike` compares them, for a fuzzy look-up of a name
        not on record (reader.people.officials_spelled_alike): (keys, [(key, official, form)])
        of the whole names, and {initials: (keys, [(key, official, form, initials)])} of the
        names with their words sorted, by the sorted initials of their words."""
        whole, sorted_words = [], []
        for official in self.officials:
            for form in dict.fromkeys(official.forms):
                key, sorted_key, sorted_initials = spelling_keys(form)
                whole.append((key, official, form))
                if sorted_key is not None:
                    sorted_words.append((sorted_key, official, form, sorted_initials))
        by_initials = defaultdict(list)
        for choice in sorted_words:
            by_initials[choice[3]].append(choice)
        return (
            ([key for key, *_ in whole], whole),
            {
                initials: ([key for key, *_ in choices], choices)
                for initials, choices in by_initials.items()
            },
        )

    @cached_property
    def initiative_forms(self):
        return forms_of_all(self.initiatives)

    @cached_property
    def initiative_descriptions(self):
        return descriptions(self)

    @cached_property
    def order(self):
        return {official.pk: i for i, official in enumerate(self.officials)}

    @cached_property
    def surnames(self):
        """{surname: [(official, initials)]} from the Latin-script names, for 'R. Alimov'."""
        surnames = defaultdict(list)
        for official in self.officials:
            for name in set(official.forms):
                words = re.findall(r"[A-Za-z][\w'’-]*", name)
                if len(words) >= 2 and len(words[-1]) >= 3 and words[-1][0].isupper():
                    # 'Kh' may be printed 'H', 'Zh' 'J', 'Ye' 'E' ('H. Noziri', Khusrav Noziri)
                    for initial in dict.fromkeys(
                        [words[0][0].upper(), normalise_name(words[0])[:1].upper()]
                    ):
                        if initial and (official, initial) not in surnames[words[-1]]:
                            surnames[words[-1]].append((official, initial))
        return surnames

    @cached_property
    def surname_choices(self):
        """{initial: (keys, [(surname, official)])} of `surnames`, the keys as `names_alike`
        compares them, for a fuzzy look-up of 'H. Ruhani' (reader.people)."""
        by_initial = defaultdict(list)
        for surname, entries in self.surnames.items():
            for official, initial in entries:
                by_initial[initial].append((surname, official))
        return {
            initial: ([normalise_name(surname) for surname, _ in choices], choices)
            for initial, choices in by_initial.items()
        }

    @cached_property
    def fuller(self):
        """{official pk: official} for an official on record by a surname or initials only
        ('Kasymov', 'V. Kasymov') who is the one official of that surname and initial on record
        in full ('Vyacheslav Kasymov') in one of the same posts: the same person, read as the
        fuller record."""
        by_surname = defaultdict(list)
        for official in self.officials:
            words = official.name.replace(".", ". ").split()
            if words:
                by_surname[words[-1]].append((official, words))
        fuller = {}
        for entries in by_surname.values():
            if len(entries) < 2:
                continue
            full = [(o, w) for o, w in entries if len(w) >= 2 and len(w[0].rstrip(".")) > 1]
            for official, words in entries:
                if len(words) >= 2 and len(words[0].rstrip(".")) > 1:
                    continue  # a first name in full
                posts = {p.post.pk for p in official.positions}
                same = [
                    o
                    for o, w in full
                    if (len(words) == 1 or w[0][0] == words[0][0])
                    and posts & {p.post.pk for p in o.positions}
                ]
                if len(same) == 1:
                    fuller[official.pk] = same[0]
        return fuller

    @cached_property
    def surnames_of(self):
        """{official pk: {surnames}}, the other way round."""
        of = defaultdict(set)
        for surname, pairs in self.surnames.items():
            for official, _ in pairs:
                of[official.pk].add(surname)
        return of

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
        """The places' names, to find in a text (`finditer`)."""
        return FormIndex(self.place_forms)

    @cached_property
    def title_rules(self):
        return [title_rule(post) for post in self.posts]

    @cached_property
    def title_tail(self):
        """Regex for ' of the Kyrgyz Republic' after a title: words of bodies and countries."""
        # not a single letter: 'of Afghanistan A. Saleh' ends at the country
        words = sorted(
            {w for w in NOT_A_NAME | self.country_words if len(w) > 1}, key=len, reverse=True
        )
        word = "(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w'-])"
        return rf"(?:\s+of\s+(?:the\s+)?{word}(?:\s+(?:of\s+(?:the\s+)?)?{word})*)?"

    @cached_property
    def title_tail_pattern(self):
        return compiled(self.title_tail, 0)

    @cached_property
    def country_words(self):
        words = set()
        for country in self.countries:
            words.update(country.name.split())
            words.update(re.sub(r"\(.*?\)", "", ADJECTIVES.get(country.name, "")).split())
        return words


def generation():
    """The records' generation (this causes a SQL query); None when none has been taken."""
    db = router.db_for_read(CacheGeneration)
    with connections[db].cursor() as cursor:
        cursor.execute(f"SELECT value FROM {CacheGeneration._meta.db_table} ORDER BY id LIMIT 1")
        row = cursor.fetchone()
    return (db, row[0]) if row else None


# (generation, lexicon) of the last generation read, one a process: replaced as a whole, so that
# a thread never pairs a new generation with the lexicon of an older one.
kept = {"current": (None, None)}
building = threading.Lock()


def load_lexicon():
    """The lexicon of the records as they are now: kept from an earlier reading while the
    generation is the same (one query), built again (twelve queries) when it has changed."""
    now = generation()
    kept_generation, lexicon = kept["current"]
    if now is not None and kept_generation == now:
        return lexicon
    with building:
        kept_generation, lexicon = kept["current"]
        if now is not None and kept_generation == now:
            return lexicon  # built by another thread meanwhile
        lexicon = build_lexicon()
        lexicon.prepare()
        if now is not None:
            kept["current"] = (now, lexicon)
        return lexicon


def forget_lexicon():
    """Drops the kept lexicon: the next reading builds one (for measuring the build)."""
    kept["current"] = (None, None)


def build_lexicon():
    """Everything the reader needs, in twelve queries however much the database holds."""
    from initiatives.models import Initiative

    officials = {
        pk: OfficialEntry(pk, name, slug)
        for pk, name, slug in Official.objects.order_by("name", "id").values_list(
            "id", "name", "slug"
        )
    }
    forms = defaultdict(list)
    for official_id, name in OfficialName.objects.order_by().values_list("official_id", "name"):
        forms[official_id].append(name)
    for official in officials.values():
        official.forms = (official.name, *forms.get(official.pk, ()))
    attested = defaultdict(list)
    for position_id, day in Attestation.objects.order_by().values_list("position_id", "date"):
        attested[position_id].append(day)
    posts = list(Post.objects.select_related("organization__country"))
    post_by_pk = {post.pk: post for post in posts}
    rows = Position.objects.order_by("start_date", "id").values_list(
        "id", "official_id", "post_id", "start_date", "end_date"
    )
    for pk, official_id, post_id, start, end in rows:
        official = officials[official_id]
        official.positions.append(
            PositionEntry(pk, official, post_by_pk[post_id], start, end, attested.get(pk, []))
        )
    publishers = {}
    source_urls = set()
    for url, publisher in Source.objects.values_list("url", "publisher"):
        source_urls.add(url)
        host = urlsplit(url).netloc.removeprefix("www.")
        if publisher and host:
            publishers.setdefault(host, publisher)
    return Lexicon(
        officials=list(officials.values()),
        posts=posts,
        places=list(Place.objects.select_related("country").prefetch_related("names")),
        countries=list(Country.objects.all()),
        summits=list(Summit.objects.select_related("place").order_by("start_date", "id")),
        initiatives=list(Initiative.objects.select_related("adopted_at__place").order_by("id")),
        topics=list(Topic.objects.all()),
        publishers=publishers,
        source_urls=source_urls,
    )
