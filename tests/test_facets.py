"""Every facet can show all its options, under the list's other filters."""

import datetime
import html
import random

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting, State
from public import listing
from public.meetings import MeetingFilter, refresh_facet_summaries
from tests.factories import (
    make_country,
    make_meeting,
    make_official,
    make_organization,
    make_participation,
    make_place,
    make_position,
    make_post,
    make_topic,
)

PUBLISHED = State.PUBLISHED


@pytest.fixture
def officials(db):
    """15 officials who met in Kazakhstan, one of them twice and once more in China."""
    kz = make_country(iso_code="KZ", slug="kz", name="Kazakhstan", state=PUBLISHED)
    cn = make_country(iso_code="CN", slug="cn", name="China", state=PUBLISHED)
    people = [
        make_official(name=f"Official {n:02}", slug=f"official-{n:02}", state=PUBLISHED)
        for n in range(15)
    ]
    for n, person in enumerate(people):
        meeting = make_meeting(title=f"Talks {n:02}", country=kz, state=PUBLISHED,
                               start_date=datetime.date(2022, 1, 1 + n))  # fmt: skip
        make_participation(meeting=meeting, official=person)
    again = make_meeting(title="Talks again", country=kz, state=PUBLISHED)
    make_participation(meeting=again, official=people[0])
    china = make_meeting(title="Talks in China", country=cn, state=PUBLISHED)
    make_participation(meeting=china, official=people[0])
    make_participation(meeting=china, official=make_official(name="Wang Yi", state=PUBLISHED))
    return people


def page(response):
    return html.unescape(response.content.decode())


def test_a_facet_with_more_options_links_to_all_of_them_with_the_filters(client, officials):
    listed = page(client.get("/meetings/", {"country": "kz", "page": "1"}))
    shown, folded = listed.split('<details class="facet-folded">', 1)
    assert shown.count('data-facet="official"') == 12
    # The others are listed folded under them (up to 36), then linked on the facet's page.
    assert "<summary>3 more options</summary>" in folded
    assert folded.split("</details>", 1)[0].count('data-facet="official"') == 3
    assert '<a href="/meetings/facets/official/?country=kz">Show all “Official” options</a>' in (
        listed
    )
    # A facet with all its options shown has no such link.
    assert "/meetings/facets/country/" not in listed


def test_the_whole_list_links_to_all_options_from_its_counts_made_ahead(client, officials):
    from public.meetings import refresh_facet_summaries

    assert refresh_facet_summaries()
    with CaptureQueriesContext(connection) as captured:
        listed = page(client.get("/meetings/"))
    assert not any("GROUP BY" in query["sql"] for query in captured)  # no facet counted
    assert '<a href="/meetings/facets/official/">Show all “Official” options</a>' in listed
    assert page(client.get("/meetings/facets/official/")).count('data-facet="official"') == 16


def test_the_facet_page_lists_every_option_under_the_other_filters(client, officials):
    response = client.get("/meetings/facets/official/", {"country": "kz"})
    assert response.status_code == 200
    shown = page(response)
    assert "15 options, with the number of meetings each gives under the current filters" in shown
    assert shown.count('data-facet="official"') == 15
    assert "Wang Yi" not in shown  # met only in China
    # Each option goes back to the list with the other filters kept; the count leaves out China.
    assert (
        '<a href="/meetings/?country=kz&official=official-00" data-facet="official" '
        'data-value="official-00">Official 00 <span class="count">2</span></a>'
    ) in shown
    assert '<a href="/meetings/?country=kz">Back to the meetings list</a>' in shown


def test_the_facet_page_narrows_the_options_by_name(client, officials):
    shown = page(client.get("/meetings/facets/official/", {"country": "kz", "facet_q": "ficial 1"}))
    assert "5 of 15 options match “ficial 1”" in shown
    assert shown.count('data-facet="official"') == 5
    assert "Official 03" not in shown
    # The form keeps the list's filters.
    assert '<input type="hidden" name="country" value="kz">' in shown


def test_find_another_official_keeps_the_filters(client, officials):
    listed = page(client.get("/meetings/", {"country": "kz", "year": "2022"}))
    form = listed.split('class="facet-search"')[0].rsplit("<form", 1)[1]
    assert 'action="/meetings/facets/official/"' in form
    after = listed.split('id="facet-official-q"')[1].split("</form>")[0]
    assert '<input type="hidden" name="country" value="kz">' in after
    assert '<input type="hidden" name="year" value="2022">' in after
    found = page(client.get("/meetings/facets/official/", {"country": "kz", "year": "2022",
                                                           "facet_q": "Official 07"}))  # fmt: skip
    assert '<a href="/meetings/?country=kz&year=2022&official=official-07"' in found


