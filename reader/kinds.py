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
    r"|\bby\s+(?:tele)?phone\b|\bover\s+the\s+(?:tele)?phone\b|\btelephonic(?:ally)?\b"
    r"|\b(?:tele)?phoned\b|\bdial(?:s|ed)\b",
    re.I,
)
VIDEO = re.compile(
    r"\bvideo[\s-]?conferenc\w*|\bvideo[\s-]?link\b|\bvirtual(?:ly)?\b|\bvideo\s+conference\b"
    # not 'People's Daily Online', 'a weekly online publication'
    r"|(?<!offline/)(?<!Daily\s)\bonline\b(?!\s+(?:publication|edition|newspaper|news))"
    r"|\btele-?conferenc\w*",
    re.I,
)
# 'Patrushev chaired the meeting, held recently via videoconference': said of the meeting itself,
# anywhere near the start.
HELD_BY_VIDEO = re.compile(
    r"\b(?:meeting|session|conference)\b(?:,?|[^.]{0,150}?,\s+(?:which|that))\s+(?:was\s+)?held\s+"
    r"(?:\w+\s+){0,2}(?:via|by|through|in)\s+(?:a\s+)?"
    r"(?:(?:video|tele)[\s-]?conferenc\w*|video[\s-]?link|the\s+format\s+of\s+a\s+video)"
    r"|\b(?:the|this)\s+virtual\s+(?:meeting|session|conference)\b",
    re.I,
)
# 'held in a hybrid format, partly virtual and partly in person': the meeting was held in a place
HYBRID = re.compile(
    r"\bhybrid\b|\bpartly\s+(?:virtual|online)\b|\bin\s+person\b|\bonline\s+and\s+offline\b", re.I
)
# 'will take part in the summit by video link': one side's way of taking part in another meeting
WILL_JOIN = re.compile(
    r"\bwill\s+(?:\w+\s+){0,3}?(?:take\s+part|participate|join|attend|speak|address)\b", re.I
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
    r"|\bCFM\b",
    re.I,
)
# The fields whose ministers (or heads of ministries and agencies) meet as a ministerial meeting.
SECTOR = (
    r"(?:foreign|defen[cs]e|interior|internal\s+affairs|public\s+security|justice|health(?:care)?"
    r"|culture|education|transport|agricultur(?:e|al)|energy|econom(?:y|ic)|trade|emergenc(?:y|ies)"
    r"|finance|science|technology|tourism|environment(?:al)?)"
)
MEMBER_STATES = r"member[\s-]+(?:states|countries|nations)"
SCO_NAME = r"(?:SCO|Shanghai\s+Co-?operation\s+Organi[sz]ation)\b"
# The heads' own meeting: 'the prime ministers' meeting', 'the Meeting of Prime Ministers of
# Member States', 'the heads of state of the six member countries met', 'SCO Summit held'.
HEADS = (
    r"(?:heads?\s+of\s+(?:the\s+)?(?:state|government)s?|heads\s+of\s+(?:the\s+)?(?:SCO\s+)?"
    + MEMBER_STATES
    + r"|prime\s+ministers|premiers|government\s+leaders)"
)
COUNCIL_HELD = re.compile(
    rf"\b{HEADS}'?\s+(?:meeting|summit)\b"
    rf"|\b(?:meeting|summit|session|council(?:\s+meeting)?)\s+of\s+(?:the\s+)?(?:SCO\s+)?{HEADS}\b"
    rf"|\b{HEADS}(?:\s+of\s+the\s+\w+\s+{MEMBER_STATES})?[^.]{{0,80}}\bmet\b"
    r"|\bsummit(?:\s+meeting)?\s+(?:is\s+|was\s+)?(?:held|opens?|opened|took\s+place)\b"
    r"|\b(?:heads|presidents|leaders)\s+of\s+(?:the\s+)?(?:six|seven|eight|nine|ten)\s+"
    r"(?:(?:member|SCO)\s+)?(?:states|countries|nations)\b"
    r"|\b(?:closing|taking\s+part\s+in)\s+(?:a|the)\s+(?:one-day\s+)?summit\b|\bat\s+the\s+one-day\s+summit\b"
    r"|\b(?:presidents|leaders)\s+of\s+(?:[A-Z]\w+,\s+){2,}[A-Z]\w+\s+and\s+[A-Z]\w+\s+(?:\w+\s+)?the\s+summit\b"
    rf"|\bleaders\s+of\s+the\s+{SCO_NAME}"
    r"|\b(?:concluded|concludes|ended|closed|opened|opens)\s+its\s+(?:[A-Z]\w+\s+)?summit\b"
    r"|\bhosts?\s+the\s+(?:SCO\s+)?summit\b"
    rf"|\bsummit\s+of\s+(?:the\s+)?{SCO_NAME}|\bsummit\s+was\s+attended\s+by\b",
    re.I,
)
# A meeting of sectoral ministers: 'the meeting of the ministers of culture', 'SCO transport
# ministers', 'the health ministers of the SCO member nations', 'the Meeting of Heads of
# Emergency Prevention and Relief Agencies', 'officials of the interior ministries of the member
# states met'.
MINISTERS_MEETING = re.compile(
    rf"\b(?:meeting|conference|session|council)\s+of\s+(?:the\s+|their\s+)?"
    rf"(?:{SCO_NAME}\s+(?:\(SCO\)\s+)?)?"
    rf"(?:{MEMBER_STATES}'?\s+)?(?:{SECTOR}\s+)?ministers\b"
    rf"|\b{SECTOR}\s+ministers'?\s+(?:meeting|conference|session)\b|\bSCO\s+{SECTOR}\s+ministers\b"
    rf"|\b{SECTOR}\s+ministers\s+of\s+[^.]{{0,80}}\b{MEMBER_STATES}\b"
    rf"|\bheads\s+of\s+(?:the\s+)?(?:SCO\s+)?(?:{MEMBER_STATES}'?\s+)?{SECTOR}\b[^.]{{0,40}}?"
    r"\b(?:ministries|agencies)\b"
    rf"|\b{SECTOR}\s+ministries\s+of\s+(?:the\s+)?[^.]{{0,50}}\b{MEMBER_STATES}\b"
    rf"|\b{SECTOR}\s+ministers\s+of\s+the\s+{SCO_NAME}"
    rf"|\bministers\s+of\s+(?:the\s+)?{SCO_NAME}[^.]{{0,20}}?\b{MEMBER_STATES}\s+responsible\s+for\b"
    r"|\bheads\s+of\s+(?:the\s+)?ministries\s+and\s+agencies\b",
    re.I,
)
# One official receiving a group ('Xi Jinping meets SCO defence ministers', 'the foreign ministers
# called on the President'): a meeting of many sides, not the ministers' own meeting.
RECEIVES_A_GROUP = re.compile(
    r"\b(?:meets?|met|receives?|received|meeting\s+with|hosts?\s+a\s+meeting\s+with"
    r"|hosted\s+a\s+meeting\s+with)"
    rf"\s+(?:with\s+)?(?:the\s+)?(?:SCO\s+)?(?:(?:{SECTOR}|security\s+council|prime)\s+)?"
    r"(?:ministers|secretaries|heads\s+of\s+delegations?|delegations)\b"
    r"|\bministers\b[^.]{0,60}\bcalled\s+on\b|\bcall\s+on\b[^.]{0,60}\bby\b[^.]{0,20}\bministers\b"
    r"|\bcalled\s+on\b[^.]{0,80}\btogether\s+with\s+the\s+(?:\w+\s+)?ministers\b"
    r"|\b(?:met|meets|received|receives)\s+(?:collectively|jointly)\b",
    re.I,
)
# 'Wang Yi met Russian Foreign Minister Lavrov in Tashkent, where both were attending the meeting
# of SCO foreign ministers', 'opened his round of meetings at the SCO-CFM with a meeting with Zhang
# Ming': one met another, whatever meeting brought them there.
MET_SOMEONE = re.compile(
    r"\b(?:met|meets|held\s+talks\s+with|meeting\s+with)\s+(?:with\s+)?(?-i:[A-Z])", re.I
)
# A meeting of heads of services or agencies, of experts, of several countries' representatives:
# many sides, not a council.
HEADS_MEETING = re.compile(
    r"\bmeeting\s+of\s+(?:the\s+)?heads\s+of\b"
    r"|\bheads\s+of\s+(?:the\s+)?\w+\s+(?:services|agencies)\s+of\s+(?:the\s+)?(?:SCO\s+)?member\b"
    r"|\bmeeting\s+of\s+(?:the\s+)?(?:SCO\s+)?experts\b"
    r"|\brepresentatives\s+of\s+(?:the\s+)?[A-Z][\w' ]{2,30},\s+(?:the\s+)?[A-Z][\w' ]{2,30},",
    re.I,
)
# The session of a body of heads of services or of national coordinators (the RATS Council, the
# Council of National Coordinators), of chief prosecutors or of the secretaries of security
# councils: many sides, whoever is named, as the record files them.
SERVICES_SESSION = re.compile(
    r"\bCouncil\s+of\s+(?:the\s+)?(?:SCO\s+)?(?:Regional\s+Anti-?Terrorist\s+Structure|RATS)\b"
    r"|\bRATS\s+(?:SCO\s+)?Council\b|\bCouncil\s+of\s+National\s+Coordinators\b"
    r"|\bcouncil\s+of\s+(?:the\s+)?[^.]{0,60}?\banti-?terror\w*\s+(?:agency|structure)\b"
    r"|\bexperts\s+(?:from|of)\s+(?:the\s+)?[^.]{0,60}?\b(?:met|meet|gathered)\b|\bContact\s+Group\b"
    r"|\brepresentatives\s+of\s+the\s+(?:\w+\s+){0,3}(?:services|agencies|bodies)\s+of\s+the\s+"
    rf"(?:{SCO_NAME}\s+)?{MEMBER_STATES}"
    r"|\bSecurity\s+Council\s+Secretaries\b|\bsecretaries\s+of\s+(?:the\s+)?(?:\w+\s+){0,3}?"
    r"Security\s+Councils\b"
    r"|\b(?:chief|top)\s+prosecutors\b|\bprosecutors[\s-]+general\b|\bprosecutor[\s-]+generals\b"
    r"|\bmeeting\s+of\s+(?:the\s+)?(?:SCO\s+)?RATS\b"
    rf"|\bconsultations\s+of\s+(?:the\s+)?(?:{SCO_NAME}\s+)?{MEMBER_STATES}",
    re.I,
)
# A joint meeting of the heads of the SCO and of another organisation: many sides, not a council.
WITH_ANOTHER_BODY = re.compile(
    r"\bjoint\s+(?:meeting|session)\s+of\s+the\s+heads\b[^.]{0,150}?\b(?:and|with)\s+(?:the\s+)?"
    r"(?:CSTO|Collective\s+Security|CIS|EAEU|Eurasian|BRICS)",
    re.I,
)
# 'Karzai is in Astana to attend the 10th Summit ... Karzai met Nursultan Nazarbayev': talks held
# by one who came for the summit
CAME_FOR_THE_SUMMIT = re.compile(r"\bto\s+attend\s+the\s+[^.]{0,40}?\bsummit\b", re.I)
# Two people meeting at a larger meeting ('Iran's VP meets with Russian PM at SCO meeting').
MEETS_AT = re.compile(
    r"\bmeets?\s+(?:with\s+)?[^.\n]{1,40}?\s+(?:at|on\s+the\s+sidelines\s+of)\s+(?:the\s+)?"
    r"(?:SCO|summit|meeting)\b",
    re.I,
)
# 'after the conversation between the two leaders': with no meeting reported, a call.
CONVERSATION = re.compile(
    r"\bconversations?\s+(?:between|with)\b|\bhad\s+(?:last\s+)?spoken\b", re.I
)
GATHERING = re.compile(r"\bsitting\b|\bClub\b|\bround\s*table\b|\bforum\b|\bbanquet\b", re.I)
MET = re.compile(
    r"\bmet\b|\bmeets?\b|\bmeeting\s+(?:with|between)\b|\btalks\b|\bcalled\s+on\b|\breceived?s?\b"
    r"|\bexchanged\s+views\s+with\b",
    re.I,
)


