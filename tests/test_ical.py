"""The iCalendar writer (public/ical.py), read back by icalendar as a calendar program would."""

import datetime

import icalendar
from hypothesis import given
from hypothesis import strategies as st

from public import ical

STAMP = datetime.datetime(2024, 6, 4, 9, 30, 15, 123456, tzinfo=datetime.UTC)
# Text of every kind a record may hold: Cyrillic and Chinese (2 and 3 octets), an emoji (4),
# the characters TEXT escapes, line breaks of each kind, and the escape-like `\N` and `^`.
TRICKY = "Встреча, «Астана»; 上海合作组织 \\ 🙂 ^a\r\nb\nc\rd \\N end" * 3


def parse(octets):
    return icalendar.Calendar.from_ical(octets)


def calendar(*events):
    return (
        ical.calendar_head("Name", "About it, with a comma", "-//Test//EN")
        + b"".join(events)
        + ical.CALENDAR_TAIL
    )


def one_event(**given):
    values = {
        "uid": "meeting-1@sco-tracker",
        "stamp": STAMP,
        "first_day": datetime.date(2022, 6, 4),
        "last_day": datetime.date(2022, 6, 4),
        "summary": "Talks",
        "where": "Astana, Kazakhstan",
        "description": "Bilateral meeting.",
        "url": "http://testserver/meetings/talks/",
    }
    return ical.all_day_event(**{**values, **given})


def physical_lines(octets):
    assert octets.endswith(b"\r\n")
    return octets[:-2].split(b"\r\n")


@given(st.text(min_size=0, max_size=400))
def test_a_folded_line_unfolds_to_itself_and_no_line_passes_75_octets(line):
    line = line.replace("\r", "").replace("\n", "")
    lines = physical_lines(ical.fold(line))
    for number, octets in enumerate(lines):
        assert len(octets) <= 75
        octets.decode()  # never cut inside a character: a UnicodeDecodeError if it were
        if number:
            assert octets.startswith(b" ")
    assert b"".join(octets[1:] if n else octets for n, octets in enumerate(lines)).decode() == line


@given(st.text(max_size=300))
def test_any_text_reads_back_as_written(value):
    # icalendar reads a bare \r as a line end, as we write it: \n.
    expected = value.replace("\r\n", "\n").replace("\r", "\n")
    event = parse(calendar(one_event(summary=value, description=value))).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == expected
    assert str(event["DESCRIPTION"]) == expected


def test_an_event_is_the_one_icalendar_writes():
    """The same octets as icalendar's own Event (the calendars were written with it before)."""
    text = TRICKY.replace("\\N", "")  # icalendar reads a literal \N as a line break
    written = one_event(summary=text, where=text, description=text)

    theirs = icalendar.Event()
    theirs.add("uid", "meeting-1@sco-tracker")
    theirs.add("dtstamp", STAMP)
    theirs.add("dtstart", datetime.date(2022, 6, 4))
    theirs.add("dtend", datetime.date(2022, 6, 5))
    theirs.add("summary", text)
    theirs.add("location", text)
    theirs.add("url", "http://testserver/meetings/talks/")
    theirs.add("description", text)
    theirs.add("transp", "TRANSPARENT")
    assert written == theirs.to_ical()


def test_an_all_day_event_spans_its_days_and_is_free_time():
    parsed = parse(calendar(one_event(last_day=datetime.date(2022, 6, 6))))
    assert str(parsed["X-WR-CALNAME"]) == "Name"
    assert str(parsed["X-WR-CALDESC"]) == "About it, with a comma"
    assert str(parsed["VERSION"]) == "2.0" and str(parsed["PRODID"]) == "-//Test//EN"
    (event,) = parsed.walk("VEVENT")
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert type(start) is datetime.date and start == datetime.date(2022, 6, 4)
    assert type(end) is datetime.date and end == datetime.date(2022, 6, 7)
    assert event.decoded("DTSTAMP") == STAMP.replace(microsecond=0)
    assert str(event["UID"]) == "meeting-1@sco-tracker"
    assert str(event["LOCATION"]) == "Astana, Kazakhstan"
    assert str(event["TRANSP"]) == "TRANSPARENT"


def test_a_time_in_another_zone_is_stamped_in_utc():
    moscow = datetime.timezone(datetime.timedelta(hours=3))
    stamp = datetime.datetime(2024, 6, 4, 12, 30, tzinfo=moscow)
    assert b"DTSTAMP:20240604T093000Z\r\n" in one_event(stamp=stamp)


def test_an_event_with_no_place_has_no_location():
    (event,) = parse(calendar(one_event(where=""))).walk("VEVENT")
    assert "LOCATION" not in event
