"""XSS payloads saved through the admin by an editor make nothing a reader's browser would run.

Each payload of OWASP's XSS Filter Evasion cheat sheet (the markup and script-URL lines of
tests/data/owasp_inputs.txt) goes through a real admin change form into the long Markdown text
and into the short name or title of a published record. Its page, the lists, the search and the
feeds are then read as HTML: no script of the payload's, no on* attribute, no javascript:, data:
or vbscript: address, no frame, object or embed, and no more <svg> or <style> than before.
"""

import xml.etree.ElementTree as ET

import pytest

from initiatives.models import Initiative
from meetings.models import Country, Meeting, Official, State, Summit
from meetings.text import strip_html
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    make_country,
    make_initiative,
    make_meeting,
    make_official,
    make_participation,
    make_staff,
    make_summit,
    with_source,
)
from tests.markup import unsafe_markup, xss_payloads

PAYLOADS = xss_payloads()
# The short field and the long Markdown fields an editor fills in on each record's form.
FIELDS = {
    Meeting: ("title", ["summary"]),
    Official: ("name", ["notes"]),
    Country: ("name", ["notes"]),
    Initiative: ("title", ["summary", "notes"]),
    Summit: ("chair", ["outcomes", "notes"]),
}
PUBLIC_PAGES = [
    "/meetings/?per_page=100",
    "/summits/?per_page=100",
    "/officials/?per_page=100",
    "/countries/?per_page=100",
    "/initiatives/?per_page=100",
    "/search/?q=Marker",
    "/",
]
FEEDS = ["/meetings/feed/", "/initiatives/feed/"]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def records(db):
    summit = make_summit(state=State.PUBLISHED)
    country = make_country(state=State.PUBLISHED)
    official = make_official(state=State.PUBLISHED, nationality=country)
    meeting = make_meeting(state=State.PUBLISHED, country=country, summit=summit)
    make_participation(meeting=meeting, official=official)
    initiative = make_initiative(state=State.PUBLISHED, adopted_at=summit)
    initiative.meetings.add(meeting)
    initiative.proposed_by.add(country)
    return [with_source(record) for record in (meeting, official, country, initiative, summit)]


@pytest.fixture
def editor_client(client, db):
    client.force_login(make_staff("Editors"))
    return client


def save_through_admin(editor_client, record, number, payload):
    model = type(record)
    short, long_fields = FIELDS[model]
    limit = model._meta.get_field(short).max_length
    changes = {short: f"Marker {number} {payload}"[:limit]}
    changes.update({name: payload for name in long_fields})
    url = admin_url(model, "change", record.pk)
    page = editor_client.get(url)
    response = editor_client.post(url, form_data(page, **changes))
    errors = response.context and response.context["adminform"].form.errors
    assert response.status_code == 302, (payload, errors)
    record.refresh_from_db()
    for name in long_fields:
        assert getattr(record, name) == strip_html(payload)
        assert strip_html(getattr(record, name)) == getattr(record, name)


def feed_html(body):
    """The HTML of every entry's summary in an Atom feed (titles are plain text there)."""
    root = ET.fromstring(body)
    return [element.text or "" for element in root.iter(f"{ATOM}summary")]


def check_page(client, url, payload, baseline):
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    assert unsafe_markup(page, baseline) == [], (url, payload)
    if "<" in payload:
        assert payload not in page, (url, payload)
    return page


def test_over_100_payloads_from_the_cheat_sheet():
    assert len(PAYLOADS) >= 100


def test_payloads_saved_through_the_admin_run_nowhere_in_public(editor_client, records, client):
    reader = type(client)()
    baselines = {
        url: reader.get(url).content.decode()
        for url in [*PUBLIC_PAGES, *(record.get_absolute_url() for record in records)]
    }
    for number, payload in enumerate(PAYLOADS):
        record = records[number % len(records)]
        save_through_admin(editor_client, record, number, payload)
        url = record.get_absolute_url()
        check_page(reader, url, payload, baselines[url])
        if number % len(records) == len(records) - 1:
            for url in PUBLIC_PAGES:
                check_page(reader, url, payload, baselines[url])
            for url in FEEDS:
                for fragment in feed_html(reader.get(url).content):
                    assert unsafe_markup(fragment) == [], (url, payload)
