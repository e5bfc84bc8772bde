"""The insight pages: timeline, country pairs, the SCO on a date, summit outcomes, numbers, and
the network drawing on an official's page.

Tests on factory data come first; the tests on the bundled data (which stays loaded for the rest
of the module once a test asks for it) come last.
"""

import csv
import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives.models import Kind, Status
from insights.models import Aggregate
from meetings.dates import Precision
from meetings.models import Council, Format, Organization, SCOStatus, State
from tests.factories import (
    make_attestation,
    make_country,
    make_country_status,
    make_initiative,
    make_meeting,
    make_official,
    make_organization,
    make_participation,
    make_place,
    make_position,
    make_post,
    make_status_change,
    make_summit,
    make_topic,
)

pytestmark = pytest.mark.django_db

PUBLISHED = State.PUBLISHED
SINCE_2001 = datetime.date(2001, 6, 15)


@pytest.fixture(autouse=True)
def _empty_cache():
    # The matrix and the numbers are cached; every test starts from the database.
    cache.clear()
    yield
    cache.clear()


def public(make, **fields):
    return make(state=PUBLISHED, **fields)


def member(code, name, status=SCOStatus.MEMBER, since=SINCE_2001):
    country = public(make_country, iso_code=code.upper(), slug=code, name=name)
    make_country_status(country=country, status=status, since=since)
    return country


def secretariat():
    return make_organization(
        name="Secretariat of the SCO",
        short_name="SCO Secretariat",
        slug="sco-secretariat",
        kind=Organization.Kind.SCO_BODY,
    )


def meet(day, *sides, state=PUBLISHED, **fields):
    """A meeting on `day` with one participant for each side (a country or an organisation)."""
    meeting = make_meeting(start_date=day, state=state, **fields)
    for side in sides:
        key = "organization" if isinstance(side, Organization) else "country"
        make_participation(meeting=meeting, official=public(make_official), **{key: side})
    return meeting


def text(response):
    return response.content.decode()


def section(html, heading_id):
    """The inside of the (innermost) section labelled by `heading_id`."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}"[^>]*>(.*?)</section>', html, re.S
    )
    assert match, f"no section {heading_id}"
    return match.group(1)


def count_queries(client, url, status=200):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status, text(response)[:2000]
    return len(queries), [query["sql"] for query in queries]


MARK = re.compile(
    r'<a href="(?P<href>[^"]+)" class="mark-link"><title>(?P<title>[^<]*)</title>'
    r'<rect class="mark (?P<kind>mark-\w+) (?P<lane>lane-\w+)" x="(?P<x>[\d.]+)" '
    r'y="[\d.]+" width="(?P<width>[\d.]+)"'
)


def marks(response):
    """{href: (kind, lane, width, title)} of the timeline's marks."""
    return {
        m["href"]: (m["kind"], m["lane"], float(m["width"]), m["title"])
        for m in MARK.finditer(text(response))
    }


# Timeline

TIMELINE = reverse("insights:timeline")
# Width of one day when the timeline shows one year (795 units for 365 days).
DAY_2022 = (945 - 150) / 365


def test_the_timeline_draws_meetings_summits_and_milestones_linked_to_their_records(client):
    meeting = public(make_meeting, title="Talks in Astana", start_date=datetime.date(2022, 6, 4))
    summit = public(make_summit, number=22, start_date=datetime.date(2022, 9, 15))
    initiative = public(make_initiative, title="Samarkand Declaration")
    make_status_change(initiative=initiative, date=datetime.date(2022, 9, 16))
    make_meeting(title="Draft talks", start_date=datetime.date(2022, 6, 5))
    hidden = make_initiative(title="Draft declaration")
    make_status_change(initiative=hidden, date=datetime.date(2022, 9, 16))

    response = client.get(TIMELINE, {"from": "2022", "to": "2022"})

    assert response.status_code == 200
    drawn = marks(response)
    assert set(drawn) == {
        meeting.get_absolute_url(),
        summit.get_absolute_url(),
        initiative.get_absolute_url(),
    }
    assert drawn[meeting.get_absolute_url()][:2] == ("mark-day", "lane-meetings")
    assert drawn[summit.get_absolute_url()][:2] == ("mark-day", "lane-summits")
    assert drawn[initiative.get_absolute_url()][:2] == ("mark-day", "lane-milestones")
    assert "Adopted: Samarkand Declaration" in drawn[initiative.get_absolute_url()][3]
    page = text(response)
    assert "Draft talks" not in page and "Draft declaration" not in page
    # The text alternative: the same records as a table.
    records = section(page, "records-heading")
    assert "4 June 2022" in records and "Talks in Astana" in records
    assert "22nd Council of Heads of State" in records


def test_rough_dates_are_drawn_as_spans_over_their_whole_period(client):
    exact = public(make_meeting, title="Exact", start_date=datetime.date(2022, 3, 10))
    june = public(
        make_meeting,
        title="Sometime in June",
        start_date=datetime.date(2022, 6, 1),
        end_date=datetime.date(2022, 6, 30),
        date_precision=Precision.MONTH,
    )
    year = public(
        make_meeting,
        title="Sometime in 2022",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 12, 31),
        date_precision=Precision.YEAR,
    )
    autumn = public(make_initiative, title="Autumn programme")
    make_status_change(
        initiative=autumn, date=datetime.date(2022, 9, 1), date_precision=Precision.SEASON
    )

    response = client.get(TIMELINE, {"from": "2022", "to": "2022"})

    drawn = marks(response)
    kind, _, width, _ = drawn[exact.get_absolute_url()]
    assert kind == "mark-day" and width == 7  # The narrowest mark: one day is 2.2 units.
    kind, _, width, title = drawn[june.get_absolute_url()]
    assert kind == "mark-rough"
    assert width == pytest.approx(30 * DAY_2022, abs=0.2)
    assert "June 2022 (known only to the month)" in title
    kind, _, width, title = drawn[year.get_absolute_url()]
    assert kind == "mark-rough" and width == pytest.approx(365 * DAY_2022, abs=0.2)
    assert "2022 (known only to the year)" in title
    kind, _, width, title = drawn[autumn.get_absolute_url()]
    # Fall: September to November.
    assert kind == "mark-rough" and width == pytest.approx(91 * DAY_2022, abs=0.2)
    assert "fall 2022 (known only to the season)" in title
    page = text(response)
    assert 'June 2022</time> <span class="note">(known only to the month)' in page
    assert "1 June 2022" not in page


