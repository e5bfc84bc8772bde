"""Pages cost the same however many rows match: query counts, capped totals, older pages, facets
under a time limit. Timings belong to `make bench`; these tests count queries and rows."""

import datetime
import itertools
import re
import string

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.models import Status
from meetings.models import Council, Country, FacetSummary, Meeting, SCOStatus, State
from public import listing
from public.listing import Facet
from public.meetings import MeetingFilter, refresh_facet_summaries
from tests.factories import (
    make_country,
    make_country_status,
    make_initiative,
    make_meeting,
    make_official,
    make_participation,
    make_place,
    make_position,
    make_post,
    make_source,
    make_status_change,
    make_summit,
    make_topic,
)
from tests.queries import data_queries

PUBLISHED = State.PUBLISHED
FEW, MANY = 10, 60
DAY = datetime.date(2020, 1, 1)


def captured(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return response, queries


def count(client, url):
    return len(data_queries(captured(client, url)[1]))


@pytest.fixture
def world(db):
    """A country, topic, official, summit, post and initiative that every row below links to."""
    country = make_country(iso_code="QQ", slug="qq", name="Qualia", state=PUBLISHED)
    make_country_status(country=country, status=SCOStatus.MEMBER, since=datetime.date(2001, 1, 1))
    return {
        "country": country,
        "place": make_place(country=country),
        "topic": make_topic(slug="t"),
        "official": make_official(slug="o", state=PUBLISHED),
        "summit": make_summit(slug="s", state=PUBLISHED, host_country=country),
        "post": make_post(slug="p"),
        "initiative": make_initiative(slug="i", state=PUBLISHED),
    }


def add_meetings(world, n):
    for _ in range(n):
        meeting = make_meeting(
            start_date=DAY,
            place=world["place"],
            country=world["country"],
            topics=[world["topic"]],
            summit=world["summit"],
            sources=[make_source()],
            state=PUBLISHED,
        )
        make_participation(meeting=meeting, official=world["official"], country=world["country"])
        make_participation(meeting=meeting, official=make_official(state=PUBLISHED))
        world["initiative"].meetings.add(meeting)


def add_summits(world, n):
    for _ in range(n):
        make_summit(state=PUBLISHED, host_country=world["country"], place=world["place"])


def add_initiatives(world, n):
    for _ in range(n):
        initiative = make_initiative(
            state=PUBLISHED, adopted_at=world["summit"], adopted_on=DAY, topics=[world["topic"]]
        )
        initiative.proposed_by.add(world["country"])
        make_status_change(initiative=initiative, status=Status.ADOPTED, date=DAY)


def add_officials(world, n):
    for _ in range(n):
        official = make_official(state=PUBLISHED, nationality=world["country"])
        make_position(official=official, post=world["post"])


def add_countries(world, n):
    taken = set(Country.objects.values_list("iso_code", flat=True))
    codes = (a + b for a in "BCDEFGHJ" for b in string.ascii_uppercase if a + b not in taken)
    for code in itertools.islice(codes, n):
        country = make_country(iso_code=code, state=PUBLISHED)
        make_country_status(country=country, status=SCOStatus.OBSERVER)


LISTS = [
    ("/meetings/?", add_meetings),
    ("/meetings/?country=qq&year=2020", add_meetings),
    ("/meetings/?official=o&participant_country=qq&topic=t", add_meetings),
    ("/meetings/?summit=s&initiative=i&kind=bilateral&month=2020-01", add_meetings),
    ("/meetings/?q=Meeting&date_after=2019-01-01&ordering=date", add_meetings),
    ("/meetings/?before=2100-01-01,1", add_meetings),
    ("/summits/?", add_summits),
    ("/summits/?country=qq&council=heads_of_state", add_summits),
    ("/initiatives/?", add_initiatives),
    ("/initiatives/?proposed_by=qq&topic=t&status=adopted&adopted_at=s", add_initiatives),
    ("/officials/?", add_officials),
    ("/officials/?country=qq&position=p", add_officials),
    ("/countries/?", add_countries),
    ("/countries/?status=observer", add_countries),
]


@pytest.mark.parametrize("url, add", LISTS)
def test_a_list_page_takes_as_many_queries_for_many_rows_and_long_pages(client, world, url, add):
    add(world, FEW)
    few = count(client, f"{url}&per_page=20")
    add(world, MANY - FEW)
    many = count(client, f"{url}&per_page=20")
    response, queries = captured(client, f"{url}&per_page=100")
    assert len(response.context["rows"]) > 20  # the longer page is full of rows
    assert few == many == len(data_queries(queries)), data_queries(queries)


def test_the_meetings_list_takes_at_most_8_queries(client, world):
    add_meetings(world, FEW)
    response, queries = captured(client, "/meetings/?country=qq&year=2020")
    # 1 the country filter's value, 2 every facet in one query, which also counts the total
    # (up to COUNT_LIMIT + 1) from the ids the two filters select, 3 the page of meetings with
    # places and countries, 4 their participations with officials and countries, 5 the
    # participants' other names (their names in the reader's language), 6 their topics, 7 their
    # places' names; and on PostgreSQL 8 the facet query's time limit (SET LOCAL, in a savepoint
    # inside a test's transaction).
    time_limit = 1 if connection.vendor == "postgresql" else 0
    assert len(data_queries(queries)) == 7, data_queries(queries)
    assert len(data_queries(queries)) + time_limit <= 8


def test_two_filters_count_the_total_in_the_facet_query(client, world, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_LIMIT", 5)
    add_meetings(world, 8)
    response, queries = captured(client, "/meetings/?country=qq&year=2020")
    assert not [sql for sql in data_queries(queries) if sql.startswith("SELECT COUNT(*)")]
    assert "5+ results" in response.content.decode()
    response = client.get("/meetings/?country=qq&year=2020&kind=multilateral")
    assert "0 results" in response.content.decode()
    # One filter counts its total first: over few records, the facets then share its ids.
    _, queries = captured(client, "/meetings/?country=qq")
    assert [sql for sql in data_queries(queries) if sql.startswith("SELECT COUNT(*)")]


def test_every_facet_is_counted_in_one_query(client, world):
    add_meetings(world, FEW)
    _, queries = captured(client, "/meetings/")
    union = [sql for sql in data_queries(queries) if "UNION ALL" in sql]
    assert len(union) == 1
    assert union[0].count("GROUP BY") == len(MeetingFilter.facets)


def make_participants(meeting, n, country):
    for _ in range(n):
        official = make_official(state=PUBLISHED, nationality=country)
        make_participation(meeting=meeting, official=official, country=country)


DETAILS = ["meeting", "official", "summit", "initiative", "country"]


@pytest.mark.parametrize("kind", DETAILS)
def test_a_detail_page_takes_as_many_queries_for_200_participants_as_for_2(client, world, kind):
    meeting = make_meeting(
        slug="big",
        state=PUBLISHED,
        place=world["place"],
        country=world["country"],
        summit=world["summit"],
        topics=[world["topic"]],
    )
    world["initiative"].meetings.add(meeting)
    make_participation(meeting=meeting, official=world["official"], country=world["country"])
    urls = {
        "meeting": "/meetings/big/",
        "official": "/officials/o/",
        "summit": "/summits/s/",
        "initiative": "/initiatives/i/",
        "country": "/countries/qq/",
    }

    def grow(n):
        make_participants(meeting, n, world["country"])
        for _ in range(n // 10):
            other = make_meeting(state=PUBLISHED, country=world["country"], summit=world["summit"])
            make_participation(meeting=other, official=world["official"])
            world["initiative"].meetings.add(other)

    grow(1)
    client.get(urls[kind])  # once first, for the content types' cache
    few = count(client, urls[kind])
    grow(198)
    many = count(client, urls[kind])
    assert few == many


# Totals, older pages


def test_a_total_above_the_limit_is_capped_and_counted_no_further(client, world, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_LIMIT", 5)
    add_meetings(world, 8)
    response, queries = captured(client, "/meetings/?per_page=2")
    page = response.content.decode()
    assert "5+ results, page 1 of 3+" in page
    counts = [
        sql for sql in data_queries(queries) if "COUNT(" in sql.upper() and "UNION" not in sql
    ]
    assert len(counts) == 1 and re.search(r"LIMIT 6\b", counts[0]), counts


def test_the_last_counted_page_links_on_to_older_rows(client, world, monkeypatch):
    add_meetings(world, 7)
    everything = [m.slug for m in client.get("/meetings/?per_page=100").context["rows"]]
    monkeypatch.setattr(listing, "COUNT_LIMIT", 4)
    seen = []
    response = client.get("/meetings/?per_page=2&page=2")
    seen += [m.slug for m in response.context["rows"]]
    assert response.context["page"].next_before
    while response.context["page"].next_before:
        before = response.context["page"].next_before
        assert f"before={before.replace(',', '%2C')}" in response.content.decode()
        response = client.get("/meetings/", {"per_page": 2, "before": before})
        assert response.status_code == 200
        seen += [m.slug for m in response.context["rows"]]
    assert seen == everything[2:]


def test_an_older_page_costs_what_the_first_page_costs(client, world):
    add_meetings(world, 30)
    rows = client.get("/meetings/?per_page=100").context["rows"]
    cursor = f"{rows[25].start_date.isoformat()},{rows[25].pk}"
    first = count(client, "/meetings/?per_page=2")
    older, queries = captured(client, f"/meetings/?per_page=2&before={cursor}")
    assert [m.pk for m in older.context["rows"]] == [m.pk for m in rows[26:28]]
    assert len(data_queries(queries)) == first
    page = [sql for sql in data_queries(queries) if "LIMIT 3" in sql]
    assert page and "OFFSET" not in page[0]


@pytest.mark.parametrize(
    "query, message",
    [
        ("before=yesterday", "not a place in the list"),
        ("before=2020-01-01,1&ordering=date", "newest-first order"),
    ],
)
def test_a_bad_older_page_is_a_400(client, world, query, message):
    response = client.get(f"/meetings/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_only_the_meetings_list_has_older_pages(client, world):
    response = client.get("/summits/?before=2020-01-01,1")
    assert response.status_code == 400


# Facets under a time limit


def statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def slow_facet():
    from django.db.models.expressions import RawSQL

    return Facet("slow", "Slow", RawSQL("(SELECT 'x' FROM pg_sleep(0.05))", []))


def test_facets_that_run_over_the_time_limit_are_left_out_with_a_note(
    client, world, postgres_only, settings, monkeypatch
):
    add_meetings(world, 3)
    settings.FACET_TIME_LIMIT_MS = 10
    monkeypatch.setattr(MeetingFilter, "facets", (*MeetingFilter.facets, slow_facet()))
    before = statement_timeout()
    response = client.get("/meetings/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "These counts took too long to make and are left out" in page
    assert "3 results" in page
    assert all(group.get("left_out") for group in response.context["facets"])
    assert statement_timeout() == before  # the limit ended with the facet query
    # The total that two filters count in the facet query is counted on its own instead.
    page = client.get("/meetings/?country=qq&year=2020").content.decode()
    assert "These counts took too long to make and are left out" in page
    assert "3 results" in page


def test_counting_the_whole_list_ahead_is_not_cut_short(world, postgres_only, monkeypatch):
    add_meetings(world, 1)
    monkeypatch.setattr(MeetingFilter, "facets", (*MeetingFilter.facets, slow_facet()))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 10")  # as a production connection's limit
    refresh_facet_summaries()
    assert FacetSummary.objects.get(name="meetings").facets["slow"] == [["x", "x", 1]]


def test_facets_within_the_time_limit_are_shown(client, world, postgres_only, settings):
    add_meetings(world, 3)
    settings.FACET_TIME_LIMIT_MS = 5_000
    before = statement_timeout()
    response = client.get("/meetings/")
    countries = {g["facet"].param: g["options"] for g in response.context["facets"]}["country"]
    assert [(o.value, o.count) for o in countries] == [("qq", 3)]
    assert statement_timeout() == before


def options(response):
    return {
        group["facet"].param: [(o.value, o.label, o.count) for o in group["options"]]
        for group in response.context["facets"]
    }


def unions(queries):
    return [sql for sql in data_queries(queries) if "UNION ALL" in sql]


def test_the_whole_list_reads_its_facets_from_counts_made_ahead(client, world):
    add_meetings(world, 3)
    live, live_queries = captured(client, "/meetings/")
    refresh_facet_summaries()
    stored, queries = captured(client, "/meetings/?ordering=-date")
    assert options(stored) == options(live)
    assert unions(live_queries) and not unions(queries)
    assert len(data_queries(queries)) < len(data_queries(live_queries))
    # A filtered list counts its own facets.
    filtered, queries = captured(client, "/meetings/?kind=bilateral")
    assert unions(queries)
    assert options(filtered)["kind"] == [("bilateral", "Bilateral meeting", 3)]


def union_parts(queries):
    """The facets counted: one grouped part each (a part reading counts made ahead has none)."""
    return sum(sql.count("GROUP BY") for sql in unions(queries))


@pytest.mark.parametrize("param, value", [("official", "o"), ("topic", "t"), ("year", "2020")])
def test_a_list_filtered_by_one_facet_reads_that_facet_from_counts_made_ahead(
    client, world, param, value
):
    add_meetings(world, 3)
    make_meeting(start_date=datetime.date(2019, 5, 1), country=world["country"], state=PUBLISHED)
    whole = options(client.get("/meetings/"))
    live, live_queries = captured(client, f"/meetings/?{param}={value}&kind=bilateral")
    refresh_facet_summaries()
    response, queries = captured(client, f"/meetings/?{param}={value}")
    # Its own facet leaves out its own filter: the whole list's options, read, not counted.
    assert options(response)[param] == whole[param]
    assert union_parts(queries) == union_parts(live_queries) - 1
    # Every other facet is counted under the filter.
    assert options(response)["country"] == [("qq", "Qualia", 3)]
    # With a second filter, every facet is counted again.
    _, queries = captured(client, f"/meetings/?{param}={value}&kind=bilateral")
    assert union_parts(queries) == union_parts(live_queries)


@pytest.mark.parametrize(
    "url", ["/meetings/?kind=bilateral", "/meetings/?official=o", "/meetings/?year=2020"]
)
def test_a_list_filtered_by_a_common_value_reads_every_facet_from_counts_made_ahead(
    client, world, monkeypatch, url
):
    monkeypatch.setattr(listing, "SUMMARY_MIN_COUNT", 3)
    add_meetings(world, 3)
    make_meeting(start_date=datetime.date(2019, 5, 1), kind="call", state=PUBLISHED)
    live, live_queries = captured(client, url)
    assert refresh_facet_summaries() is True
    response, queries = captured(client, url)
    assert unions(live_queries) and not unions(queries)
    assert len(data_queries(queries)) < len(data_queries(live_queries))
    assert options(response) == options(live)
    assert options(response)["country"] == [("qq", "Qualia", 3)]
    # A value selecting fewer records is counted on request.
    _, queries = captured(client, "/meetings/?kind=call")
    assert unions(queries)
    # A change sends it back to counting on request, until the change's recount.
    add_meetings(world, 1)
    response, queries = captured(client, url)
    assert unions(queries)
    assert options(response)["country"] == [("qq", "Qualia", 4)]


def test_two_filters_read_their_own_facets_from_the_counts_made_ahead_for_the_other(
    client, world, monkeypatch
):
    monkeypatch.setattr(listing, "SUMMARY_MIN_COUNT", 3)
    add_meetings(world, 3)
    make_meeting(start_date=DAY, kind="call", country=world["country"], state=PUBLISHED)
    url = "/meetings/?kind=bilateral&official=o"
    live, live_queries = captured(client, url)
    refresh_facet_summaries()
    response, queries = captured(client, url)
    # The same queries: the facet query reads the counts of kind under official=o, and of
    # official under kind=bilateral, where they were made ahead, and counts them otherwise; and
    # so the other facets, from the pair's counts (none here: fewer than PAIR_MIN_COUNT).
    assert len(data_queries(queries)) == len(data_queries(live_queries))
    [sql] = unions(queries)
    assert sql.count("NOT EXISTS") == len(MeetingFilter.facets)
    assert options(response) == options(live)
    # What it shows for kind is read from the row of official=o.
    stored = FacetSummary.objects.get(filter="official=o")
    stored.facets["kind"] = [["bilateral", "Bilateral meeting", 99]]
    FacetSummary.objects.filter(pk=stored.pk).update(facets=stored.facets)
    response = client.get(url)
    assert options(response)["kind"] == [("bilateral", "Bilateral meeting", 99)]
    assert options(response)["official"] == options(live)["official"]
    # A change sends both back to counting.
    add_meetings(world, 1)
    response = client.get(url)
    assert options(response)["kind"] == [("bilateral", "Bilateral meeting", 4)]


@pytest.mark.parametrize(
    "dates",
    [
        "date_after=2019-05-01",
        "date_before=2020-01-01",
        "date_after=2000-01-01&date_before=2030-12-31",
    ],
)
def test_a_date_range_that_takes_in_every_meeting_reads_the_counts_made_ahead(
    client, world, monkeypatch, dates
):
    monkeypatch.setattr(listing, "SUMMARY_MIN_COUNT", 3)
    add_meetings(world, 3)
    make_meeting(start_date=datetime.date(2019, 5, 1), kind="call", state=PUBLISHED)
    live, live_queries = captured(client, "/meetings/?kind=bilateral")
    refresh_facet_summaries()
    response, queries = captured(client, f"/meetings/?kind=bilateral&{dates}")
    assert unions(live_queries) and not unions(queries)
    assert options(response) == options(live)
    assert response.context["page"].paginator.count == 3


def test_a_date_range_that_leaves_out_a_meeting_counts_its_facets_on_request(
    client, world, monkeypatch
):
    monkeypatch.setattr(listing, "SUMMARY_MIN_COUNT", 3)
    add_meetings(world, 3)
    make_meeting(start_date=datetime.date(2019, 5, 1), kind="call", state=PUBLISHED)
    refresh_facet_summaries()
    response, queries = captured(client, "/meetings/?kind=bilateral&date_after=2019-05-02")
    assert unions(queries)
    assert options(response)["kind"] == [("bilateral", "Bilateral meeting", 3)]


def test_two_common_values_that_select_many_meetings_read_every_facet_from_counts_made_ahead(
    client, world, monkeypatch
):
    monkeypatch.setattr(listing, "SUMMARY_MIN_COUNT", 3)
    monkeypatch.setattr(listing, "PAIR_MIN_COUNT", 3)
    add_meetings(world, 3)
    make_meeting(start_date=DAY, kind="call", country=world["country"], state=PUBLISHED)
    url = "/meetings/?official=o&kind=bilateral"
    live, live_queries = captured(client, url)
    assert refresh_facet_summaries() is True
    response, queries = captured(client, url)
    assert len(data_queries(queries)) == len(data_queries(live_queries))
    assert options(response) == options(live)
    assert response.context["page"].paginator.count == 3
    # What it shows for the other facets is read from the pair's row, in either order.
    stored = FacetSummary.objects.get(filter="kind=bilateral&official=o")
    stored.facets["country"] = [["qq", "Qualia", 99]]
    FacetSummary.objects.filter(pk=stored.pk).update(facets=stored.facets)
    for shown in (url, "/meetings/?kind=bilateral&official=o"):
        response = client.get(shown)
        assert options(response)["country"] == [("qq", "Qualia", 99)]
        assert options(response)["kind"] == options(live)["kind"]
    # Fewer together than PAIR_MIN_COUNT: not counted ahead.
    monkeypatch.setattr(listing, "PAIR_MIN_COUNT", 4)
    assert refresh_facet_summaries() is True
    assert not FacetSummary.objects.filter(filter="kind=bilateral&official=o").exists()
    assert options(client.get(url)) == options(live)


def test_counts_made_ahead_keep_only_the_common_values(client, world, monkeypatch):
    monkeypatch.setattr(listing, "SUMMARY_MIN_COUNT", 3)
    add_meetings(world, 3)
    refresh_facet_summaries()
    assert "kind=bilateral" in FacetSummary.objects.values_list("filter", flat=True)
    monkeypatch.setattr(listing, "SUMMARY_MIN_COUNT", 4)
    refresh_facet_summaries()
    assert list(FacetSummary.objects.values_list("filter", flat=True)) == [""]


def test_a_change_sends_the_whole_list_back_to_counting_on_request(client, world):
    add_meetings(world, 3)
    refresh_facet_summaries()
    add_meetings(world, 1)  # counted again only once committed, which a test never is
    response, queries = captured(client, "/meetings/")
    assert unions(queries)
    assert options(response)["country"] == [("qq", "Qualia", 4)]


def test_a_committed_change_counts_the_whole_list_again(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_meetings(world, 2)
    assert FacetSummary.objects.get(name="meetings").facets["country"] == [["qq", "Qualia", 2]]
    response, queries = captured(client, "/meetings/")
    assert not unions(queries)
    assert options(response)["country"] == [("qq", "Qualia", 2)]


def test_counts_begun_before_a_change_are_not_kept(client, world, monkeypatch):
    add_meetings(world, 2)
    count_options = MeetingFilter.count_options

    def counted_while_an_editor_adds_a_meeting(self, *args, **kwargs):
        found = count_options(self, *args, **kwargs)
        add_meetings(world, 1)
        return found

    monkeypatch.setattr(MeetingFilter, "count_options", counted_while_an_editor_adds_a_meeting)
    assert refresh_facet_summaries() is False
    monkeypatch.undo()
    assert FacetSummary.objects.get(name="meetings").facets is None
    assert options(client.get("/meetings/"))["country"] == [("qq", "Qualia", 3)]
    assert refresh_facet_summaries() is True
    assert FacetSummary.objects.get(name="meetings").facets["country"] == [["qq", "Qualia", 3]]


def test_facets_under_several_filters_share_the_ids_those_filters_select(client, world):
    add_meetings(world, 3)
    make_meeting(start_date=DAY, country=world["country"], kind="multilateral", state=PUBLISHED)
    other = make_country(iso_code="QR", slug="qr", name="Quark", state=PUBLISHED)
    make_meeting(start_date=DAY, country=other, kind="bilateral", state=PUBLISHED)
    url = "/meetings/?kind=bilateral&topic=t"
    response, queries = captured(client, url)
    [sql] = unions(queries)
    # Every facet but the two whose filters are given (kind, topic) reads the shared ids: the
    # meetings' own columns (year, month, country) as the filters select them, then those
    # meetings' participations (participant's country, official, post, body) read once, as is
    # the page's total.
    assert sql.startswith('WITH "filtered_records"') and sql.count('FROM "filtered"') == 2
    assert sql.count('FROM "filtered_records"') == 3 + 1  # and the ids
    assert sql.count('FROM "filtered_meetings_participation"') == 4
    # Each facet counts as it would with the filters repeated: its own left out.
    assert options(response)["country"] == [("qq", "Qualia", 3)]
    assert options(response)["kind"] == [("bilateral", "Bilateral meeting", 3)]
    assert options(response)["topic"] == [("t", world["topic"].name, 3)]


def test_one_filter_shares_its_ids_only_when_it_selects_few_records(client, world, monkeypatch):
    add_meetings(world, 3)
    response, queries = captured(client, "/meetings/?place=" + world["place"].slug)
    [sql] = unions(queries)
    assert sql.startswith('WITH "filtered_records"')
    assert options(response)["country"] == [("qq", "Qualia", 3)]
    # Over more than COUNT_LIMIT, the filter stays in each part: PostgreSQL plans it better.
    monkeypatch.setattr(listing, "COUNT_LIMIT", 2)
    response, queries = captured(client, "/meetings/?place=" + world["place"].slug)
    [sql] = unions(queries)
    assert not sql.startswith("WITH")
    assert options(response)["country"] == [("qq", "Qualia", 3)]


def test_the_time_limited_facet_query_runs_without_jit(client, world, postgres_only, settings):
    settings.FACET_TIME_LIMIT_MS = 500
    add_meetings(world, 1)
    _, queries = captured(client, "/meetings/?kind=bilateral")
    limits = [q["sql"] for q in queries if q["sql"].startswith("SET LOCAL")]
    assert limits == [
        "SET LOCAL statement_timeout = 500; SET LOCAL jit = off",
    ]


def test_participants_countries_count_each_meeting_once(client, world):
    add_meetings(world, 2)
    for meeting in Meeting.objects.all():
        make_participation(meeting=meeting, official=make_official(), country=world["country"])
    response = client.get("/meetings/")
    assert options(response)["participant_country"] == [("qq", "Qualia", 2)]
    assert options(response)["official"][0] == ("o", world["official"].name, 2)


def test_facet_values_keep_their_types_through_the_combined_query(client, world):
    add_meetings(world, 2)
    response = client.get("/meetings/?year=2020")
    facets = {g["facet"].param: g["options"] for g in response.context["facets"]}
    assert [(o.value, o.label, o.count) for o in facets["month"]] == [
        ("2020-01", "January 2020", 2)
    ]
    assert [(o.value, o.selected) for o in facets["year"]] == [("2020", True)]
    summits = client.get("/initiatives/").context["facets"]
    adopted = {g["facet"].param: g["options"] for g in summits}["adopted_at"]
    assert adopted == []  # no initiative adopted at a summit yet
    add_initiatives(world, 1)
    adopted = {
        g["facet"].param: g["options"] for g in client.get("/initiatives/").context["facets"]
    }
    council = Council(world["summit"].council).label
    assert adopted["adopted_at"][0].label.startswith(f"{world['summit'].number}")
    assert council.split()[0] in adopted["adopted_at"][0].label


def test_the_home_page_caps_its_numbers_too(client, world, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_LIMIT", 5)
    add_meetings(world, 8)
    response, queries = captured(client, "/")
    assert "<strong>5+</strong> meetings" in response.content.decode()
    meetings = [
        sql for sql in data_queries(queries) if "COUNT(" in sql and "meetings_meeting" in sql
    ]
    assert meetings and all(re.search(r"LIMIT 6\b", sql) for sql in meetings)
