"""What kind of meeting a news item reports, from the words of its headline and lead."""

import re

from django.utils.translation import gettext_noop

from reader.notes import Note

# Translators: the kinds of meeting the article reader tells apart ("Kind: call (...)").
KIND_NAMES = {
    "call": Note(gettext_noop("call")),
    "videoconference": Note(gettext_noop("videoconference")),
    "council": Note(gettext_noop("council")),
    "ministerial": Note(gettext_noop("ministerial")),
    "bilateral": Note(gettext_noop("bilateral")),
    "multilateral": Note(gettext_noop("multilateral")),
}

CALL = re.compile(
    r"\b(?:tele)?phone\s+(?:call|conversation|talks?)\b|\bspoke\s+(?:by|on\s+the)\s+(?:tele)?phone\b"
    r"|\bby\s+(?:tele)?phone\b",
    re.I,
)
VIDEO = re.compile(
    r"\bvideo[\s-]?conferenc\w*|\bvideo[\s-]?link\b|\bvirtual(?:ly)?\b|\bvideo\s+conference\b"
    r"|(?<!offline/)\bonline\b",
    re.I,
)
SIDELINES = re.compile(r"\bsidelines\b|\bon\s+the\s+margins?\b", re.I)
COUNCIL = re.compile(
    r"\bCouncil\s+of\s+(?:the\s+)?Heads\b|\bHeads?\s+of\s+(?:State|Government)s?\s+Council\b"
    r"|\bHeads?\s+of\s+(?:State|Government)s?\s+\(Prime\s+Ministers\)\s+Council\b"
    r"|\bconference\s+of\s+the\s+Council\b|\b(?:SCO|leaders'?)\s+summit\b|\bsummit\s+of\s+the\b"
    r"|\bCouncil\s+of\s+Heads\b|\bheads\s+of\s+government\b.{0,40}\bmeeting\b",
    re.I,
)
MINISTERIAL = re.compile(
    r"\bCouncil\s+of\s+(?:the\s+)?(?:Ministers\s+of\s+)?Foreign\s+(?:Affairs|Ministers)\b"
    r"|\bForeign\s+Ministers'?\s+(?:Council|meeting|Meet)\b|\bforeign\s+ministers\b.{0,90}\bmet\b"
    r"|\bMinisters?\s+of\s+Foreign\s+Affairs\b.{0,40}\bCouncil\b|\bMinisterial\b"
    r"|\bdefen[cs]e\s+(?:ministers|chiefs)\b|\bDefen[cs]e\s+Ministers'?\s+Meeting\b"
    r"|\bSecurity\s+Council\s+Secretaries\b|\bsecretaries\s+of\s+(?:the\s+)?Security\s+Councils\b"
    r"|\bCFM\b",
    re.I,
)
GATHERING = re.compile(r"\bsitting\b|\bClub\b|\bround\s*table\b|\bforum\b", re.I)
MET = re.compile(
    r"\bmet\b|\bmeets?\b|\bmeeting\s+(?:with|between)\b|\btalks\b|\bcalled\s+on\b|\breceived?s?\b",
    re.I,
)


def lead_of(text, body_start):
    """The headline and the first paragraph of the body (or its first 600 characters)."""
    head = text[:body_start]
    paragraphs = [p for p in re.split(r"\n\s*\n|\n(?=[A-Z])", text[body_start:]) if p.strip()]
    first = ""
    for paragraph in paragraphs:
        first += "\n" + paragraph
        if len(first) >= 200 and paragraph.rstrip().endswith("."):
            break
    return (head + "\n" + first)[:900]


def read_kind(reading, text, body_start):
    """Set `reading.kind`: call, videoconference, council, ministerial, bilateral, multilateral."""
    lead = lead_of(text, body_start)
    people = len(reading.participants) + len(reading.candidates)
    sides = len(sides_of(reading))
    # the headline and dateline ('MOSCOW, July 3. /TASS/.') and the body's first sentence
    body = text[body_start:].lstrip()
    head_and_first = (
        text[:body_start] + "\n" + re.split(r"(?<=[.!?])\s+(?=[A-Z])", body, maxsplit=1)[0]
    )
    if CALL.search(head_and_first):
        kind, why = "call", gettext_noop("a telephone conversation")
    elif SIDELINES.search(lead) and MET.search(lead):
        kind, why = "bilateral", gettext_noop("talks on the sidelines")
    elif VIDEO.search(lead):
        kind, why = "videoconference", gettext_noop("held by video link")
    elif people == 2 and MET.search(lead):
        kind, why = "bilateral", gettext_noop("two people met")
    elif sides == 2 and MET.search(lead) and not (MINISTERIAL.search(lead) or COUNCIL.search(lead)):
        kind, why = "bilateral", gettext_noop("two people met")  # with their ministers present
    elif GATHERING.search(lead):
        kind, why = "multilateral", gettext_noop("a gathering")
    elif MINISTERIAL.search(lead):
        kind, why = "ministerial", gettext_noop("a ministerial meeting")
    elif COUNCIL.search(lead):
        kind, why = "council", gettext_noop("a session of a council of heads")
    elif people <= 2:
        kind, why = "bilateral", gettext_noop("two participants")
    else:
        kind, why = "multilateral", gettext_noop("more than two participants")
    reading.kind = kind
    reading.found.append(
        Note(
            gettext_noop("Kind: %(kind)s (%(why)s)."),
            kind=KIND_NAMES.get(kind, kind),
            why=Note(why),
        )
    )


def sides_of(reading):
    """The countries and bodies the participants came for (a participant of unknown post, or
    a name not on record, counts as a side of their own)."""
    sides = {side_of(p) for p in reading.participants}
    return sides | {("name", c.name) for c in reading.candidates}


def side_of(participant):
    if participant.country:
        return ("country", participant.country.pk)
    if participant.organization:
        return ("body", participant.organization.pk)
    return ("person", participant.official.pk)