def lead_of(text, body_start):
    """The headline and the first paragraph of the body (or its first 600 characters)."""
    head = text[:body_start]
    paragraphs = [p for p in re.split(r"\n\s*\n|\n(?=[A-Z])", text[body_start:]) if p.strip()]
    first = ""
    for paragraph in paragraphs:
        first += "\n" + paragraph
        if len(first) >= 300 and paragraph.rstrip().endswith("."):
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
    elif held_by_video(lead) or HELD_BY_VIDEO.search(text[body_start : body_start + 1500]):
        kind, why = "videoconference", gettext_noop("held by video link")
    elif CALL.search(lead):
        kind, why = "call", gettext_noop("a telephone conversation")
    elif RECEIVES_A_GROUP.search(head_and_first):
        kind, why = "multilateral", gettext_noop("one side received a group")
    elif SERVICES_SESSION.search(head_and_first):
        kind, why = "multilateral", gettext_noop("a meeting of heads of services")
    elif MEETS_AT.search(text[:body_start] or head_and_first) or (
        CAME_FOR_THE_SUMMIT.search(lead)
        and people == 2
        and MET.search(text[body_start : body_start + 1000])
    ):
        kind, why = "bilateral", gettext_noop("talks on the sidelines")
    elif people == 2 and MET_SOMEONE.search(head_and_first):
        kind, why = "bilateral", gettext_noop("two people met")
    elif WITH_ANOTHER_BODY.search(head_and_first):
        kind, why = "multilateral", gettext_noop("a meeting of heads of services")
    elif held_now(COUNCIL_HELD, head_and_first):
        kind, why = "council", gettext_noop("a session of a council of heads")
    elif MINISTERS_MEETING.search(head_and_first):
        kind, why = "ministerial", gettext_noop("a ministerial meeting")
    elif people == 2 and MET.search(lead):
        kind, why = "bilateral", gettext_noop("two people met")
    elif people <= 2 and CONVERSATION.search(lead) and not MET.search(lead):
        kind, why = "call", gettext_noop("a telephone conversation")
    elif (
        sides == 2
        and MET.search(lead)
        and not (MINISTERIAL.search(lead) or held_now(COUNCIL, lead))
    ):
        kind, why = "bilateral", gettext_noop("two people met")  # with their ministers present
    elif GATHERING.search(lead):
        kind, why = "multilateral", gettext_noop("a gathering")
    elif MINISTERIAL.search(lead) or MINISTERS_MEETING.search(lead):
        kind, why = "ministerial", gettext_noop("a ministerial meeting")
    elif held_now(COUNCIL, lead) or held_now(COUNCIL_HELD, lead):
        kind, why = "council", gettext_noop("a session of a council of heads")
    elif HEADS_MEETING.search(lead) or SERVICES_SESSION.search(lead):
        kind, why = "multilateral", gettext_noop("a meeting of heads of services")
    elif people <= 2 and (further := kind_further_on(text[body_start : body_start + 2000])):
        kind, why = further
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


