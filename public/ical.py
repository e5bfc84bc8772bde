"""iCalendar text (RFC 5545) written directly: a calendar of all-day events, one VEVENT at a time.

The icalendar library builds an object per property and a parser-grade content line per value,
about 1 ms an event, as much as reading the event's record; a calendar of all-day events needs
only TEXT escaping, dates and line folding, written here in the order and form icalendar gives
them (so a calendar reads the same as one it writes; tests/test_feeds.py parses the output with
it). Lines end in CRLF; a line longer than 75 octets is folded before a character that would
take it past 74, never inside a UTF-8 character nor right after a backslash.
"""

import datetime

LINE_OCTETS = 74
CONTINUATION = 0b1000_0000  # the top bits of a UTF-8 byte that continues a character: 10xxxxxx


def text(value):
    """A TEXT value: backslash, semicolon and comma escaped, each line break written as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line):
    """The content line `line` (a str) as UTF-8 octets, folded with CRLF and a space."""
    data = line.encode()
    if len(data) <= LINE_OCTETS:
        return data + b"\r\n"
    parts, start = [], 0
    while len(data) - start > LINE_OCTETS:
        end = start + LINE_OCTETS
        while data[end] & 0b1100_0000 == CONTINUATION:  # not inside a character
            end -= 1
        if data[end - 1] in b"\\^":  # an escape stays with what it escapes
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def date(day):
    return f"{day:%Y%m%d}"


def utc(moment):
    """A DATE-TIME in UTC, to the second: 20240604T120000Z."""
    return f"{moment.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"


def calendar_head(name, description, prodid):
    """The VCALENDAR's opening lines; its calendar programs read it again daily.

    The X-WR- names (one line each) are written as they are, as icalendar writes and reads
    properties it does not know."""
    return b"".join(
        [
            b"BEGIN:VCALENDAR\r\n",
            b"VERSION:2.0\r\n",
            fold(f"PRODID:{text(prodid)}"),
            b"CALSCALE:GREGORIAN\r\n",
            fold(f"X-WR-CALDESC:{description}"),
            fold(f"X-WR-CALNAME:{name}"),
            b"REFRESH-INTERVAL;VALUE=DURATION:P1D\r\n",
            b"X-PUBLISHED-TTL:P1D\r\n",
        ]
    )


CALENDAR_TAIL = b"END:VCALENDAR\r\n"


def all_day_event(uid, stamp, first_day, last_day, summary, where, description, url):
    """A VEVENT from `first_day` to `last_day` (DTEND is the day after), as octets; `where`
    may be empty (no LOCATION)."""
    after = last_day + datetime.timedelta(days=1)
    return b"".join(
        [
            b"BEGIN:VEVENT\r\n",
            fold(f"SUMMARY:{text(summary)}"),
            f"DTSTART;VALUE=DATE:{date(first_day)}\r\nDTEND;VALUE=DATE:{date(after)}\r\n"
            f"DTSTAMP:{utc(stamp)}\r\n".encode(),
            fold(f"UID:{text(uid)}"),
            fold(f"DESCRIPTION:{text(description)}"),
            fold(f"LOCATION:{text(where)}") if where else b"",
            b"TRANSP:TRANSPARENT\r\n",
            fold(f"URL:{url}"),
            b"END:VEVENT\r\n",
        ]
    )
