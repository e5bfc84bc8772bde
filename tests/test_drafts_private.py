"""Drafts are private on every public surface.

A canary draft of each kind (with a distinctive title, other spelling and notes) is attached to
published records where the site allows it. Every public URL pattern, walked from the resolver
(pages, API, downloads, calendars, feeds, insights), is requested as an anonymous reader and as
a staff user without permissions: the canary never shows, and a draft's slug, in the address or
in a filter, gets the answer an unknown slug gets.
"""

import datetime
import re
from urllib.parse import quote, quote_plus

import django_filters
import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from initiatives.models import Initiative
from insights import tables
from meetings.models import Country, Meeting, Official, State, Summit
from public.exports import FORMATS
from public.registry import kinds
from tests.factories import (
    make_country,
    make_initiative,
    make_meeting,
    make_official,
    make_official_name,
    make_participation,
    make_staff,
    make_summit,
)
from tests.routes import fill, routes

PUBLISHED = State.PUBLISHED
CANARY = "zyxwv"
OTHER_SPELLING = "Kanari"
# A draft's slug, and an unknown slug of the same shape.
DRAFT_SLUGS = {
    Country: ("qz", "qy"),
    Official: ("canary-official", "unknown-official"),
    Summit: ("canary-summit", "unknown-summit"),
    Initiative: ("canary-initiative", "unknown-initiative"),
    Meeting: ("canary-meeting", "unknown-meeting"),
}
PUBLISHED_SLUGS = ["kz", "zhang-ming", "astana-2024", "shared-market", "talks-in-astana"]
# Sample values of each path parameter; a new parameter needs its own here.
PATH_VALUES = {
    "slug": PUBLISHED_SLUGS,
    "fmt": [*FORMATS, "xml"],
    "a": ["kz", "sco-secretariat"],
    "b": ["cn"],
    "day": ["2024-05-02"],
    "chart": list(tables.NUMBERS),
    "param": ["country", "participant_country", "official", "topic", "initiative", "summit"],
}
# Parameters whose values may name a record by its slug.
SLUG_PARAMS = {"slug", "a", "b"}


