"""The public summits list (/summits/) and a summit's page (/summits/<slug>/)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives.models import Kind
from meetings.models import Council, Format, State
from tests.factories import (
    make_country,
    make_disagreement,
    make_initiative,
    make_meeting,
    make_place,
    make_place_name,
    make_source,
    make_staff,
    make_summit,
)
from tests.queries import data_queries

pytestmark = pytest.mark.django_db

PUBLISHED = State.PUBLISHED
LIST_URL = reverse("meetings:summit_list")


def public(make, **fields):
    return make(state=PUBLISHED, **fields)


def make_countries():
    return {
        code: public(make_country, iso_code=code.upper(), slug=code, name=name)
        for code, name in [
            ("kz", "Kazakhstan"),
            ("uz", "Uzbekistan"),
            ("in", "India"),
            ("cn", "China"),
        ]
    }


def make_astana(kazakhstan):
    """Astana, called Nur-Sultan from 23 March 2019 to 17 September 2022."""
    astana = make_place(name="Astana", slug="astana", country=kazakhstan)
    make_place_name(
        place=astana,
        name="Nur-Sultan",
        valid_from=datetime.date(2019, 3, 23),
        valid_until=datetime.date(2022, 9, 17),
    )
    return astana


def rows(response):
    """The summit pages linked from the result rows, in order."""
    return re.findall(r'<h3><a href="/summits/([^/]+)/">', response.content.decode())


def facet_count(response, param, value):
    """The count the reader sees beside a facet option, or None when it is not offered."""
    pattern = (
        rf'data-facet="{param}" data-value="{re.escape(value)}">[^<]*<span class="count">(\d+)'
    )
    match = re.search(pattern, response.content.decode())
    return int(match.group(1)) if match else None


def make_sessions():
    """Four published sessions and a draft, across councils, years, countries and formats."""
    c = make_countries()
    samarkand = make_place(name="Samarkand", slug="samarkand", country=c["uz"])
    astana = make_astana(c["kz"])
    return {
        "samarkand": public(
            make_summit,
            slug="samarkand-2022",
            council=Council.HEADS_OF_STATE,
            number=22,
            start_date=datetime.date(2022, 9, 15),
            end_date=datetime.date(2022, 9, 16),
            place=samarkand,
            host_country=c["uz"],
            chair_country=c["uz"],
        ),
        "virtual": public(
            make_summit,
            slug="new-delhi-2023",
            council=Council.HEADS_OF_STATE,
            number=23,
            start_date=datetime.date(2023, 7, 4),
            host_country=c["in"],
            chair_country=c["in"],
            format=Format.VIRTUAL,
        ),
        "government": public(
            make_summit,
            slug="nur-sultan-2020-government",
            council=Council.HEADS_OF_GOVERNMENT,
            number=19,
            start_date=datetime.date(2020, 11, 30),
            place=astana,
            host_country=c["kz"],
            chair_country=c["in"],
            format=Format.HYBRID,
        ),
        "ministers": public(
            make_summit,
            slug="astana-2024-ministers",
            council=Council.FOREIGN_MINISTERS,
            number=None,
            start_date=datetime.date(2024, 5, 21),
            place=astana,
            host_country=c["kz"],
            chair_country=c["kz"],
        ),
        "draft": make_summit(
            slug="draft-summit",
            council=Council.HEADS_OF_STATE,
            number=99,
            start_date=datetime.date(2022, 1, 1),
            host_country=c["cn"],
            chair_country=c["cn"],
        ),
    }


# The list


def test_the_list_shows_title_dates_place_hosts_format_and_documents(client):
    sessions = make_sessions()
    make_initiative(
        title="Samarkand Declaration",
        kind=Kind.DECLARATION,
        adopted_at=sessions["samarkand"],
        state=PUBLISHED,
    )
    make_initiative(title="Unpublished memorandum", adopted_at=sessions["samarkand"])

    response = client.get(LIST_URL)

    assert response.status_code == 200
    text = response.content.decode()
    assert "22nd Council of Heads of State" in text
    assert "15–16 September 2022" in text
    assert "Samarkand" in text
    assert "Host and chair: Uzbekistan" in text
    assert "Host: Kazakhstan · Chair: India" in text
    assert "Samarkand Declaration" in text
    assert "Unpublished memorandum" not in text
    assert "Virtual" in text and "Hybrid" in text
    # Astana under the name it had on the day.
    assert "Nur-Sultan (now Astana)" in text


def test_the_list_hides_drafts_and_puts_the_newest_first(client):
    make_sessions()

    response = client.get(LIST_URL)

    assert rows(response) == [
        "astana-2024-ministers",
        "new-delhi-2023",
        "samarkand-2022",
        "nur-sultan-2020-government",
    ]
    assert "draft-summit" not in response.content.decode()


def test_ordering_by_date_puts_the_oldest_first(client):
    make_sessions()

    response = client.get(LIST_URL, {"ordering": "date"})

    assert rows(response)[0] == "nur-sultan-2020-government"
    assert rows(response)[-1] == "astana-2024-ministers"


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"council": "heads_of_state"}, {"samarkand-2022", "new-delhi-2023"}),
        (
            {"council": ["heads_of_state", "foreign_ministers"]},
            {"samarkand-2022", "new-delhi-2023", "astana-2024-ministers"},
        ),
        ({"year": "2022"}, {"samarkand-2022"}),
        ({"year": ["2020", "2024"]}, {"nur-sultan-2020-government", "astana-2024-ministers"}),
        ({"format": "virtual"}, {"new-delhi-2023"}),
        ({"format": ["virtual", "hybrid"]}, {"new-delhi-2023", "nur-sultan-2020-government"}),
        # A country matches where it hosted or where it chaired.
        ({"country": "in"}, {"new-delhi-2023", "nur-sultan-2020-government"}),
        (
            {"country": ["in", "uz"]},
            {"new-delhi-2023", "nur-sultan-2020-government", "samarkand-2022"},
        ),
        # Different filters must all hold.
        ({"country": "kz", "council": "heads_of_government"}, {"nur-sultan-2020-government"}),
        ({"country": "in", "year": "2023", "format": "virtual"}, {"new-delhi-2023"}),
        ({"country": "uz", "year": "2024"}, set()),
    ],
)
def test_filters_or_within_a_parameter_and_across_parameters(client, params, expected):
    make_sessions()

    response = client.get(LIST_URL, params)

    assert response.status_code == 200
    assert set(rows(response)) == expected
    if not expected:
        assert "Nothing matches these filters." in response.content.decode()


def test_facets_count_the_sessions_each_option_would_give(client):
    make_sessions()

    response = client.get(LIST_URL)

    assert facet_count(response, "council", "heads_of_state") == 2
    assert facet_count(response, "council", "foreign_ministers") == 1
    assert facet_count(response, "year", "2022") == 1
    assert facet_count(response, "format", "in_person") == 2
    # Host and chair in one session count once; a draft session counts nowhere.
    assert facet_count(response, "country", "kz") == 2
    assert facet_count(response, "country", "in") == 2
    assert facet_count(response, "country", "uz") == 1
    assert facet_count(response, "country", "cn") is None
    assert "Council of Heads of State <span" in response.content.decode()


def test_facet_counts_take_the_other_filters_into_account(client):
    make_sessions()

    response = client.get(LIST_URL, {"country": "kz"})

    # The council facet counts within Kazakhstan's sessions ...
    assert facet_count(response, "council", "heads_of_state") is None
    assert facet_count(response, "council", "heads_of_government") == 1
    # ... while the country facet ignores its own filter, so other countries can be added.
    assert facet_count(response, "country", "in") == 2
    assert "Host or chair: Kazakhstan" in response.content.decode()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"country": "xx"}, "There is no country &#x27;xx&#x27; on record."),
        ({"year": "abc"}, "&#x27;abc&#x27; is not a year from 1990 to 2100."),
        ({"council": "parliament"}, "There is no council &#x27;parliament&#x27;"),
        ({"format": "smoke-signals"}, "There is no format &#x27;smoke-signals&#x27;"),
        ({"ordering": "place"}, "Order:"),
        ({"per_page": "-1"}, "is not a number of rows per page"),
    ],
)
def test_bad_filters_are_a_400_that_says_what_is_wrong(client, params, message):
    make_sessions()

    response = client.get(LIST_URL, params)

    assert response.status_code == 400
    assert "These filters could not be read" in response.content.decode()
    assert message in response.content.decode()


def test_a_draft_country_is_not_a_filter_value(client):
    sessions = make_sessions()
    hidden = make_country(iso_code="QX", slug="qx", name="Hidden")
    sessions["samarkand"].chair_country = hidden
    sessions["samarkand"].save()

    response = client.get(LIST_URL, {"country": "qx"})

    assert response.status_code == 400
    assert facet_count(client.get(LIST_URL), "country", "qx") is None


@pytest.mark.parametrize("page", ["abc", "999999", "0"])
def test_a_page_that_does_not_exist_is_a_404(client, page):
    make_sessions()

    assert client.get(LIST_URL, {"page": page}).status_code == 404


def test_markup_in_the_url_is_shown_as_text(client):
    make_sessions()

    response = client.get(LIST_URL, {"council": "<script>alert(1)</script>"})

    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


def test_pages_keep_the_filters(client):
    sessions = make_sessions()
    for number in range(1, 4):
        public(
            make_summit,
            slug=f"extra-{number}",
            number=100 + number,
            host_country=sessions["samarkand"].host_country,
        )

    response = client.get(LIST_URL, {"country": "uz", "per_page": "2"})

    assert rows(response) == ["extra-1", "extra-2"]
    assert "page 1 of 2" in response.content.decode()
    assert "?country=uz&amp;per_page=2&amp;page=2" in response.content.decode()


def make_listed_summits(count):
    kazakhstan = public(make_country, iso_code="KZ", slug="kz", name="Kazakhstan")
    india = public(make_country, iso_code="IN", slug="in", name="India")
    astana = make_astana(kazakhstan)
    for n in range(count):
        summit = public(
            make_summit,
            number=n + 1,
            start_date=datetime.date(2000 + n % 25, 6, 15),
            place=astana,
            host_country=kazakhstan,
            chair_country=india,
        )
        make_initiative(adopted_at=summit, state=PUBLISHED)
        make_initiative(adopted_at=summit, state=PUBLISHED)


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_takes_the_same_queries_for_few_and_many_summits(client, count):
    make_listed_summits(count)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, {"per_page": "100"})

    assert len(rows(response)) == count
    # 1 count for the paginator, 2 the summits with place, place's country, host and chair,
    # 3 the places' names, 4 the published initiatives adopted at them,
    # 5 the facets (council, year, host or chair country, format) in one query.
    assert len(data_queries(queries)) == 5, data_queries(queries)


# A summit's page


def make_summit_with_record():
    sessions = make_sessions()
    samarkand = sessions["samarkand"]
    samarkand.chair = "Shavkat Mirziyoyev"
    samarkand.outcomes = "Iran signed the memorandum of obligations for membership."
    samarkand.notes = "Held in person for the first time since 2019."
    samarkand.save()
    samarkand.sources.add(
        make_source(title="Samarkand Declaration", publisher="SCO Secretariat"),
    )
    public(make_initiative, title="Samarkand Declaration", adopted_at=samarkand)
    make_initiative(title="Unpublished memorandum", adopted_at=samarkand)
    public(
        make_meeting,
        title="Mirziyoyev meets Xi Jinping",
        summit=samarkand,
        summit_relation="on the sidelines",
    )
    make_meeting(title="Unpublished bilateral", summit=samarkand)
    make_disagreement(
        record=samarkand,
        subject="Number of documents signed",
        accepted_value="44",
        accepted_source=make_source(publisher="SCO Secretariat"),
        other_value="over 40",
        other_source=make_source(publisher="Seed article"),
    )
    # Sessions of the same council around it: the nearest published ones are previous and next.
    public(
        make_summit,
        slug="dushanbe-2021",
        council=Council.HEADS_OF_STATE,
        number=21,
        start_date=datetime.date(2021, 9, 17),
    )
    public(
        make_summit,
        slug="moscow-2020",
        council=Council.HEADS_OF_STATE,
        number=20,
        start_date=datetime.date(2020, 11, 10),
    )
    return samarkand


def test_a_summits_page_shows_the_session_and_what_came_of_it(client):
    summit = make_summit_with_record()

    response = client.get(summit.get_absolute_url())

    assert response.status_code == 200
    text = response.content.decode()
    assert (
        '<h1>Samarkand summit, 2022 <span class="subtitle">'
        "22nd Council of Heads of State</span></h1>" in text
    )
    assert "15–16 September 2022" in text
    assert "Samarkand" in text
    assert 'href="/countries/uz/">Uzbekistan</a>: Shavkat Mirziyoyev' in text
    assert "In person" in text
    assert "Iran signed the memorandum of obligations for membership." in text
    assert "Held in person for the first time since 2019." in text
    assert "Samarkand Declaration" in text
    assert "Unpublished memorandum" not in text
    assert "Mirziyoyev meets Xi Jinping" in text
    assert "on the sidelines" in text
    assert "Unpublished bilateral" not in text


def test_a_summits_page_links_the_previous_and_next_published_session_of_its_council(client):
    summit = make_summit_with_record()

    text = client.get(summit.get_absolute_url()).content.decode()

    # Dushanbe 2021 comes before; the draft of January 2022 and the other councils are skipped.
    assert 'Previous session: <a href="/summits/dushanbe-2021/" rel="prev">' in text
    assert 'Next session: <a href="/summits/new-delhi-2023/" rel="next">' in text
    assert "draft-summit" not in text
    assert "moscow-2020" not in text


def test_a_summits_page_shows_its_place_under_the_name_it_had_then(client):
    sessions = make_sessions()

    text = client.get(sessions["government"].get_absolute_url()).content.decode()

    assert "Nur-Sultan (now Astana)" in text
    assert "Previous session" not in text and "Next session" not in text


def test_a_summits_page_shows_disagreements_sources_and_a_citation(client):
    summit = make_summit_with_record()

    text = client.get(summit.get_absolute_url()).content.decode()

    assert "Where sources disagree" in text
    assert "<strong>Number of documents signed:</strong> shown as <em>44</em>" in text
    assert "Seed article</a> gives <em>over 40</em>" in text
    assert '<h2 id="sources-heading">Sources</h2>' in text
    assert "Cite this record" in text
    assert "“22nd Council of Heads of State, 15–16 September 2022”. SCO Tracker." in text
    assert "http://testserver/summits/samarkand-2022/" in text
    assert "Edit in admin" not in text


def test_a_draft_summit_is_a_404_for_visitors_and_a_preview_for_staff(client):
    draft = make_sessions()["draft"]

    assert client.get(draft.get_absolute_url()).status_code == 404

    client.force_login(make_staff("Editors"))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft preview: this record is not public yet." in response.content.decode()
    assert "Edit in admin" in response.content.decode()


def test_an_unknown_summit_is_a_404(client):
    assert client.get(reverse("meetings:summit_detail", args=["nowhere"])).status_code == 404


def make_busy_summit(count):
    """A summit with `count` documents, meetings, sources and disagreements."""
    kazakhstan = public(make_country, iso_code="KZ", slug="kz", name="Kazakhstan")
    astana = make_astana(kazakhstan)
    summit = public(
        make_summit,
        slug="astana-2024",
        number=24,
        place=astana,
        host_country=kazakhstan,
        chair_country=kazakhstan,
    )
    public(make_summit, number=23, start_date=datetime.date(2023, 7, 4))
    public(make_summit, number=25, start_date=datetime.date(2025, 8, 31))
    for _ in range(count):
        public(make_initiative, adopted_at=summit)
        public(make_meeting, summit=summit)
        summit.sources.add(make_source())
        make_disagreement(record=summit)
    return summit


@pytest.mark.parametrize("count", [1, 50])
def test_a_summits_page_takes_the_same_queries_for_few_and_many_records(client, count):
    summit = make_busy_summit(count)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(summit.get_absolute_url())

    assert response.status_code == 200
    assert response.content.decode().count("/meetings/meeting-") == count
    # 1 the summit with place, place's country, host and chair, 2 the place's names,
    # 3 the published initiatives adopted there, 4 its sources, 5 its disagreements,
    # 6-7 their accepted and other sources, 8 the published meetings linked to it,
    # 9 the previous session, 10 the next session, 11 the documents adopted there with their
    # status now (the outcome register).
    assert len(queries) == 11, [q["sql"] for q in queries]


@pytest.mark.parametrize(
    ("place", "format", "council", "name"),
    [
        ("Samarkand", Format.IN_PERSON, Council.HEADS_OF_STATE, "Samarkand summit, 2022"),
        ("Bishkek", Format.IN_PERSON, Council.HEADS_OF_GOVERNMENT,
         "Bishkek heads of government meeting, 2022"),
        (None, Format.VIRTUAL, Council.HEADS_OF_STATE, "Summit by video link, 2022"),
        (None, Format.IN_PERSON, Council.HEADS_OF_STATE, "22nd Council of Heads of State, 2022"),
    ],
)  # fmt: skip
def test_a_summit_is_named_as_readers_know_it(db, place, format, council, name):
    summit = make_summit(
        council=council,
        number=22,
        format=format,
        start_date=datetime.date(2022, 9, 15),
        end_date=datetime.date(2022, 9, 16),
        place=make_place(name=place) if place else None,
    )
    assert summit.name == name