def test_the_timeline_zooms_and_moves_with_links(client):
    response = client.get(TIMELINE, {"from": "2022", "to": "2022"})

    nav = text(response)
    assert '<li class="zoom-current" aria-current="page">2022</li>' in nav
    assert 'href="?from=2022-01&amp;to=2022-06">Zoom in' in nav
    assert 'href="?from=2021&amp;to=2022">Zoom out' in nav
    assert 'href="?from=2021&amp;to=2021" rel="prev">' in nav
    assert 'href="?from=2023&amp;to=2023" rel="next">' in nav
    # Months of the year to jump to.
    assert 'href="?from=2022-06&amp;to=2022-06">Jun</a>' in nav

    month = client.get(TIMELINE, {"from": "2022-06", "to": "2022-06"})
    assert '<li class="zoom-current" aria-current="page">June 2022</li>' in text(month)
    assert '<span class="note">Zoom in</span>' in text(month)


def test_zoom_links_keep_the_filters(client):
    public(make_country, iso_code="YK", slug="yk", name="Kosmos")

    response = client.get(TIMELINE, {"from": "2022", "to": "2022", "participant_country": "yk"})

    assert 'href="?from=2022-01&amp;to=2022-06&amp;participant_country=yk">Zoom in' in text(
        response
    )


def test_the_timeline_filters_meetings_summits_and_milestones_by_country(client):
    kazakhstan = member("yk", "Kosmos")
    other = member("yo", "Otherland")
    ours = meet(datetime.date(2022, 6, 4), kazakhstan, title="Ours")
    meet(datetime.date(2022, 6, 5), other, title="Theirs")
    hosted = public(make_summit, host_country=kazakhstan, start_date=datetime.date(2022, 9, 15))
    public(make_summit, host_country=other, start_date=datetime.date(2022, 11, 1))
    proposed = public(make_initiative, title="Our idea", proposed_by=[kazakhstan])
    make_status_change(initiative=proposed, date=datetime.date(2022, 9, 16))
    theirs = public(make_initiative, title="Their idea", proposed_by=[other])
    make_status_change(initiative=theirs, date=datetime.date(2022, 9, 16))

    response = client.get(TIMELINE, {"from": "2022", "to": "2022", "participant_country": "yk"})

    assert set(marks(response)) == {
        ours.get_absolute_url(),
        hosted.get_absolute_url(),
        proposed.get_absolute_url(),
    }
    assert "Participant from: Kosmos" in text(response)


def test_filters_that_mean_nothing_for_summits_hide_them_and_say_so(client):
    official = public(make_official, name="Zhang Ming", slug="zhang-ming")
    meeting = public(make_meeting, start_date=datetime.date(2022, 6, 4))
    make_participation(meeting=meeting, official=official)
    public(make_meeting, start_date=datetime.date(2022, 6, 5))
    public(make_summit, start_date=datetime.date(2022, 9, 15))

    response = client.get(TIMELINE, {"from": "2022", "to": "2022", "official": "zhang-ming"})

    assert set(marks(response)) == {meeting.get_absolute_url()}
    page = text(response)
    assert "Summits are not drawn: the filter Official applies to meetings only." in page
    assert "Initiative milestones are not drawn: the filter Official applies" in page


def test_the_timeline_can_leave_out_a_lane(client):
    meeting = public(make_meeting, start_date=datetime.date(2022, 6, 4))
    public(make_summit, start_date=datetime.date(2022, 9, 15))

    response = client.get(TIMELINE, {"from": "2022", "to": "2022", "show": "meetings"})

    assert set(marks(response)) == {meeting.get_absolute_url()}


def test_an_empty_timeline_says_so(client):
    response = client.get(TIMELINE, {"from": "1997", "to": "1997"})

    assert response.status_code == 200
    assert "Nothing on record matches in 1997." in text(response)
    assert "<svg" not in text(response)


@pytest.mark.parametrize(
    "query, message",
    [
        ({"from": "abc"}, "&#x27;from&#x27;: &#x27;abc&#x27; is not a year or a month"),
        ({"to": "2022-13"}, "&#x27;2022-13&#x27; is not a month: months run from 01 to 12."),
        ({"from": "2023", "to": "2020"}, "The timeline cannot start (2023) after it ends (2020)"),
        ({"from": "1900"}, "The timeline covers 1996 to"),
        ({"to": "2999"}, "The timeline covers 1996 to"),
        ({"show": "everything"}, "&#x27;everything&#x27; is not something the timeline shows"),
        ({"participant_country": "atlantis"}, "Participant from:"),
    ],
)
def test_bad_timeline_input_is_a_400_with_a_message(client, query, message):
    response = client.get(TIMELINE, query)

    assert response.status_code == 400
    assert message in text(response)
    assert "<svg" not in text(response)


def make_timeline_records(count, country, topic):
    for n in range(count):
        day = datetime.date(2020, 1, 1) + datetime.timedelta(days=n)
        meet(day, country, topics=[topic])
        public(make_summit, host_country=country, start_date=day)
        initiative = public(make_initiative, proposed_by=[country], topics=[topic])
        make_status_change(initiative=initiative, date=day)


@pytest.mark.parametrize("count", [1, 30])
def test_the_timeline_takes_the_same_queries_for_few_and_many_records(client, count):
    country = member("yk", "Kosmos")
    topic = make_topic(slug="security")
    make_timeline_records(count, country, topic)

    queries, sql = count_queries(client, TIMELINE)
    # 1 the countries and 2 the topics of the form, 3 the meetings, 4 the summits with their
    # places, 5 the milestones with their initiatives.
    assert queries == 5, sql
    assert text(client.get(TIMELINE)).count('class="mark-link"') == 3 * count

    queries, sql = count_queries(client, f"{TIMELINE}?participant_country=yk&topic=security")
    # 1-2 checking the country and the topic given, 3 the meetings, 4 the milestones (summits
    # have no topics: the filter hides them), 5-6 the countries and topics of the form.
    assert queries == 6, sql


