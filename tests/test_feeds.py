import datetime
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.dates import Precision
from meetings.models import Council, Meeting, State
from tests.factories import (
    make_country,
    make_initiative,
    make_meeting,
    make_official,
    make_participation,
    make_place,
    make_place_name,
    make_summit,
)

PUBLISHED = State.PUBLISHED
JUNE_4 = datetime.date(2022, 6, 4)
ATOM = "{http://www.w3.org/2005/Atom}"
# Calendars of every date (given none, a calendar holds the last two years and what is to come).
EVERY_MEETING = "/meetings.ics?date_after=1990-01-01"
EVERY_SUMMIT = "/summits.ics?date_after=1990-01-01"


@pytest.fixture
def seed(db):
    kz = make_country(iso_code="KZ", slug="kz", name="Kazakhstan", state=PUBLISHED)
    astana = make_place(name="Astana", slug="astana", country=kz)
    make_place_name(place=astana, name="Nur-Sultan", valid_from=datetime.date(2019, 3, 23),
                    valid_until=datetime.date(2022, 9, 19))  # fmt: skip
    zhang = make_official(name="Zhang Ming", slug="zhang-ming", state=PUBLISHED)
    one_day = make_meeting(title="Zhang Ming meets Akan Rakhmetullin", start_date=JUNE_4,
                           slug="2022-06-04-nur-sultan", place=astana, country=kz,
                           state=PUBLISHED)  # fmt: skip
    make_participation(meeting=one_day, official=zhang, capacity="Secretary-General")
    rough = make_meeting(title="Consultations in the autumn", slug="fall-2022",
                         start_date=datetime.date(2022, 9, 1), end_date=datetime.date(2022, 11, 30),
                         date_precision=Precision.SEASON, state=PUBLISHED)  # fmt: skip
    make_meeting(title="A draft not to be shown", slug="draft", start_date=JUNE_4)
    summit = make_summit(slug="cfm-2024-astana", number=24, council=Council.FOREIGN_MINISTERS,
                         place=astana, host_country=kz,
                         start_date=datetime.date(2024, 7, 3),
                         end_date=datetime.date(2024, 7, 4), state=PUBLISHED)  # fmt: skip
    make_summit(slug="draft-summit")
    return {"one_day": one_day, "rough": rough, "summit": summit, "kz": kz}