# 'preparations for the coming SCO summit', 'the summit to be held on August 31', 'invited the UN
# Secretary-General to the SCO summit': a council session to come is not the meeting reported
UPCOMING_BEFORE = re.compile(
    r"\b(?:coming|upcoming|forthcoming|next|future|preparations?\s+for|preparing(?:\s+for)?"
    r"|agenda\s+of|ahead\s+of|eve\s+of|invit(?:es|ed|ing)|organi[sz](?:ation|ing)\s+of|to\s+attend)"
    r"\s+(?:[\w'’-]+\s+){0,8}$",
    re.I,
)
UPCOMING_AFTER = re.compile(
    r"^[^.]{0,40}?\b(?:to\s+be\s+held|will\s+be\s+held|scheduled|slated|due\s+to)\b", re.I
)


# 'met Karzai on Thursday, when the organization concluded its Beijing summit': the time of another
# meeting
WHEN = re.compile(r"\bwhen\s+(?:[\w'’-]+\s+){0,4}$", re.I)


def held_now(pattern, text):
    """Whether `pattern` names a council session that is not one to come."""
    return any(
        not UPCOMING_BEFORE.search(text[max(0, m.start() - 80) : m.start()])
        and not WHEN.search(text[max(0, m.start() - 40) : m.start()])
        and not UPCOMING_AFTER.search(text[m.end() : m.end() + 60])
        for m in pattern.finditer(text)
    )


def kind_further_on(text):
    """The kind of meeting a longer stretch of the item names, when its lead names none and
    few people: a council session, a ministers' meeting, a meeting of services' heads."""
    if held_now(COUNCIL_HELD, text):
        return "council", gettext_noop("a session of a council of heads")
    if MINISTERS_MEETING.search(text):
        return "ministerial", gettext_noop("a ministerial meeting")
    if SERVICES_SESSION.search(text) or HEADS_MEETING.search(text):
        return "multilateral", gettext_noop("a meeting of heads of services")
    return None


def held_by_video(lead):
    """Whether the lead says the meeting is or was held by video link (not that someone will take
    part in another one by video link)."""
    for m in VIDEO.finditer(lead):
        sentence_so_far = re.split(r"[.!?]\s", lead[: m.start()])[-1]
        sentence = sentence_so_far + re.split(r"[.!?]\s", lead[m.start() :])[0]
        if not WILL_JOIN.search(sentence_so_far) and not HYBRID.search(sentence):
            return True
    return False


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