# Country pairs

RELATIONS = reverse("insights:relations")


def pair_url(a, b):
    return reverse("insights:pair", kwargs={"a": a, "b": b})


def make_pairs():
    """Three member states and the Secretariat; A and B met twice, A and the Secretariat once."""
    a = member("ya", "Aland")
    b = member("yb", "Bland")
    c = member("yc", "Cland", status=SCOStatus.OBSERVER)
    body = secretariat()
    first = meet(datetime.date(2019, 5, 1), a, b, title="A and B in 2019")
    second = meet(datetime.date(2022, 6, 4), a, b, body, title="A, B and the Secretariat")
    meet(datetime.date(2022, 7, 1), a, b, state=State.DRAFT, title="Draft talks")
    meet(datetime.date(2022, 8, 1), a, title="A alone")
    return {"a": a, "b": b, "c": c, "body": body, "first": first, "second": second}


def cell(html, row, column):
    """The count in the matrix for two parties, by the label of its link, or None."""
    match = re.search(rf'aria-label="{row} and {column}: (\d+) meetings?"', html)
    return int(match.group(1)) if match else None


def test_the_matrix_counts_published_meetings_between_each_pair(client):
    make_pairs()

    response = client.get(RELATIONS)

    html = text(response)
    assert cell(html, "Aland", "Bland") == 2
    assert cell(html, "Bland", "Aland") == 2
    assert cell(html, "Aland", "SCO Secretariat") == 1
    assert cell(html, "SCO Secretariat", "Bland") == 1
    assert cell(html, "Aland", "Cland") is None
    assert f'href="{pair_url("ya", "yb")}"' in html
    assert f'href="{pair_url("ya", "sco-secretariat")}"' in html
    assert 'scope="rowgroup" colspan="5">Member states' in html
    assert 'scope="rowgroup" colspan="5">Observers' in html
    assert 'scope="rowgroup" colspan="5">SCO bodies' in html
    top = section(html, "top-heading")
    assert top.index("Aland and Bland") < top.index("Aland and SCO Secretariat")


def test_the_matrix_leaves_out_countries_without_a_status_today(client):
    make_pairs()
    former = public(make_country, iso_code="YF", slug="yf", name="Formerland")
    make_country_status(
        country=former, since=SINCE_2001, until=datetime.date(2010, 1, 1), status=SCOStatus.MEMBER
    )

    assert "Formerland" not in text(client.get(RELATIONS))


def test_a_pair_page_shows_meetings_per_year_topics_and_officials(client):
    records = make_pairs()
    topic = make_topic(name="Regional security")
    records["second"].topics.add(topic)

    response = client.get(pair_url("ya", "yb"))

    assert response.status_code == 200
    html = text(response)
    assert "2 meetings on record where both had a participant." in html
    chart = re.search(r'<svg class="chart".*?</svg>', html, re.S).group(0)
    assert '<title id="pair-chart-title">Meetings between Aland and Bland per year' in chart
    assert "<title>2019: 1 meeting (Meetings)</title>" in chart
    assert "<title>2022: 1 meeting (Meetings)</title>" in chart
    assert chart.count('<rect class="bar') == 2
    meetings = section(html, "meetings-heading")
    assert "A, B and the Secretariat" in meetings and "A and B in 2019" in meetings
    assert meetings.index("A, B and the Secretariat") < meetings.index("A and B in 2019")
    assert "Draft talks" not in html and "A alone" not in html
    assert 'Regional security</a> <span class="count">1</span>' in html
    officials = section(html, "officials-heading")
    assert officials.count("<tr>") == 1 + 5  # The header, then the officials of both meetings.