@pytest.mark.parametrize(
    "url, status, message",
    [
        ("/meetings/facets/official/?country=xx", 400, "Held in: There is no country 'xx'"),
        ("/meetings/facets/nope/", 404, ""),
        ("/meetings/facets/official/?facet_q=<script>alert(1)</script>", 200, "0 of"),
        ("/meetings/facets/official/?facet_q=" + "x" * 5000, 200, "0 of"),
    ],
)
def test_bad_input_on_a_facet_page_gets_a_clear_answer(client, officials, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert message in page(response)
    assert "<script>alert(1)" not in response.content.decode()


def test_every_kind_with_facets_has_facet_pages(client, officials):
    for url in ["/summits/facets/year/", "/initiatives/facets/kind/", "/officials/facets/country/",
                "/countries/facets/status/", "/meetings/facets/month/"]:  # fmt: skip
        assert client.get(url).status_code == 200, url


def test_a_facet_page_takes_as_many_queries_for_many_options(client, db):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/meetings/facets/official/").status_code == 200
        return len(captured)

    meeting = make_meeting(state=PUBLISHED)

    def add(count):
        for _ in range(count):
            make_participation(meeting=meeting, official=make_official(state=PUBLISHED))

    add(1)
    few = queries()
    add(40)
    # The options, counted in one query whatever their number.
    assert queries() == few


@pytest.fixture
def varied(db):
    """40 meetings of every kind, in three countries and six places over three years, with one to
    three participants each (their countries, posts and bodies from positions on record) and one
    or two of four topics: each facet has several options, each selecting a different set."""
    pick = random.Random(17)
    countries = [
        make_country(iso_code=code, slug=code.lower(), name=name, state=PUBLISHED)
        for code, name in (("KZ", "Kazakhstan"), ("CN", "China"), ("IN", "India"))
    ]
    places = [make_place(country=country) for country in countries for _ in range(2)]
    topics = [make_topic() for _ in range(4)]
    bodies = [make_organization() for _ in range(2)]
    posts = [make_post(title=f"Minister {n}", organization=bodies[n % 2]) for n in range(3)]
    people = []
    for n in range(6):
        official = make_official(state=PUBLISHED)
        make_position(official=official, post=posts[n % 3], start_date=datetime.date(2018, 1, 1))
        people.append(official)
    for n in range(40):
        place = pick.choice(places)
        meeting = make_meeting(
            title=f"Talks {n:02}",
            state=PUBLISHED,
            kind=pick.choice(Meeting.Kind.values),
            place=place,
            country=place.country,
            start_date=datetime.date(2019 + n % 3, 1 + n % 4, 1 + n % 20),
            topics=pick.sample(topics, pick.randint(1, 2)),
        )
        for official in pick.sample(people, pick.randint(1, 3)):
            make_participation(meeting=meeting, official=official, country=pick.choice(countries))
    return {"places": places, "topics": topics, "posts": posts, "people": people}


def chosen_alone(query, param, value):
    """The number of meetings the list shows with `value` as the only choice of `param`."""
    data = QueryDict(query, mutable=True)
    data.setlist(param, [value])
    filterset = MeetingFilter(data, queryset=Meeting.objects.published())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


QUERIES = [
    "participant_country=kz&topic={topic}",
    "kind=bilateral&topic={topic}",
    "place={place}",
    "place={place}&participant_country=cn",
    "kind=multilateral",
    "post=Minister+1",
    "official={official}&post=Minister+0",
    "year=2020&country=in",
    "q=Talks",
]


@pytest.mark.parametrize("query", QUERIES)
def test_each_option_counts_the_meetings_that_choosing_it_would_list(client, varied, query):
    query = query.format(
        topic=varied["topics"][0].slug,
        place=varied["places"][0].slug,
        official=varied["people"][0].slug,
    )
    assert_counts_as_chosen_alone(client, query)


# The meetings are dated 2019-01-01 to 2021: the first range takes them all in, the second not.
@pytest.mark.parametrize(
    "query",
    [
        "kind=bilateral&date_after=2000-01-01",
        "kind=bilateral&date_after=2019-02-01",
        "kind=bilateral&participant_country=kz",
        "participant_country=cn&topic={topic}",
        "year=2020&country=in",
    ],
)
def test_options_count_as_choosing_them_would_with_every_value_and_pair_counted_ahead(
    client, varied, monkeypatch, query
):
    monkeypatch.setattr(listing, "SUMMARY_MIN_COUNT", 1)
    monkeypatch.setattr(listing, "PAIR_MIN_COUNT", 1)
    assert refresh_facet_summaries() is True
    assert_counts_as_chosen_alone(client, query.format(topic=varied["topics"][0].slug))


def assert_counts_as_chosen_alone(client, query):
    response = client.get(f"/meetings/?{query}")
    assert response.status_code == 200
    shown = 0
    for group in response.context["facets"]:
        assert not group.get("left_out")
        for option in group["options"]:
            expected = chosen_alone(query, option.param, option.value)
            assert option.count == expected, (option.param, option.value)
            shown += 1
    assert shown > 5