@pytest.fixture
def canaries(db):
    """Published records with canary drafts attached where an editor could attach them."""
    kz = make_country(iso_code="KZ", slug="kz", name="Kazakhstan", state=PUBLISHED)
    make_country(iso_code="CN", slug="cn", name="China", state=PUBLISHED)
    zhang = make_official(name="Zhang Ming", slug="zhang-ming", state=PUBLISHED)
    summit = make_summit(slug="astana-2024", host_country=kz, state=PUBLISHED)

    draft_country = make_country(
        iso_code="QZ", slug="qz", name=f"{CANARY}land", notes=f"{CANARY} country notes"
    )
    draft_official = make_official(
        name=f"{CANARY} Official", slug="canary-official", notes=f"{CANARY} official notes"
    )
    make_official_name(official=draft_official, name=f"{OTHER_SPELLING} {CANARY}")
    draft_summit = make_summit(
        slug="canary-summit", host_country=kz, notes=f"{CANARY} summit notes", number=99
    )
    draft_initiative = make_initiative(
        title=f"{CANARY} accord", slug="canary-initiative", summary=f"{CANARY} initiative notes"
    )
    make_meeting(
        title=f"{CANARY} talks",
        slug="canary-meeting",
        summary=f"{CANARY} meeting notes",
        country=kz,
        summit=summit,
    )

    meeting = make_meeting(
        title="Talks in Astana", slug="talks-in-astana", country=draft_country, summit=draft_summit,
        start_date=datetime.date(2024, 5, 2), state=PUBLISHED,
    )  # fmt: skip
    make_participation(meeting=meeting, official=zhang, country=kz)
    make_participation(meeting=meeting, official=draft_official, country=kz)
    make_participation(
        meeting=meeting, official=make_official(state=PUBLISHED), country=draft_country
    )
    make_summit(slug="in-canaryland", host_country=draft_country, chair_country=draft_country,
                state=PUBLISHED, start_date=datetime.date(2024, 5, 2))  # fmt: skip
    draft_initiative.meetings.add(meeting)
    make_initiative(
        title="Shared market", slug="shared-market", adopted_at=draft_summit, state=PUBLISHED,
        meetings=[meeting], proposed_by=[kz, draft_country],
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    # Each test asks the API more often in a minute than a visitor may.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}
    cache.clear()


@pytest.fixture(params=["anonymous", "staff without permissions"])
def reader(request, client, db):
    if request.param != "anonymous":
        client.force_login(User.objects.create_user("no-permissions", is_staff=True))
    return client


def addresses():
    """Every route filled in with published records' slugs and drafts' slugs."""
    drafts = [draft for draft, _ in DRAFT_SLUGS.values()]
    values = {name: [*PATH_VALUES[name], *drafts] for name in SLUG_PARAMS}
    return [address for route in routes() for address in fill(route, {**PATH_VALUES, **values})]


def without_parameters():
    return [route for route in routes() if "{" not in route]


def text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def answer(client, address, given, placeholder="GIVEN"):
    """The status and text of the answer, `given` written as a placeholder."""
    response = client.get(address)
    assert response.status_code < 500, address
    body = text(response)
    # A download's name carries the day; a calendar's events are stamped when they are made.
    body = re.sub(r"DTSTAMP:\S+", "DTSTAMP", body)
    body = re.sub(r"<updated>[^<]*</updated>", "<updated/>", body)  # an empty feed's: now
    # The language switcher's links carry the whole address, quoted once more.
    for written in (quote(quote_plus(given), safe=""), given, quote_plus(given), quote(given)):
        body = body.replace(written, placeholder)
    return response.status_code, body


def assert_no_canary(address, body):
    assert CANARY not in body.lower(), address
    # A page may quote the address it was asked for ("There is no country 'canary-…'").
    if "canary-" not in address:
        assert "canary-" not in body, address


def slug_filters():
    """(parameter, model) of every filter that names records by slug, across the kinds."""
    found = set()
    for kind in kinds().values():
        for name, found_filter in kind.listing.filterset_class.base_filters.items():
            if isinstance(found_filter, django_filters.ModelMultipleChoiceFilter):
                model = found_filter.queryset.model
                if model in DRAFT_SLUGS:
                    found.add((name, model))
    return sorted(found, key=lambda pair: pair[0])


def test_every_route_is_walked():
    found = routes()
    for route in ("/meetings/{slug}/", "/api/meetings/{slug}/", "/meetings.ics",
                  "/initiatives/feed/", "/relations/{a}/{b}/", "/numbers/{chart}.csv"):  # fmt: skip
        assert route in found


def test_the_filters_naming_records_are_found():
    params = {name for name, _ in slug_filters()}
    assert {"official", "initiative", "summit", "country", "adopted_at"} <= params


def test_no_public_address_shows_a_draft(canaries, reader):
    for address in addresses():
        response = reader.get(address)
        assert response.status_code < 500, address
        assert_no_canary(address, text(response))
        if "canary-" in address or "/qz/" in address:
            assert response.status_code == 404, address


def test_a_drafts_address_answers_as_an_unknown_ones(canaries, reader):
    for route in routes():
        names = set(re.findall(r"{(\w+)}", route))
        for name in names & SLUG_PARAMS:
            for draft, unknown in DRAFT_SLUGS.values():
                values = {**PATH_VALUES, name: [draft]}
                others = {**PATH_VALUES, name: [unknown]}
                for address, other in zip(fill(route, values), fill(route, others), strict=True):
                    assert answer(reader, address, draft) == answer(reader, other, unknown), address


def test_a_filter_naming_a_draft_answers_as_for_an_unknown_slug(canaries, reader):
    for address in without_parameters():
        for param, model in slug_filters():
            draft, unknown = DRAFT_SLUGS[model]
            status, body = answer(reader, f"{address}?{param}={draft}", draft)
            assert (status, body) == answer(reader, f"{address}?{param}={unknown}", unknown), (
                f"{address}?{param}={draft}"
            )
            assert_no_canary(address, body)


def assert_searches_alike(client, address):
    for words in (OTHER_SPELLING, f"{CANARY} talks", f"{CANARY}land"):
        given = f"{address}?q={words.replace(' ', '+')}"
        unknown = f"{address}?q=unheard"
        assert answer(client, given, words) == answer(client, unknown, "unheard"), given


def test_searching_a_drafts_words_finds_what_an_unknown_word_finds(canaries, reader):
    for address in without_parameters():
        if address != "/search/":
            assert_searches_alike(reader, address)


def test_site_search_finds_nothing_by_a_draft_participants_name(canaries, client):
    assert_searches_alike(client, "/search/")


def test_a_draft_is_previewed_only_by_who_may_view_it_and_never_cached(canaries, client):
    address = "/meetings/canary-meeting/"
    assert client.get(address).status_code == 404
    client.force_login(User.objects.create_user("no-permissions", is_staff=True))
    assert client.get(address).status_code == 404

    client.force_login(make_staff("Editors"))
    response = client.get(address)
    assert response.status_code == 200
    assert f"{CANARY} talks" in response.text
    assert response["Cache-Control"] == "private, no-store"


def test_a_public_page_for_an_anonymous_reader_stays_cacheable(canaries, client):
    response = client.get("/meetings/talks-in-astana/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