def test_a_pair_page_shows_its_busiest_officials_and_links_to_every_one(client, monkeypatch):
    make_pairs()
    monkeypatch.setattr("insights.pairs.OFFICIALS_SHOWN", 3)

    html = text(client.get(pair_url("ya", "yb")))

    officials = section(html, "officials-heading")
    assert officials.count("<tr>") == 1 + 3
    assert "The 3 with most meetings together." in officials
    csv_url = reverse("insights:pair_officials_csv", kwargs={"a": "ya", "b": "yb"})
    assert f'href="{csv_url}"' in officials
    response = client.get(csv_url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["official", "slug", "representing", "meetings"]
    assert len(rows) == 1 + 5
    reversed_csv = reverse("insights:pair_officials_csv", kwargs={"a": "yb", "b": "ya"})
    assert client.get(reversed_csv)["Location"] == csv_url


def test_a_pair_page_with_few_officials_lists_them_all_without_a_link(client):
    make_pairs()

    officials = section(text(client.get(pair_url("ya", "yb"))), "officials-heading")

    assert "officials.csv" not in officials


def test_a_pair_with_an_sco_body_counts_its_officials_meetings(client):
    records = make_pairs()

    response = client.get(pair_url("ya", "sco-secretariat"))

    assert response.status_code == 200
    html = text(response)
    assert "1 meeting on record" in html
    assert records["second"].title in html
    assert records["first"].title not in html


def test_a_pair_page_reads_its_figures_from_one_stored_row_whatever_its_size(client):
    make_many_pair_meetings(150)
    url = pair_url("ya", "yb")
    counted = text(client.get(url))
    assert Aggregate.objects.filter(name__startswith="pair:").count() == 1

    with CaptureQueriesContext(connection) as queries:
        read = text(client.get(url))

    assert read == counted
    assert "152 meetings on record where both had a participant." in read
    assert "The latest 100 of 152." in read
    # The two countries, the stored figures, the latest meetings and their places' names: no
    # query reads all of the pair's meetings.
    assert len(queries) == 5, [query["sql"] for query in queries]
    assert sum("pair:" in query["sql"] for query in queries) == 1


def test_a_change_to_a_meeting_shows_on_the_pair_page_once_the_figures_are_counted_again(
    client, django_capture_on_commit_callbacks
):
    records = make_pairs()
    url = pair_url("ya", "yb")
    assert "2 meetings on record" in text(client.get(url))

    with django_capture_on_commit_callbacks(execute=True):
        meet(datetime.date(2023, 3, 1), records["a"], records["b"], title="A and B in 2023")
    with django_capture_on_commit_callbacks(execute=True):
        records["first"].topics.add(make_topic(name="Water"))

    # The task queue counted the stored figures again after each commit: no fixed staleness.
    (figures,) = Aggregate.objects.filter(name__startswith="pair:").values_list("data", flat=True)
    assert [2023, 1] in figures["years"]
    html = text(client.get(url))
    assert "3 meetings on record where both had a participant." in html
    assert "<title>2023: 1 meeting (Meetings)</title>" in html
    assert 'Water</a> <span class="count">1</span>' in section(html, "topics-heading")
    assert section(html, "officials-heading").count("<tr>") == 1 + 7


def test_a_pair_in_the_other_order_redirects_to_its_address(client):
    make_pairs()

    response = client.get(pair_url("sco-secretariat", "ya"))

    assert response.status_code == 301
    assert response["Location"] == pair_url("ya", "sco-secretariat")


def test_a_pair_without_meetings_says_so(client):
    make_pairs()

    response = client.get(pair_url("yb", "yc"))

    assert response.status_code == 200
    assert "No meetings between Bland and Cland are on record" in text(response)
    assert "<svg" not in text(response)


@pytest.mark.parametrize(
    "a, b, message",
    [
        ("ya", "atlantis", "There is no country or SCO body &#x27;atlantis&#x27; on record."),
        ("zz", "ya", "There is no country or SCO body &#x27;zz&#x27; on record."),
        ("ya", "ya", "A pair needs two different parties; both are Aland."),
        ("ya", "national-body", "no country or SCO body &#x27;national-body&#x27;"),
    ],
)
def test_an_unknown_pair_is_a_404_with_a_message(client, a, b, message):
    make_pairs()
    make_organization(slug="national-body", kind=Organization.Kind.NATIONAL)

    response = client.get(pair_url(a, b))

    assert response.status_code == 404
    assert message in text(response)


def test_a_draft_country_is_not_a_party(client):
    make_pairs()
    make_country(iso_code="YD", slug="yd", name="Draftland")

    assert client.get(pair_url("ya", "yd")).status_code == 404


def make_many_pair_meetings(count):
    records = make_pairs()
    place = make_place()
    topic = make_topic()
    for n in range(count):
        meeting = meet(
            datetime.date(2010 + n % 10, 1, 1) + datetime.timedelta(days=n),
            records["a"],
            records["b"],
            records["body"],
            place=place,
            topics=[topic],
        )
        meeting.topics.add(make_topic())
    return records


@pytest.mark.parametrize("count", [1, 30])
def test_the_relation_pages_take_the_same_queries_for_few_and_many_records(client, count):
    make_many_pair_meetings(count)

    queries, sql = count_queries(client, RELATIONS)
    # 1 the countries with a status today, 2 their statuses, 3 the SCO bodies, 4 the stored pair
    # counts (none yet), 5-7 counting them (state and state, state and body, body and body),
    # 8 storing them.
    assert queries == 8, sql
    with CaptureQueriesContext(connection) as stored:
        client.get(RELATIONS)
    assert len(stored) == 4  # Every later reader: the parties and the stored counts.

    queries, sql = count_queries(client, pair_url("ya", "yb"))
    # 1-2 the two countries, 3 the pair's stored figures (none yet), 4-6 counting them (meetings
    # per year, topics, officials), 7 storing them, 8 the latest meetings with places, 9 the
    # places' names.
    assert queries == 9, sql
    queries, sql = count_queries(client, pair_url("ya", "yb"))
    assert queries == 5, sql  # Every later reader: the countries, the figures, the meetings.


# The SCO on a date


def on(day):
    return reverse("insights:on_date", kwargs={"day": day})


def make_sco_of_2022():
    """Members, an observer, the Secretariat with its Secretary-General, and summits."""
    china = member("yh", "Hanland")
    uzbekistan = member("yu", "Samarland")
    india = member("yi", "Indland", since=datetime.date(2017, 6, 9))
    iran = member("yr", "Persland", status=SCOStatus.OBSERVER, since=datetime.date(2005, 7, 5))
    make_country_status(country=iran, status=SCOStatus.MEMBER, since=datetime.date(2023, 7, 4))
    body = secretariat()
    secretary_general = make_post(title="Secretary-General", organization=body, slug="sg")
    director = make_post(
        title="Director",
        slug="rats-director",
        organization=make_organization(
            name="RATS Executive Committee", kind=Organization.Kind.SCO_BODY
        ),
    )
    zhang = public(make_official, name="Zhang Ming", slug="zhang-ming")
    make_position(
        official=zhang,
        post=secretary_general,
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    norov = public(make_official, name="Vladimir Norov")
    make_position(
        official=norov,
        post=secretary_general,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2021, 12, 31),
    )
    mirzayev = public(make_official, name="Ruslan Mirzayev")
    attested = make_position(official=mirzayev, post=director, start_date=None)
    make_attestation(position=attested, date=datetime.date(2022, 11, 1))
    dushanbe = make_place(name="Dushanbe", slug="dushanbe", country=china)
    samarkand = make_place(name="Samarkand", slug="samarkand", country=uzbekistan)
    summits = {
        "dushanbe": public(
            make_summit,
            number=21,
            slug="chs-2021",
            place=dushanbe,
            start_date=datetime.date(2021, 9, 16),
            end_date=datetime.date(2021, 9, 17),
        ),
        "samarkand": public(
            make_summit,
            number=22,
            slug="chs-2022",
            place=samarkand,
            host_country=uzbekistan,
            start_date=datetime.date(2022, 9, 15),
            end_date=datetime.date(2022, 9, 16),
        ),
        "virtual": public(
            make_summit,
            number=23,
            slug="chs-2023",
            chair_country=india,
            format=Format.VIRTUAL,
            start_date=datetime.date(2023, 7, 4),
        ),
        "government": public(
            make_summit,
            council=Council.HEADS_OF_GOVERNMENT,
            number=21,
            slug="chg-2022",
            chair_country=china,
            start_date=datetime.date(2022, 11, 1),
        ),
    }
    return {"china": china, "india": india, "iran": iran, "summits": summits, "zhang": zhang}


def test_the_date_page_lists_members_observers_chair_and_secretary_general(client):
    make_sco_of_2022()

    response = client.get(on("2022-06-04"))

    assert response.status_code == 200
    html = text(response)
    assert 'The SCO on <time datetime="2022-06-04">Saturday, 4 June 2022</time>' in html
    members = section(html, "group-1")
    assert "Member states (3)" in members
    for name in ["Hanland", "Indland", "Samarland"]:
        assert name in members
    assert "Persland" not in members
    observers = section(html, "group-2")
    assert "Observers (1)" in observers and "Persland" in observers
    chair = re.search(r"<dt>Chairmanship</dt>\s*<dd>(.*?)</dd>", html, re.S).group(1)
    assert "Samarland" in chair and "Samarkand summit, 2022</a>, 15–16 September 2022" in chair
    secretary = re.search(r"<dt>Secretary-General</dt>\s*<dd>(.*?)</dd>", html, re.S).group(1)
    assert "Zhang Ming" in secretary and "1 January 2022 – 31 December 2024" in secretary
    assert "Norov" not in secretary
    bodies = section(html, "posts-heading")
    assert "Director, RATS Executive Committee:</strong>" in bodies
    assert "no holder on record for this day" in bodies


def test_the_date_page_shows_a_post_attested_only_on_that_very_day(client):
    make_sco_of_2022()

    html = text(client.get(on("2022-11-01")))

    bodies = section(html, "posts-heading")
    assert "Ruslan Mirzayev" in bodies
    assert "attested on 1 November 2022; term dates unknown" in bodies
    assert "Ruslan Mirzayev" not in section(text(client.get(on("2022-11-02"))), "posts-heading")


def test_the_date_page_shows_the_last_and_next_session_of_each_council(client):
    make_sco_of_2022()

    html = text(client.get(on("2022-06-04")))

    summits = section(html, "summits-heading")
    heads = re.search(r"Council of Heads of State</th>(.*?)</tr>", summits, re.S).group(1)
    assert heads.index("21st Council of Heads of State") < heads.index("22nd Council")
    assert "Dushanbe" in heads and "Samarkand" in heads
    government = re.search(r"Council of Heads of Government</th>(.*?)</tr>", summits, re.S)
    assert "None before this day" in government.group(1)
    assert "21st Council of Heads of Government" in government.group(1)


def test_during_a_session_its_host_holds_the_chair(client):
    make_sco_of_2022()

    html = text(client.get(on("2022-09-16")))

    chair = re.search(r"<dt>Chairmanship</dt>\s*<dd>(.*?)</dd>", html, re.S).group(1)
    assert "Samarland" in chair
    assert "(in session)" in section(html, "summits-heading")


def test_a_session_held_by_video_link_gives_the_chair_by_its_chair_country(client):
    make_sco_of_2022()

    html = text(client.get(on("2023-01-10")))

    chair = re.search(r"<dt>Chairmanship</dt>\s*<dd>(.*?)</dd>", html, re.S).group(1)
    assert "Indland" in chair and "for a session by video link, chairing" in chair


def test_the_chair_is_left_out_when_no_next_session_is_on_record(client):
    make_sco_of_2022()

    html = text(client.get(on("2024-01-10")))

    chair = re.search(r"<dt>Chairmanship</dt>\s*<dd>(.*?)</dd>", html, re.S).group(1)
    assert "Not derivable from the record for this day." in chair
    assert "Indland" not in chair


def test_the_date_page_lists_the_meetings_of_that_week(client):
    make_sco_of_2022()
    that_day = public(make_meeting, title="On the day", start_date=datetime.date(2022, 6, 4))
    public(make_meeting, title="On Monday", start_date=datetime.date(2022, 5, 30))
    public(make_meeting, title="Next week", start_date=datetime.date(2022, 6, 6))
    public(
        make_meeting,
        title="Sometime in June",
        start_date=datetime.date(2022, 6, 1),
        end_date=datetime.date(2022, 6, 30),
        date_precision=Precision.MONTH,
    )
    make_meeting(title="Draft", start_date=datetime.date(2022, 6, 4))

    html = text(client.get(on("2022-06-04")))

    week = html[html.index('id="week-heading"') :]
    assert "30 May – 5 June 2022" in week
    assert "On the day" in week and "On Monday" in week
    assert week.index("On Monday") < week.index("On the day")
    assert "Next week" not in week and "Draft" not in week
    rough = week[week.index("Dated only roughly") :]
    assert "Sometime in June</a>, June 2022" in rough
    assert f'href="{that_day.get_absolute_url()}"' in week


def test_a_meeting_page_links_to_its_date(client):
    meeting = public(make_meeting, start_date=datetime.date(2022, 6, 4))

    html = text(client.get(meeting.get_absolute_url()))

    assert f'<a href="{on("2022-06-04")}">Members, chair and summits on 4 June 2022</a>' in html


def test_the_date_form_and_the_bare_address_lead_to_a_day(client):
    response = client.get(reverse("insights:on_today"), {"day": "2022-06-04"})
    assert response.status_code == 302 and response["Location"] == on("2022-06-04")

    response = client.get(reverse("insights:on_today"))
    assert response.status_code == 302 and re.search(
        r"/on/\d{4}-\d{2}-\d{2}/$", response["Location"]
    )

    response = client.get(reverse("insights:on_today"), {"day": "yesterday"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "day, status, message",
    [
        ("2022-02-30", 400, "&#x27;2022-02-30&#x27; is not a date: February 2022 has 28 days."),
        ("2022-13-01", 400, "&#x27;2022-13-01&#x27; is not a date: months run from 01 to 12."),
        ("0000-01-01", 400, "&#x27;0000-01-01&#x27; is not a date: there is no year 0."),
        ("2022-6-4", 400, "&#x27;2022-6-4&#x27; is not a date: write it as YYYY-MM-DD"),
        ("yesterday", 400, "&#x27;yesterday&#x27; is not a date"),
        ("1900-01-01", 404, "1 January 1900 is outside the record, which runs from 26 April 1996"),
        ("1996-04-25", 404, "is outside the record"),
        ("2999-01-01", 404, "1 January 2999 is outside the record"),
    ],
)
def test_a_bad_or_out_of_record_day_is_a_clear_4xx(client, day, status, message):
    response = client.get(on(day))

    assert response.status_code == status
    assert message in text(response)


def test_the_first_day_of_the_record_has_a_page(client):
    assert client.get(on("1996-04-26")).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_the_date_page_takes_the_same_queries_for_few_and_many_records(client, count):
    records = make_sco_of_2022()
    place = make_place()
    for _ in range(count):
        make_country_status(country=public(make_country), since=SINCE_2001)
        public(make_meeting, start_date=datetime.date(2022, 6, 3), place=place)
        make_position(
            official=public(make_official),
            post=records["zhang"].positions.get().post,
            start_date=datetime.date(2022, 1, 1),
        )

    queries, sql = count_queries(client, on("2022-06-04"))
    # 1 the countries with a status that day, 2 those statuses, 3 the sessions around the day,
    # 4 their places' names, 5 the positions held or attested, 6 the SCO posts, 7 the meetings
    # of the week, 8 their places' names.
    assert queries == 8, sql


# Summit outcomes

OUTCOMES = reverse("insights:outcomes")


def make_outcomes():
    samarkand = public(make_summit, number=22, slug="chs-2022")
    ufa = public(make_summit, number=15, slug="chs-2015-ufa", start_date=datetime.date(2015, 7, 9))
    declaration = public(
        make_initiative,
        title="Samarkand Declaration",
        kind=Kind.DECLARATION,
        adopted_at=samarkand,
        adopted_on=datetime.date(2022, 9, 16),
    )
    make_status_change(initiative=declaration, date=datetime.date(2022, 9, 16))
    border = public(
        make_initiative,
        title="Agreement on Border Issues",
        kind=Kind.AGREEMENT,
        adopted_at=ufa,
        adopted_on=datetime.date(2015, 7, 10),
    )
    make_status_change(initiative=border, date=datetime.date(2015, 7, 10))
    make_status_change(initiative=border, status=Status.IN_FORCE, date=datetime.date(2016, 10, 29))
    make_initiative(title="Draft memorandum", adopted_at=samarkand)
    draft_summit = make_summit(number=99, slug="draft-summit")
    public(make_initiative, title="Outcome of a draft summit", adopted_at=draft_summit)
    return {"samarkand": samarkand, "ufa": ufa, "border": border, "declaration": declaration}


def test_the_register_lists_documents_by_summit_signed_or_adopted_and_their_status(client):
    records = make_outcomes()

    response = client.get(OUTCOMES)

    assert response.status_code == 200
    html = text(response)
    assert html.index("22nd Council of Heads of State") < html.index("15th Council")
    ufa = section(html, "summit-chs-2015-ufa")
    assert f'<a href="{records["border"].get_absolute_url()}">Agreement on Border Issues' in ufa
    assert 'Signed <time datetime="2015-07-10">10 July 2015</time>' in ufa
    assert 'In force <span class="note">since 29 October 2016</span>' in ufa
    samarkand = section(html, "summit-chs-2022")
    assert 'Adopted <time datetime="2022-09-16">16 September 2022</time>' in samarkand
    assert "no later step on record" in samarkand
    assert "Draft memorandum" not in html and "Outcome of a draft summit" not in html
    kinds = section(html, "kinds-heading")
    assert "2 documents, by kind" in kinds
    assert '<strong>1</strong> agreement <span class="note">(signed)</span>' in kinds


def test_the_register_shows_the_latest_sessions_and_links_to_every_document(client, monkeypatch):
    make_outcomes()
    latest = public(make_summit, number=24, slug="chs-2024", start_date=datetime.date(2024, 7, 3))
    for title in ("Astana Declaration", "Astana Statement"):
        public(make_initiative, title=title, kind=Kind.DECLARATION, adopted_at=latest)
    monkeypatch.setattr("insights.views.OUTCOMES_SHOWN", 3)

    html = text(client.get(OUTCOMES, {"kind": ""}))

    assert "Astana Declaration" in html and "Astana Statement" in html
    # The third row began another session, which might go on: it is left out whole.
    assert "Samarkand Declaration" not in html and "Agreement on Border Issues" not in html
    assert "The documents of the latest sessions: 2 of 4." in html
    assert "4 documents, by kind" in section(html, "kinds-heading")
    assert f'href="{reverse("initiatives:initiative_list")}"' in html
    assert f'href="{reverse("initiatives:initiative_export", args=["csv"])}"' in html
    monkeypatch.setattr("insights.views.OUTCOMES_SHOWN", 2)
    declarations = text(client.get(OUTCOMES, {"kind": "declaration"}))
    assert f'href="{reverse("initiatives:initiative_list")}?kind=declaration"' in declarations
    agreements = text(client.get(OUTCOMES, {"kind": "agreement"}))
    assert "Agreement on Border Issues" in agreements
    assert "The documents of the latest sessions" not in agreements


def test_the_register_names_kinds_in_the_plural(client):
    summit = public(make_summit)
    for _ in range(2):
        public(make_initiative, kind=Kind.STRATEGY, adopted_at=summit)
    public(make_initiative, kind=Kind.OTHER, adopted_at=summit)
    public(make_initiative, kind=Kind.OTHER, adopted_at=summit)

    kinds = section(text(client.get(OUTCOMES)), "kinds-heading")

    assert '<strong>2</strong> strategies <span class="note">(adopted)</span>' in kinds
    assert '<strong>2</strong> other documents <span class="note">(adopted)</span>' in kinds


def test_the_register_filters_by_kind_and_council(client):
    make_outcomes()
    government = public(make_summit, council=Council.HEADS_OF_GOVERNMENT, number=3)
    public(make_initiative, title="Communiqué", kind=Kind.STATEMENT, adopted_at=government)

    declarations = text(client.get(OUTCOMES, {"kind": "declaration"}))
    assert "Samarkand Declaration" in declarations
    assert "Agreement on Border Issues" not in declarations
    assert "Communiqué" not in declarations

    heads_of_government = text(client.get(OUTCOMES, {"council": "heads_of_government"}))
    assert "Communiqué" in heads_of_government
    assert "Samarkand Declaration" not in heads_of_government

    nothing = text(client.get(OUTCOMES, {"kind": "treaty"}))
    assert "No documents match these filters." in nothing


def test_a_bad_register_filter_is_a_400(client):
    response = client.get(OUTCOMES, {"kind": "poem"})

    assert response.status_code == 400
    assert "There is no kind &#x27;poem&#x27;: use one of agreement," in text(response)


def test_a_summit_page_shows_what_became_of_its_documents(client):
    records = make_outcomes()

    html = text(client.get(records["ufa"].get_absolute_url()))

    adopted = section(html, "adopted-heading")
    assert "Agreement on Border Issues" in adopted
    assert 'In force <span class="note">since 29 October 2016</span>' in adopted
    assert f"{OUTCOMES}?council=heads_of_state" in adopted


@pytest.mark.parametrize("count", [1, 30])
def test_the_register_takes_one_query_for_few_and_many_documents(client, count):
    summit = public(make_summit)
    for _ in range(count):
        initiative = public(make_initiative, adopted_at=summit)
        make_status_change(initiative=initiative)

    queries, sql = count_queries(client, OUTCOMES)
    # The documents with summit, place, and current status with its date (subqueries).
    assert queries == 1, sql


# Who meets whom


def test_an_officials_page_draws_their_network_with_a_table(client):
    host = public(make_official, name="Host Person", slug="host")
    often = public(make_official, name="Often Met", slug="often")
    once = public(make_official, name="Met Once", slug="once")
    for n in range(3):
        meeting = public(make_meeting)
        make_participation(meeting=meeting, official=host)
        make_participation(meeting=meeting, official=often)
        if n == 0:
            make_participation(meeting=meeting, official=once)

    html = text(client.get(host.get_absolute_url()))

    network = re.search(r'<svg class="chart chart-network".*?</svg>', html, re.S).group(0)
    assert "Network of Host Person&#x27;s meetings: 2 most frequent counterparts" in network
    # Edge widths grow with the count: 1.5 + 7.5 × count / largest count.
    assert 'stroke-width="9"><title>Often Met: 3 shared meetings</title>' in network
    assert 'stroke-width="4"><title>Met Once: 1 shared meeting</title>' in network
    assert '<a href="/officials/often/"><title>Often Met: 3 shared meetings</title>' in network
    assert '<a href="/officials/host/"><title>Host Person</title>' in network
    table = re.search(r"<table class=\"data\">.*?</table>", html, re.S).group(0)
    assert '<a href="/officials/often/">Often Met</a></th><td>3</td><td>100%</td>' in table
    assert '<a href="/officials/once/">Met Once</a></th><td>1</td><td>33%</td>' in table
    assert f'href="{TIMELINE}?official=host"' in html


def test_an_official_without_counterparts_has_no_network(client):
    lonely = public(make_official, slug="lonely")

    html = text(client.get(lonely.get_absolute_url()))

    assert "chart-network" not in html


# Numbers

NUMBERS = reverse("insights:numbers")


def make_numbers():
    kosmos = member("yk", "Kosmos")
    zhang = public(make_official, name="Zhang Ming")
    for day in [datetime.date(2020, 3, 1), datetime.date(2022, 6, 4), datetime.date(2022, 7, 1)]:
        meeting = meet(day, kosmos, kind="bilateral")
        make_participation(meeting=meeting, official=zhang)
    public(make_meeting, kind="call", start_date=datetime.date(2022, 1, 5))
    make_meeting(kind="call", start_date=datetime.date(2022, 1, 6))  # A draft.
    public(make_summit, host_country=kosmos, start_date=datetime.date(2021, 9, 16))
    adopted = public(make_initiative)
    make_status_change(initiative=adopted, date=datetime.date(2020, 6, 1))
    make_status_change(initiative=adopted, status=Status.IN_FORCE, date=datetime.date(2022, 1, 1))
    return kosmos


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_numbers_page_draws_each_chart_with_its_table_and_csv(client, settings):
    make_numbers()

    response = client.get(NUMBERS)

    html = text(response)
    for name in ["meetings-per-year", "sessions-per-year", "initiatives-by-status"]:
        assert '<svg class="chart" viewBox="0 0 640 300"' in html
        assert f'aria-labelledby="{name}-title"' in html
        assert f'href="/numbers/{name}.csv" download' in html
    assert "<title>2022: 2 meetings (Bilateral meeting)</title>" in html
    assert "<title>2022: 1 meeting (Phone or video call)</title>" in html
    meetings = section(html, "meetings-per-year-heading")
    assert '<th scope="row">2021</th><td>0</td><td>0</td><td>0</td>' in meetings
    countries = section(html, "active-countries-heading")
    assert '<a href="/countries/yk/">Kosmos</a>' in countries
    assert "<td>3</td><td>1</td><td>4</td>" in countries
    officials = section(html, "active-officials-heading")
    assert "Zhang Ming" in officials and "<td>3</td>" in officials


def test_a_charts_csv_is_its_table(client):
    make_numbers()

    meetings = read_csv(client.get("/numbers/meetings-per-year.csv"))
    assert meetings[0] == ["Year", "Bilateral meeting", "Phone or video call", "Total"]
    assert meetings[1:] == [
        ["2020", "1", "0", "1"],
        ["2021", "0", "0", "0"],
        ["2022", "2", "1", "3"],
        *[[str(year), "0", "0", "0"] for year in range(2023, datetime.date.today().year + 1)],
    ]
    statuses = read_csv(client.get("/numbers/initiatives-by-status.csv"))
    assert statuses[0] == ["Year", "Adopted", "In force", "Total"]
    assert statuses[1:4] == [["2020", "1", "0", "1"], ["2021", "1", "0", "1"],
                             ["2022", "0", "1", "1"]]  # fmt: skip
    countries = read_csv(client.get("/numbers/active-countries.csv"))
    assert countries[1] == ["Kosmos", "3", "1", "4"]


def test_a_csv_cell_cannot_run_as_a_formula(client):
    public(make_meeting, start_date=datetime.date(2022, 1, 1))
    official = public(make_official, name="=HYPERLINK(1)")
    make_participation(meeting=public(make_meeting), official=official)

    rows = read_csv(client.get("/numbers/active-officials.csv"))

    assert rows[1][0] == "'=HYPERLINK(1)"


def test_an_unknown_chart_is_a_404(client):
    response = client.get("/numbers/everything.csv")

    assert response.status_code == 404
    assert "There is no chart &#x27;everything&#x27;" in text(response)


@pytest.mark.parametrize("count", [1, 30])
def test_the_numbers_page_takes_the_same_queries_for_few_and_many_records(client, count):
    for _ in range(count):
        make_numbers_batch()

    queries, sql = count_queries(client, NUMBERS)
    # For each of the five charts, the first reader's: 1 its stored counts (none yet), 2 one
    # grouped query counting them (meetings per year and kind, sessions per year and council,
    # status changes, countries with two counting subqueries, officials), 3 storing them.
    assert queries == 15, sql
    queries, sql = count_queries(client, NUMBERS)
    assert queries == 5, sql  # Every later reader: the five stored tables.


def make_numbers_batch():
    country = public(make_country)
    meeting = meet(datetime.date(2022, 6, 4), country)
    make_participation(meeting=meeting, official=public(make_official))
    public(make_summit, host_country=country)
    initiative = public(make_initiative)
    make_status_change(initiative=initiative)


def test_the_navigation_links_to_the_insight_pages(client):
    html = text(client.get(NUMBERS))

    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S).group(1)
    assert f'<a href="{TIMELINE}">Timeline</a>' in nav
    assert f'<a href="{RELATIONS}">Relations</a>' in nav
    assert f'<a href="{NUMBERS}">Numbers</a>' in nav


# The bundled data (loaded once for the rest of this module)

MEETING = "/meetings/2022-06-04-zhang-ming-meets-akan-rakhmetullin/"


def test_on_4_june_2022_the_sco_had_eight_members_and_zhang_ming(client, sco_data):
    html = text(client.get(on("2022-06-04")))

    members = section(html, "group-1")
    assert "Member states (8)" in members
    names = re.findall(r'<a href="/countries/\w\w/">([^<]+)</a>', members)
    assert names == [
        "China",
        "India",
        "Kazakhstan",
        "Kyrgyzstan",
        "Pakistan",
        "Russia",
        "Tajikistan",
        "Uzbekistan",
    ]
    assert "Iran" in section(html, "group-2")  # An observer then.
    secretary = re.search(r"<dt>Secretary-General</dt>\s*<dd>(.*?)</dd>", html, re.S).group(1)
    assert '<a href="/officials/zhang-ming/">Zhang Ming</a>' in secretary
    chair = re.search(r"<dt>Chairmanship</dt>\s*<dd>(.*?)</dd>", html, re.S).group(1)
    assert "Uzbekistan" in chair


def test_on_4_june_2022_the_last_summit_was_dushanbe_and_the_next_samarkand(client, sco_data):
    html = text(client.get(on("2022-06-04")))

    summits = section(html, "summits-heading")
    heads = re.search(r"Council of Heads of State</th>(.*?)</tr>", summits, re.S).group(1)
    last, following = heads.split("</td>")[:2]
    assert "21st Council of Heads of State" in last and "Dushanbe" in last
    assert "22nd Council of Heads of State" in following and "Samarkand" in following
    week = html[html.index('id="week-heading"') :]
    assert f'<a href="{MEETING}">SCO Secretary-General Zhang Ming meets' in week


def test_the_bundled_meeting_links_to_its_date(client, sco_data):
    html = text(client.get(MEETING))

    assert f'href="{on("2022-06-04")}"' in html


def test_kazakhstan_and_the_secretariat_met_on_4_june_2022(client, sco_data):
    response = client.get(pair_url("kz", "sco-secretariat"))

    assert response.status_code == 200
    html = text(response)
    assert "1 meeting on record" in html
    assert f'<a href="{MEETING}">SCO Secretary-General Zhang Ming meets' in html
    assert '<time datetime="2022-06-04">4 June 2022</time>' in html
    assert "<title>2022: 1 meeting (Meetings)</title>" in html
    officials = section(html, "officials-heading")
    assert "Zhang Ming</a></th><td>SCO Secretariat</td><td>1</td>" in officials
    assert "Akan Rakhmetullin</a></th><td>Kazakhstan</td><td>1</td>" in officials
    assert "Summit preparations" in section(html, "topics-heading")


def test_the_bundled_matrix_counts_that_meeting_once(client, sco_data):
    html = text(client.get(RELATIONS))

    assert cell(html, "Kazakhstan", "SCO Secretariat") == 1
    assert cell(html, "SCO Secretariat", "Kazakhstan") == 1
    assert len(re.findall(r'aria-label="[^"]+: \d+ meetings?"', html)) == 2
    assert "Kazakhstan and China" not in html


def test_the_bundled_pair_of_two_states_has_no_meetings(client, sco_data):
    response = client.get(pair_url("cn", "kz"))

    assert response.status_code == 200
    assert "No meetings between China and Kazakhstan are on record" in text(response)


def test_the_bundled_timeline_draws_a_month_known_document_as_a_span(client, sco_data):
    response = client.get(TIMELINE, {"from": "2013", "to": "2013"})

    rough = [item for item in marks(response).values() if item[0] == "mark-rough"]
    assert rough, "a document of 2013 is known only to the month"
    for _, lane, width, title in rough:
        assert lane == "lane-milestones"
        assert "(known only to the month)" in title
        assert width > 20 * (945 - 150) / 365


def test_the_bundled_register_shows_the_ufa_documents(client, sco_data):
    html = text(client.get(OUTCOMES))

    ufa = section(html, "summit-chs-2015-ufa")
    assert (
        "Agreement on Cooperation and Interaction of the Shanghai Cooperation Organisation" in ufa
    )
    assert 'Signed <time datetime="2015-07-10">10 July 2015</time>' in ufa
    assert "Development Strategy until 2025" in ufa


def test_the_bundled_numbers_count_the_sessions(client, sco_data):
    rows = read_csv(client.get("/numbers/sessions-per-year.csv"))

    assert rows[0] == [
        "Year",
        "Council of Heads of State",
        "Council of Heads of Government",
        "Shanghai Five (predecessor)",
        "Total",
    ]
    assert rows[1] == ["1996", "0", "0", "1", "1"]
    assert ["2022", "1", "1", "0", "2"] in rows
