"""The public countries list (/countries/) and a country's page (/countries/<slug>/)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Organization, SCOStatus, State
from tests.factories import (
    make_country,
    make_country_status,
    make_initiative,
    make_meeting,
    make_official,
    make_organization,
    make_place,
    make_position,
    make_post,
    make_source,
    make_staff,
    make_summit,
)
from tests.queries import data_queries

pytestmark = pytest.mark.django_db

PUBLISHED = State.PUBLISHED
LIST_URL = reverse("meetings:country_list")
SCO_FOUNDED = datetime.date(2001, 6, 15)
ASTANA_2017 = datetime.date(2017, 6, 9)


def public(make, **fields):
    return make(state=PUBLISHED, **fields)


def make_members():
    """Kazakhstan (founding member), India (observer, then member), Turkey (dialogue partner)."""
    kazakhstan = public(
        make_country, iso_code="KZ", slug="kz", name="Kazakhstan", native_name="Қазақстан"
    )
    make_country_status(country=kazakhstan, status=SCOStatus.FOUNDING_MEMBER, since=SCO_FOUNDED)
    india = public(make_country, iso_code="IN", slug="in", name="India", native_name="भारत")
    make_country_status(
        country=india,
        status=SCOStatus.OBSERVER,
        since=datetime.date(2005, 7, 5),
        until=ASTANA_2017,
    )
    make_country_status(
        country=india,
        status=SCOStatus.MEMBER,
        since=ASTANA_2017,
        decided_at="Astana summit, 2017",
        notes="Admitted together with Pakistan.",
    ).sources.add(make_source(publisher="SCO Secretariat"))
    turkey = public(make_country, iso_code="TR", slug="tr", name="Türkiye")
    make_country_status(
        country=turkey, status=SCOStatus.DIALOGUE_PARTNER, since=datetime.date(2013, 4, 26)
    )
    return kazakhstan, india, turkey


def rows(response):
    """The country pages linked from the table rows, in order."""
    return re.findall(r'<th scope="row"><a href="/countries/([^/]+)/">', response.content.decode())


def row(response, slug):
    """The text of one table row."""
    match = re.search(rf'<tr>\s*<th scope="row"><a href="/countries/{slug}/">.*?</tr>',
                      response.content.decode(), re.S)  # fmt: skip
    return re.sub(r"<[^>]+>|\s+", " ", match.group(0)).split() if match else None


def facet_count(response, param, value):
    """The count the reader sees beside a facet option, or None when it is not offered."""
    pattern = (
        rf'data-facet="{param}" data-value="{re.escape(value)}">[^<]*<span class="count">(\d+)'
    )
    match = re.search(pattern, response.content.decode())
    return int(match.group(1)) if match else None


# The list


def test_the_list_shows_each_countrys_status_and_meetings(client):
    kazakhstan, india, _ = make_members()
    for _ in range(2):
        public(make_meeting, country=kazakhstan)
    make_meeting(country=kazakhstan)  # a draft is not counted

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert rows(response) == ["in", "kz", "tr"]
    assert " ".join(row(response, "kz")) == (
        "Kazakhstan Қазақстан KZ Founding member since 15 June 2001 2"
    )
    assert " ".join(row(response, "in")) == "India भारत IN Member since 9 June 2017 0"
    assert '<a href="/meetings/?country=kz">2</a>' in response.text


def test_the_list_leaves_out_countries_without_a_status_and_drafts(client):
    make_members()
    public(make_country, iso_code="US", slug="us", name="United States")
    draft = make_country(iso_code="XD", slug="xd", name="Draft Land")
    make_country_status(country=draft)

    response = client.get(LIST_URL)

    assert rows(response) == ["in", "kz", "tr"]
    assert "United States" not in response.text
    assert "Draft Land" not in response.text


def test_as_of_shows_the_statuses_in_force_that_day(client):
    make_members()

    in_2010 = client.get(LIST_URL, {"as_of": "2010-01-01"})
    in_2020 = client.get(LIST_URL, {"as_of": "2020-01-01"})
    in_2003 = client.get(LIST_URL, {"as_of": "2003-01-01"})

    assert "Countries with an SCO status on" in in_2010.text and "1 January 2010" in in_2010.text
    assert " ".join(row(in_2010, "in")) == "India भारत IN Observer since 5 July 2005 0"
    assert " ".join(row(in_2020, "in")) == "India भारत IN Member since 9 June 2017 0"
    assert rows(in_2010) == ["in", "kz"]  # Türkiye became a dialogue partner in 2013
    assert rows(in_2003) == ["kz"]


def test_the_day_a_status_changes_shows_the_new_status(client):
    make_members()

    response = client.get(LIST_URL, {"as_of": "2017-06-09"})

    assert " ".join(row(response, "in")) == "India भारत IN Member since 9 June 2017 0"


def test_status_member_includes_founding_members_and_statuses_are_alternatives(client):
    make_members()

    members = client.get(LIST_URL, {"status": "member"})
    members_2010 = client.get(LIST_URL, {"status": "member", "as_of": "2010-01-01"})
    either = client.get(LIST_URL, {"status": ["member", "dialogue_partner"]})
    observers_2010 = client.get(LIST_URL, {"status": "observer", "as_of": "2010-01-01"})

    assert rows(members) == ["in", "kz"]
    assert rows(members_2010) == ["kz"]
    assert rows(either) == ["in", "kz", "tr"]
    assert rows(observers_2010) == ["in"]
    assert 'aria-label="Remove filter Status: ' in members.text


def test_the_status_facet_counts_countries_on_that_day(client):
    make_members()

    today = client.get(LIST_URL)
    in_2010 = client.get(LIST_URL, {"as_of": "2010-01-01", "status": "observer"})

    assert facet_count(today, "status", "member") == 2
    assert facet_count(today, "status", "dialogue_partner") == 1
    assert facet_count(today, "status", "observer") is None
    assert "Dialogue partner <span" in today.text
    # The facet keeps its other options open, on the chosen day.
    assert facet_count(in_2010, "status", "member") == 1
    assert facet_count(in_2010, "status", "observer") == 1
    assert facet_count(in_2010, "status", "dialogue_partner") is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"as_of": "2022-13-45"},
            "&#x27;2022-13-45&#x27; is not a date: months run from 01 to 12.",
        ),
        ({"as_of": "yesterday"}, "&#x27;yesterday&#x27; is not a date"),
        ({"as_of": "9" * 10_000}, f"&#x27;{'9' * 40}&#x27; is not a date"),
        ({"status": "emperor"}, "&#x27;emperor&#x27; is not a status: use member, observer"),
        ({"per_page": "-1"}, "is not a number of rows per page"),
    ],
)
def test_bad_filters_are_a_400_that_says_what_is_wrong(client, params, message):
    make_members()

    response = client.get(LIST_URL, params)

    assert response.status_code == 400
    assert "These filters could not be read" in response.text
    assert message in response.text


@pytest.mark.parametrize("page", ["abc", "999999"])
def test_a_page_that_does_not_exist_is_a_404(client, page):
    make_members()

    assert client.get(LIST_URL, {"page": page}).status_code == 404


def test_markup_in_the_url_is_shown_as_text(client):
    make_members()
    attack = "<script>alert(1)</script>"

    response = client.get(LIST_URL, {"as_of": attack, "status": "member"})

    assert response.status_code == 400
    assert attack not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def make_listed_countries(count):
    place = make_place()
    for _ in range(count):
        country = public(make_country, native_name="Native")
        make_country_status(country=country, since=datetime.date(2001, 1, 1))
        make_country_status(
            country=country, status=SCOStatus.OBSERVER, since=datetime.date(1999, 1, 1)
        )
        public(make_meeting, country=country, place=place)


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_takes_the_same_queries_for_few_and_many_countries(client, count):
    make_listed_countries(count)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, {"per_page": "100", "as_of": "2020-01-01"})

    assert len(rows(response)) == count
    # 1 count for the paginator, 2 the countries with their status and number of meetings,
    # 3 the statuses in force that day, 4 the status facet.
    assert len(data_queries(queries)) == 4, data_queries(queries)


# A country's page


def make_country_with_record():
    kazakhstan, india, _ = make_members()
    astana = make_place(name="Astana", country=kazakhstan)
    public(make_meeting, title="Talks in Astana", country=kazakhstan, place=astana)
    make_meeting(title="Unannounced Talks", country=kazakhstan, place=astana)
    public(make_meeting, title="Talks in Delhi", country=india)
    public(make_official, name="Kassym-Jomart Tokayev", slug="tokayev", nationality=kazakhstan)
    make_official(name="Draft Kazakh", slug="draft-kazakh", nationality=kazakhstan)
    ministry = make_organization(
        name="Ministry of Foreign Affairs of Kazakhstan",
        kind=Organization.Kind.NATIONAL,
        country=kazakhstan,
    )
    adviser = public(make_official, name="Foreign Adviser", slug="adviser")
    make_position(official=adviser, post=make_post(organization=ministry))
    public(make_official, name="Wang Yi", slug="wang-yi")
    public(make_summit, number=17, slug="astana-2017", start_date=ASTANA_2017,
           host_country=kazakhstan, chair_country=kazakhstan, place=astana)  # fmt: skip
    public(make_summit, number=24, slug="astana-2024", start_date=datetime.date(2024, 7, 4),
           host_country=kazakhstan)  # fmt: skip
    public(make_summit, number=9, slug="chaired-only", start_date=datetime.date(2011, 6, 15),
           chair_country=kazakhstan)  # fmt: skip
    make_summit(number=30, slug="draft-summit", host_country=kazakhstan)
    public(make_initiative, title="Nuclear-Weapon-Free Zone", proposed_by=[kazakhstan])
    make_initiative(title="Secret Plan", proposed_by=[kazakhstan])
    return kazakhstan, india


def test_a_countrys_page_shows_its_status_history(client):
    _, india = make_country_with_record()

    response = client.get(india.get_absolute_url())

    assert response.status_code == 200
    text = response.text
    assert "<h1>India</h1>" in text
    assert "<dd>IN</dd>" in text
    assert 'Member <span class="note">since 9 June 2017' in text
    assert '<ul class="timeline">' in text
    assert text.index("<h3>Observer</h3>") < text.index("<h3>Member</h3>")
    assert 'Since <time datetime="2005-07-05">5 July 2005</time> until' in text
    assert "Decided at Astana summit, 2017" in text
    assert "Admitted together with Pakistan." in text
    assert "SCO Secretariat" in text
    assert "Cite this record" in text
    assert "http://testserver/countries/in/" in text


def test_a_countrys_page_shows_its_published_officials_meetings_summits_initiatives(client):
    kazakhstan, _ = make_country_with_record()

    text = client.get(kazakhstan.get_absolute_url()).text

    assert "Kassym-Jomart Tokayev" in text
    assert "Foreign Adviser" in text
    assert "Draft Kazakh" not in text and "Wang Yi" not in text
    assert "Talks in Astana" in text
    assert "Unannounced Talks" not in text and "Talks in Delhi" not in text
    assert '<a href="/meetings/?country=kz">The 1 meeting held in Kazakhstan</a>' in text
    assert '<a href="/officials/?country=kz">' in text
    assert "Astana summit, 2017</a> (17th Council of Heads of State), 9 June 2017" in text
    assert "— Host and chair</span>" in text
    assert '(24th Council of Heads of State), 4 July 2024 <span class="note">— Host<' in text
    assert '(9th Council of Heads of State), 15 June 2011 <span class="note">— Chair<' in text
    assert "draft-summit" not in text
    assert "Nuclear-Weapon-Free Zone" in text
    assert "Secret Plan" not in text


def test_a_country_page_lists_the_latest_20_meetings(client):
    kazakhstan, _, _ = make_members()
    for day in range(1, 26):
        public(make_meeting, title=f"Meeting of day {day}", country=kazakhstan,
               start_date=datetime.date(2024, 1, day))  # fmt: skip

    text = client.get(kazakhstan.get_absolute_url()).text

    assert text.count('<li class="row">') == 20
    assert "Meeting of day 25<" in text and "Meeting of day 6<" in text
    assert "Meeting of day 5<" not in text
    assert "All 25 meetings held in Kazakhstan" in text


def test_a_country_page_lists_some_initiatives_and_links_to_every_one(client, monkeypatch):
    kazakhstan, _, _ = make_members()
    for n in range(4):
        public(make_initiative, title=f"Initiative number {n}", proposed_by=[kazakhstan])
    every = '<a href="/initiatives/?proposed_by=kz">Every initiative Kazakhstan proposed</a>'

    assert every not in client.get(kazakhstan.get_absolute_url()).text
    monkeypatch.setattr("public.countries.COUNTRY_INITIATIVES_SHOWN", 3)
    text = client.get(kazakhstan.get_absolute_url()).text

    assert text.count("Initiative number") == 3
    assert every in text


def test_a_draft_country_is_a_404_for_visitors_and_a_preview_for_staff(client):
    draft = make_country(iso_code="XD", slug="xd", name="Draft Land")

    assert client.get(draft.get_absolute_url()).status_code == 404

    client.force_login(make_staff("Editors"))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft preview: this record is not public yet." in response.text
    assert "Edit in admin" in response.text


def test_an_unknown_country_is_a_404(client):
    assert client.get(reverse("meetings:country_detail", args=["zz"])).status_code == 404


def make_busy_country(count):
    country = public(make_country, iso_code="KZ", slug="kz", name="Kazakhstan")
    place = make_place(country=country)
    for n in range(count):
        status = make_country_status(country=country, since=datetime.date(1950 + n, 1, 1),
                                     until=datetime.date(1951 + n, 1, 1))  # fmt: skip
        status.sources.add(make_source())
        public(make_meeting, country=country, place=place)
        public(make_official, nationality=country)
        public(make_summit, host_country=country, place=place)
        public(make_initiative, proposed_by=[country])
    return country


@pytest.mark.parametrize("count", [1, 50])
def test_a_countrys_page_takes_the_same_queries_for_few_and_many_records(client, count):
    country = make_busy_country(count)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(country.get_absolute_url())

    assert response.text.count('<li class="row">') == min(count, 20)
    # 1 the country, 2 its statuses, 3 their sources, 4 the status today, 5 the officials,
    # 6 the meetings with place, 7 the places' names, 8 the number of meetings, 9 the summits,
    # 10 the initiatives, 11 the map's meetings by place (no participant's place here, so no
    # query for the places themselves).
    assert len(queries) == 11, [q["sql"] for q in queries]