def read_calendar(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.streaming
    return icalendar.Calendar.from_ical(b"".join(response.streaming_content))


def events(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


# iCalendar


def test_a_one_day_meeting_is_an_all_day_event(client, seed):
    calendar = read_calendar(client.get(EVERY_MEETING))
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    found = events(calendar)
    assert len(found) == 2
    event = found[f"meeting-{seed['one_day'].pk}@sco-tracker"]
    assert str(event["SUMMARY"]) == "Zhang Ming meets Akan Rakhmetullin"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert type(start) is datetime.date and start == JUNE_4
    assert type(end) is datetime.date and end == datetime.date(2022, 6, 5)
    assert str(event["LOCATION"]) == "Nur-Sultan (now Astana), Kazakhstan"
    url = "http://testserver/meetings/2022-06-04-nur-sultan/"
    assert str(event["URL"]) == url
    assert url in str(event["DESCRIPTION"])
    assert "Zhang Ming (Secretary-General)" in str(event["DESCRIPTION"])
    assert event["DTSTAMP"]


def test_a_meeting_known_to_the_season_spans_it_and_says_so(client, seed):
    event = events(read_calendar(client.get(EVERY_MEETING)))[
        f"meeting-{seed['rough'].pk}@sco-tracker"
    ]
    assert event.decoded("DTSTART") == datetime.date(2022, 9, 1)
    assert event.decoded("DTEND") == datetime.date(2022, 12, 1)
    assert "Date known only to the season: fall 2022." in str(event["DESCRIPTION"])
    assert "LOCATION" not in event


def test_uids_are_stable_across_requests(client, seed):
    first = read_calendar(client.get(EVERY_MEETING))
    second = read_calendar(client.get(EVERY_MEETING))
    assert set(events(first)) == set(events(second))


def test_the_calendar_honours_the_list_filters(client, seed):
    found = events(read_calendar(client.get(EVERY_MEETING + "&official=zhang-ming")))
    assert list(found) == [f"meeting-{seed['one_day'].pk}@sco-tracker"]
    assert events(read_calendar(client.get("/meetings.ics?year=1999"))) == {}


def test_summits_are_all_day_events_too(client, seed):
    calendar = read_calendar(client.get(EVERY_SUMMIT + "&country=kz"))
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"summit-{seed['summit'].pk}@sco-tracker"
    assert str(event["SUMMARY"]) == "24th Council of Foreign Ministers"
    assert event.decoded("DTSTART") == datetime.date(2024, 7, 3)
    assert event.decoded("DTEND") == datetime.date(2024, 7, 5)
    assert str(event["LOCATION"]) == "Astana, Kazakhstan"
    assert str(event["URL"]) == "http://testserver/summits/cfm-2024-astana/"


def test_drafts_are_never_in_a_calendar(client, seed, admin_client):
    for user_client in (client, admin_client):
        meetings = read_calendar(user_client.get(EVERY_MEETING))
        assert "A draft" not in str(meetings.to_ical())
        summits = read_calendar(user_client.get(EVERY_SUMMIT))
        assert len(summits.walk("VEVENT")) == 1


def test_a_calendar_given_no_dates_holds_the_last_two_years_and_what_is_to_come(
    client, db, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2026, 12, 7))
    for day in ("2024-12-06", "2024-12-07", "2026-01-10", "2027-03-01"):
        make_meeting(title=f"Talks of {day}", start_date=datetime.date.fromisoformat(day),
                     state=PUBLISHED)  # fmt: skip

    calendar = read_calendar(client.get("/meetings.ics"))

    titles = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
    assert titles == ["Talks of 2024-12-07", "Talks of 2026-01-10", "Talks of 2027-03-01"]
    description = str(calendar["X-WR-CALDESC"])
    assert "from 7 December 2024 on, and every one to come" in description
    assert "?date_after=YYYY-MM-DD&date_before=YYYY-MM-DD" in description
    page = client.get("/meetings/").content.decode()
    assert "(the last two years and all to come, unless you choose dates)" in page


@pytest.mark.parametrize(
    "query, titles",
    [
        ("date_after=2000-01-01&date_before=2024-12-31", ["Talks of 2001", "Talks of 2024"]),
        ("year=2001", ["Talks of 2001"]),
        ("month=2024-12", ["Talks of 2024"]),
    ],
)
def test_a_calendar_given_dates_holds_those_dates(client, db, monkeypatch, query, titles):
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2026, 12, 7))
    for day in ("2001-06-15", "2024-12-06", "2026-01-10"):
        make_meeting(title=f"Talks of {day[:4]}", start_date=datetime.date.fromisoformat(day),
                     state=PUBLISHED)  # fmt: skip

    calendar = read_calendar(client.get(f"/meetings.ics?{query}"))

    assert sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT")) == titles
    assert "under the filters of this address" in str(calendar["X-WR-CALDESC"])


def test_a_calendar_of_more_events_than_one_file_may_hold_is_refused(client, db, settings):
    settings.CALENDAR_EVENT_LIMIT = 2
    for _ in range(3):
        make_meeting(state=PUBLISHED, start_date=timezone.localdate())

    response = client.get("/meetings.ics")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "more than 2 events, more than one file may" in response.content.decode()
    assert "narrow it with the list's filters" in response.content.decode()
    settings.CALENDAR_EVENT_LIMIT = 3
    assert len(read_calendar(client.get("/meetings.ics")).walk("VEVENT")) == 3


