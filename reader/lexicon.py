"""What the reader knows from the database, read in a fixed number of queries."""

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from django.db.models import Prefetch

from meetings.models import (
    Country,
    Official,
    Place,
    Position,
    Post,
    Source,
    Summit,
    Topic,
)
from reader.people import ADJECTIVES, NOT_A_NAME, title_rule
from reader.text import fold, name_regex


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