@pytest.mark.parametrize(
    "url, message",
    [("/meetings.ics?country=xx", "Held in: "), ("/summits.ics?council=nope", "no council")],
)
def test_a_calendar_with_bad_filters_is_a_400(client, seed, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_calendar_takes_the_same_queries_for_few_and_many_meetings(client, db):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            calendar = read_calendar(client.get(EVERY_MEETING))
        return len(captured), len(calendar.walk("VEVENT"))

    place = make_place()

    def add(count):
        for _ in range(count):
            meeting = make_meeting(place=place, state=PUBLISHED)
            make_participation(meeting=meeting, official=make_official(state=PUBLISHED))

    add(1)
    few, rows = queries()
    assert rows == 1
    add(49)
    # The count, the meetings, their participants with their names, the published countries,
    # the places and their names.
    assert queries() == (few, 50)


def test_a_calendar_reads_each_chunk_of_meetings_participants_in_one_query(client, db, monkeypatch):
    monkeypatch.setattr("public.exports.CHUNK_SIZE", 10)
    for _ in range(25):
        meeting = make_meeting(state=PUBLISHED)
        make_participation(meeting=meeting, official=make_official(state=PUBLISHED))

    with CaptureQueriesContext(connection) as captured:
        calendar = read_calendar(client.get(EVERY_MEETING))

    assert len(calendar.walk("VEVENT")) == 25
    tables = [query["sql"].rsplit(" FROM ", 1)[1].split()[0] for query in captured]
    assert tables.count('"meetings_participation"') == 3
    # Counted up front, then read; the countries and the places once each.
    assert tables.count('"meetings_meeting"') == 2
    assert tables.count('"meetings_country"') == tables.count('"meetings_place"') == 1


def test_a_summits_calendar_takes_the_same_queries_for_few_and_many_summits(client, db):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            calendar = read_calendar(client.get(EVERY_SUMMIT))
        return len(captured), len(calendar.walk("VEVENT"))

    kz = make_country(state=PUBLISHED, name="Kazakhstan")

    def add(count):
        for _ in range(count):
            make_summit(place=make_place(country=kz), host_country=kz, chair_country=kz,
                        state=PUBLISHED)  # fmt: skip

    add(1)
    few, rows = queries()
    assert rows == 1
    add(29)
    # The count, the summits, the published countries, the places and their names.
    assert queries() == (few, 30)
    event = read_calendar(client.get(EVERY_SUMMIT)).walk("VEVENT")[0]
    assert "Chair: Kazakhstan." in str(event["DESCRIPTION"])


# Atom


def read_feed(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(feed):
    return [
        (entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href"))
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_the_meeting_feed_links_newly_published_meetings(client, seed):
    feed = read_feed(client.get("/meetings/feed/"))
    assert feed.findtext(f"{ATOM}title") == "SCO Tracker: newly published meetings"
    assert ("Consultations in the autumn, fall 2022", "http://testserver/meetings/fall-2022/") in (
        entries(feed)
    )
    assert (
        "Zhang Ming meets Akan Rakhmetullin, 4 June 2022",
        "http://testserver/meetings/2022-06-04-nur-sultan/",
    ) in entries(feed)
    assert "draft" not in str(entries(feed))


def test_the_feed_has_the_latest_fifty_by_publication(client, db):
    now = timezone.now()
    for n in range(55):
        make_meeting(slug=f"m-{n}", state=PUBLISHED)
    for n in range(55):
        Meeting.objects.filter(slug=f"m-{n}").update(
            published_at=now - datetime.timedelta(days=55 - n)
        )
    links = [link for _, link in entries(read_feed(client.get("/meetings/feed/")))]
    assert len(links) == 50
    assert links[0] == "http://testserver/meetings/m-54/"
    assert links[-1] == "http://testserver/meetings/m-5/"


def test_the_initiative_feed_links_newly_published_initiatives(client, db):
    make_initiative(title="Astana Declaration", slug="astana-declaration", summary="Signed.",
                    state=PUBLISHED)  # fmt: skip
    make_initiative(title="Draft programme", slug="draft-programme")
    feed = read_feed(client.get("/initiatives/feed/"))
    assert entries(feed) == [
        ("Astana Declaration", "http://testserver/initiatives/astana-declaration/")
    ]
    (entry,) = feed.findall(f"{ATOM}entry")
    assert "Signed." in entry.findtext(f"{ATOM}summary")
    assert entry.findtext(f"{ATOM}published")


def test_the_feed_takes_the_same_queries_for_few_and_many_meetings(client, db):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            read_feed(client.get("/meetings/feed/"))
        return len(captured)

    def add(count):
        for _ in range(count):
            meeting = make_meeting(place=make_place(), state=PUBLISHED)
            make_participation(meeting=meeting, official=make_official(state=PUBLISHED))

    add(1)
    few = queries()
    add(49)
    # Meetings, participations with officials and countries, topics, place names.
    assert queries() == few


def test_the_feed_follows_the_lists_filters(client, seed):
    kz = read_feed(client.get("/meetings/feed/?country=kz&page=2&ordering=date"))
    assert entries(kz) == [
        (
            "Zhang Ming meets Akan Rakhmetullin, 4 June 2022",
            "http://testserver/meetings/2022-06-04-nur-sultan/",
        )
    ]
    assert kz.findtext(f"{ATOM}title") == (
        "SCO Tracker: newly published meetings (Held in: Kazakhstan)"
    )
    links = {link.get("rel"): link.get("href") for link in kz.findall(f"{ATOM}link")}
    assert links["alternate"] == "http://testserver/meetings/?country=kz"
    assert links["self"] == "http://testserver/meetings/feed/?country=kz"
    kazakh = make_official(name="Akan Rakhmetullin", state=PUBLISHED)
    make_participation(meeting=seed["rough"], official=kazakh, country=seed["kz"])
    from_kz = read_feed(client.get("/meetings/feed/?participant_country=kz"))
    assert [title for title, _ in entries(from_kz)] == ["Consultations in the autumn, fall 2022"]
    autumn = read_feed(client.get("/meetings/feed/?q=consultations"))
    assert [title for title, _ in entries(autumn)] == ["Consultations in the autumn, fall 2022"]
    assert entries(read_feed(client.get("/meetings/feed/?year=1999"))) == []


@pytest.mark.parametrize(
    "url, message",
    [
        ("/meetings/feed/?country=xx", "Held in: There is no country 'xx' on record."),
        ("/meetings/feed/?kind=nope", "Kind: There is no kind 'nope'"),
        ("/initiatives/feed/?active_in=abc", "Active in: Give a year as a number"),
    ],
)
def test_a_feed_with_bad_filters_is_a_400_with_the_lists_message(client, db, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in response.content.decode()
    list_page = client.get(url.replace("feed/", ""))
    assert list_page.status_code == 400


def test_a_filtered_list_links_its_filtered_feed(client, seed):
    page = client.get("/meetings/?country=kz&page=1").content.decode()
    feed = "/meetings/feed/?country=kz"
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in page
    assert f'<a href="{feed}">Atom feed' in page


def test_list_pages_link_their_feeds(client, db):
    for url, feed in [("/meetings/", "/meetings/feed/"), ("/initiatives/", "/initiatives/feed/")]:
        page = client.get(url).content.decode()
        assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in page
        assert f'<a href="{feed}">Atom feed' in page


# The bundled data: loaded once for the rest of the module, so these tests come last.


def test_the_calendars_of_the_bundled_data_have_an_event_per_listed_record(client, sco_data):
    for kind in ("meetings", "summits"):
        total = client.get(f"/{kind}/?date_after=1990-01-01").context["page"].paginator.count
        calendar = read_calendar(client.get(f"/{kind}.ics?date_after=1990-01-01"))
        assert len(calendar.walk("VEVENT")) == total > 0


def test_the_bundled_meeting_of_the_secretary_general(client, sco_data):
    calendar = read_calendar(client.get(EVERY_MEETING + "&official=zhang-ming"))
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == JUNE_4
    assert str(event["LOCATION"]) == "Nur-Sultan (now Astana), Kazakhstan"
