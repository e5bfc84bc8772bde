"""Who took part: officials on record by name or title, and names not on record."""

import bisect
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop
from rapidfuzz import fuzz, process

from meetings.dates import format_partial
from meetings.models import (
    Country,
    Official,
    Organization,
    Position,
    Post,
)
from meetings.names import SPELLING_RATIO, names_alike, normalise_name
from reader.notes import Note, later
from reader.text import SCO, compiled, flat, fold, phrase_regex

ADJECTIVES = {
    "Kazakhstan": "Kazakh(?:stani)?", "China": "Chinese", "Russia": "Russian",
    "Kyrgyzstan": "Kyrgyz", "Tajikistan": "Tajik", "Uzbekistan": "Uzbek", "India": "Indian",
    "Pakistan": "Pakistani", "Iran": "Iranian", "Belarus": "Belarusian(?:ian)?",
    "Mongolia": "Mongolian", "Afghanistan": "Afghan", "Türkiye": "Turkish",
}  # fmt: skip
FORMAL_NAMES = {
    "Kazakhstan": ["Republic of Kazakhstan"],
    "China": ["People's Republic of China", "PRC"],
    "Russia": ["Russian Federation"],
    "Kyrgyzstan": ["Kyrgyz Republic"],
    "Tajikistan": ["Republic of Tajikistan"],
    "Uzbekistan": ["Republic of Uzbekistan"],
    "India": ["Republic of India"],
    "Pakistan": ["Islamic Republic of Pakistan"],
    "Iran": ["Islamic Republic of Iran"],
    "Belarus": ["Republic of Belarus"],
}
# Words before a post's title that say its holder that day is not meant ('Mezentsev, who was
# SCO Secretary-General until January', 'the next Secretary-General').
NOT_THE_HOLDER = re.compile(
    r"(?:\bwho\s+(?:was|had\s+been|has\s+been)|\b(?:former|outgoing|next|incoming|future))"
    r"\s+(?:the\s+)?$",
    re.I,
)
# Words before a post's title that make it another post ("Deputy Secretary-General").
OTHER_RANK = re.compile(
    r"(?:\bDeputy|\bVice|\bAssistant|\bFormer|\bformer|\bex)[-\s]+$"
    r"|\b(?:Advis[eo]r|Assistant|Aide|Envoy|(?:Special\s+)?Representative)\s+(?:to|of)\s+(?:the\s+)?$"
    r"|\b(?:Agency|Committee|Centre|Center|Service|Council)\s+under\s+the\s+$",
    re.I,
)
FOREIGN_BODY = re.compile(
    r"(?:\b(?:UN|United Nations|ASEAN|CIS|CSTO|OSCE|ECO|ESCAP|EAEU|Eurasian|CICA)\b[\s\w]*$)"
)
# Titles that mark the name next to them as a person's, whether or not the post is on record.
GENERIC_TITLE = (
    r"(?:(?:First\s+)?(?:Deputy\s+|Vice[-\s])?(?:President|Prime\s+Minister|Premier|Chairman"
    r"|Chairwoman|Chair|Minister|Foreign\s+Minister|Secretary[-\s]General|Director[-\s]General"
    r"|Director|Ambassador"
    r"|Speaker|Head|Executive\s+Secretary|Spokesman|Spokesperson|Emir|King|Sheikh|Secretary"
    r"|(?:National\s+Security\s+)?Advis[eo]r|Aide|Envoy|Representative|Governor|Mayor|Commissioner"
    r"|Chief|Admiral|counterpart))"
)
# The body after a title printed before a name ('Executive Secretary of the Economic and Social
# Commission for Asia and the Pacific', 'Ambassador of Tajikistan to China'): capitalised words,
# joined by 'of', 'for', 'and', 'to', 'in', 'on', 'the', with bracketed short names.
BODY_WORD = r"(?:[A-Z][\w'’-]*|\([A-Z][\w\s]{0,20}\))"
LOOSE_TAIL = (
    rf"(?:\s+(?:of|for|to|in|at|on)\s+(?:the\s+)?{BODY_WORD}"
    rf"(?:\s+(?:(?:of|for|and|to|in|at|on|the)\s+)*{BODY_WORD})*)?"
)
# Words before a name that are not part of it ('Ms Andleeb Abbas', 'Shri ...', 'Engineer ...').
HONORIFICS = {
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Shri", "Smt", "Sri", "Engineer", "Eng", "Excellency",
    "Madam", "Sir", "Lord", "Dame", "Mister", "Professor", "Academician",
}  # fmt: skip
UNTITLED_SHORTEST = 12  # letters of a name printed without a title, to match it loosely
# Sentences in which an official mentioned is taking part (not just named).
PARTICIPATION = re.compile(
    r"\b(?:met|meets?|meeting\s+with|held\s+(?:\w+\s+)?(?:talks|a\s+meeting|consultations)"
    r"|talks\s+with|attend|presides|presiding|represented|came\s+as|spoke\s+on\s+behalf\s+of"
    r"|spoke\s+(?:by\s+(?:tele)?phone\s+)?with|talked\s+(?:by\s+(?:tele)?phone\s+)?with"
    r"|joined|reached\s+the\s+venue|(?:tele)?phone\s+(?:conversation|call|talks)\s+with|addressing"
    r"|from\s+(?:the\s+)?(?:[\w-]+\s+){1,3}came"
    r"|(?:gave|delivered|made)\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+)?(?:\w+\s+)?(?:remarks|speech"
    r"|address|statement)"
    r"|received|receives|welcomed|welcomes|greeted\s+by|hosted|hosts|attended|attends|attending|took\s+part"
    r"|takes\s+part|taking\s+part|participated|participates|chaired|chairs|presided|led\s+by"
    r"|headed\s+by|led\s+the|visited|visits|addressed|were\s+present|was\s+present"
    r"|also\s+present|holding\s+talks|held\s+talks|sat\s+in\s+on"
    r"|(?:had|held)\s+a\s+(?:meeting|(?:tele)?phone\s+(?:conversation|call|talks?))"
    r"|called\s+on|will\s+(?:chair|lead|attend|host)|signed\s+a\s+series|told\s+the\s+participants"
    r"|from\s+\w+\s+came|took\s+part|attending\s+were|taking\s+part\s+were|participants?\s+were"
    r"|the\s+host\s+was|accompanied\s+by|(?:among\s+those\s+|also\s+)?present\s+(?:were|at)|among\s+those\s+present"
    r"|brought\s+together|in\s+attendance|joined\s+by|participants\s+included"
    r"|participants,\s+among\s+them|(?:speech(?:es)?|remarks)\s+(?:were|was)\s+(?:delivered|made|given)"
    r"|Meeting\s+(?:with\s+)?(?:[A-Z][\w-]*\s+){1,2}(?:President|Prime\s+Minister|Premier)"
    r"|spoke\s+(?:at|during)|signed(?!\s+(?:a\s+|the\s+)?(?:decree|law|order))|told\s+(?:reporters|journalists|a\s+(?:joint\s+)?(?:press|news)"
    r"\s+conference))\b",
    re.I,
)
# ... unless the sentence speaks of a meeting that may come or of another event at that time
# ('a possible meeting with', 'who is set to meet him later in the day', 'at the same time',
# 'Before the conference, the President met ...').
NOT_YET = re.compile(
    r"\b(?:possible|possibly|anticipation|anticipated|(?:is|are)\s+set\s+to|later\s+in\s+the\s+day"
    r"|would\s+be\s+their|at\s+the\s+same\s+time|meanwhile|(?:is|are)\s+(?:due|scheduled)\s+to"
    r"|planned\s+(?:trip|visit)|(?:were|was)\s+to\s+(?:hold|meet)|would\s+meet|next\s+(?:week|month))\b"
    r"|^\s*(?:Before|Prior\s+to)\s+the\s+(?:conference|meeting|session|talks)\b",
    re.I,
)
# ... and, after the first sentence, when it recalls another meeting or a predecessor ('recalled
# his talks with President Putin in Moscow last month', 'succeeding Vladimir Norov', 'had been
# signed by', 'Later on Friday, Wen met ...').
OTHER_EVENT = re.compile(
    r"\brecall(?:s|ed|ing)?\b|\blast\s+(?:month|year)\b|\bearlier\s+this\s+(?:year|month)\b"
    r"|\bprevious\s+(?:meeting|visit|talks)\b|\bsucceed(?:s|ed|ing)\b|\bpredecessor\b"
    r"|\bhad\s+(?:been|met|signed|held)\b|\blater\s+(?:on\s+\w+day|that\s+day)\b"
    r"|\b(?:addressed|attended|chaired)\s+that\s+meeting\b"
    # the guests of a summit to come: 'Among the participants will be President Putin, ...'
    r"|\bparticipants\s+will\s+be\b",
    re.I,
)
# Someone a participant speaks for, brings greetings from or works under ('spoke on behalf of
# Secretary-General Vladimir Norov', 'greetings from President Putin', 'under the leadership of
# President Mirziyoyev') is only mentioned.
SENT_BY = re.compile(
    r"\b(?:on\s+behalf\s+of|greetings\s+from|message\s+from|letter\s+from)\b[^.,;:]*$"
    # 'on the initiative of the President of the Republic of Kazakhstan, K.K. Tokayev'
    r"|\b(?:under\s+the\s+(?:leadership|guidance)\s+of|(?:at|on)\s+the\s+initiative\s+of)\b"
    r"[^.,;:]*(?:,\s*)?$"
    r"|\bin\s+memory\s+of\b[^.;:]*$",  # 'a moment of silence in memory of President Raisi, ...'
    re.I,
)
# Someone reported speaking at the meeting takes part: 'Minister Kalmukhanbet Kassymov opened the
# meeting', 'Azamat Zhamankulov, proposed', '..., said Kazakh Energy Minister Almasadam
# Satkaliyev' (not someone named in what they said).
SPEAKS = (
    r"(?:said|says|stressed|noted|proposed|praised|discussed|emphasi[sz]ed|told\s+(?:reporters|journalists)"
    r"|voiced|urged|called\s+for|underlined|underscored|pointed\s+out|conveyed|suggested"
    r"|congratulated|thanked"
    r"|opened\s+the\s+(?:meeting|session|conference))"
)
SPEAKS_AFTER = re.compile(
    rf"^(?:,[^,.;:\"“”]{{0,80}})?(?:\s+and\s+(?:[A-Z][\w'’.-]*\s+){{1,4}}?)?,?\s+(?:also\s+)?{SPEAKS}\b"
)
SPEAKS_BEFORE = re.compile(rf"[,\"”]\s*{SPEAKS}\s+(?:[A-Z][\w'’-]*\s+){{0,6}}$")
# ... at this meeting, not at 'an April 3 meeting' or 'a meeting' the item recalls.
AT_ANOTHER = re.compile(r"^\s*(?:At|During)\s+an?\b")
# After the first sentence, a leader receiving the delegations of the meeting reported ('The heads
# of the delegations were received by President Islam Karimov', 'the defence ministers met with
# President Nazarbayev', 'N.Nazarbayev held a meeting with the foreign ministers') is only
# mentioned: the reception is not the ministers' meeting.
GROUP = r"(?:ministers|secretaries|delegations|heads\s+of\s+(?:the\s+)?delegations)"
RECEIVES_THE_GROUP = re.compile(
    rf"\b(?:received|receives|met\s+with|meets\s+with|held\s+a\s+meeting\s+with)\s+(?:the\s+)?"
    rf"(?:SCO\s+)?"
    rf"(?:[\w-]+\s+){{0,3}}{GROUP}\b"
    rf"|\b{GROUP}\b[^.]{{0,120}}\b(?:met\s+with|called\s+on|were\s+received\s+by)\b",
    re.I,
)
# 'the Tajik Prosecutor-General's Office said': the office, not its head.
AN_OFFICE = re.compile(
    r"['’]s\s+(?:Office|press\s+(?:service|cent(?:er|re)|office)|Administration|website)\b"
)
# A sentence naming this many people is a list of those who came.
LIST_LENGTH = 3
GREETINGS = re.compile(r"\b(?:greetings|regards|condolences|best\s+wishes)\b", re.I)
# 'Leaders who attended:' introduces a list whose lines (without a full stop) all take part.
LIST_INTRO = re.compile(r":\s*$")
# 'High representatives of the observer states: A, B, C ...': a list after a colon takes part.
LIST_AFTER_COLON = re.compile(r":\s[^:]*,[^:]*,")

NOT_A_NAME = {
    # Capitalised words that start a sentence or belong to bodies and titles, never to a name.
    "The", "A", "An", "In", "On", "At", "By", "For", "Of", "And", "But", "During", "After",
    "Before", "Further", "Also", "According", "Among", "As", "It", "He", "She", "They", "This",
    "That", "These", "There", "Taking", "Together", "Significant", "His", "Her", "Their",
    "SCO", "Shanghai", "Cooperation", "Organization", "Organisation", "Council", "Heads",
    "State", "States", "Government", "Member", "Summit", "Declaration", "Charter", "Convention",
    "Programme", "Program", "Strategy", "Agreement", "Treaty", "Statement", "Communiqué",
    "Communique", "Joint", "Regional", "Anti-Terrorist", "Antiterrorist", "Structure",
    "Executive", "Committee", "Secretariat", "Secretary", "General", "Secretary-General",
    "Director", "President", "Vice", "Prime", "Minister", "Ministers", "Premier", "Chairman",
    "Chair", "Deputy", "First", "Foreign", "Affairs", "Ministry", "Republic", "Federation",
    "People's", "Islamic", "Kingdom", "Cabinet", "Business", "Interbank", "Association",
    "Board", "Mission", "Observation", "Observer", "Leaders", "Leader", "Delegation",
    "Ambassador", "Head", "Speaker", "Spokesman", "RATS", "UN", "United", "Nations", "News",
    "Agency", "Province", "City", "Region", "Central", "Asia", "Asian", "Eurasian", "Economic",
    "Development", "Security", "Anniversary", "Chairmanship", "Presidency", "Meeting",
    "External", "Internal", "Interior", "Defence", "Defense", "Finance", "Trade", "Justice",
    "Economy", "Energy", "Emergency", "Situations", "Senate", "Parliament",
    "National", "Assembly", "Supreme", "Court", "Bank", "Consortium", "Commission", "Office",
    "Administration", "Acting", "Federal", "Parliamentary", "Social", "Pacific", "Special",
    "Counter-Terrorist", "Anti-terrorist", "Counter-terrorist", "Secretary-general",
    "Extraordinary", "Plenipotentiary", "Adviser", "Advisor", "Envoy", "Representative",
    "Permanent", "Governor", "Mayor", "Commissioner", "Chief", "Prosecutor", "Attorney",
    "Councillor", "Councilor", "Division", "Department", "Service", "Services", "Collective",
    "Conference", "Interaction", "Confidence", "Building", "Measures", "Southeast",
    "Independent", "Commonwealth", "Directorate", "Headquarters", "Forces", "Armed", "Staff",
    "Bureau", "Institute", "University", "Fund", "Union", "Counter", "Terrorism", "Terrorist",
    # verbs of a headline in title case ('President Tokayev Hosts Meeting with ...')
    "Hosts", "Meets", "Holds", "Receives", "Says", "Calls", "Visits", "Urges", "Signs", "Attends",
    "Discusses", "Chairs", "Welcomes", "Addresses",
    "Drug", "Drugs", "Narcotics", "Narcotic", "Control",
    *HONORIFICS,
}  # fmt: skip


@dataclass
class Participant:
    official: Official
    capacity: str = ""
    position: Position | None = None
    country: Country | None = None
    organization: Organization | None = None
    found_as: list = field(default_factory=list)


@dataclass
class Candidate:
    name: str
    capacity: str = ""


@dataclass
class Mention:
    officials: list
    start: int
    end: int
    text: str
    how: str  # name, initials, surname, title, spelling


@dataclass
class TitleRule:
    post: Post
    title: re.Pattern
    before: re.Pattern
    after: re.Pattern
    # The words (lower case) each printed form of the title needs in the text; None: not known.
    needs: list | None = None

    def may_be_in(self, lowered):
        """False when `lowered` (a text in lower case) cannot hold the title."""
        return self.needs is None or any(all(w in lowered for w in words) for words in self.needs)


def words_needed(titles):
    needs = []
    for title in titles:
        if not title.isascii() or re.search(r"shanghai", title, re.I):
            return None  # written in the text as 'SCO' or in other letters
        words = re.split(r"[\s-]+", title.strip().lower())
        needs.append([re.sub(r"organi[sz]ation", "organi", w) for w in words if w])
    return needs


@dataclass
class TitleMention:
    post: Post | None
    start: int
    end: int
    text: str
    holders: list


def title_rule(post):
    """How a post's title is printed, with the organisation or country that qualifies it."""
    titles = {post.title}
    titles.add(re.sub(r"Minister of Foreign Affairs$", "Foreign Minister", post.title))
    title = "|".join(phrase_regex(t) for t in sorted(titles, key=len, reverse=True))
    organization = post.organization
    if organization.country_id:
        country = organization.country
        forms = [country.name, *FORMAL_NAMES.get(country.name, [])]
        forms_re = "|".join(phrase_regex(f) for f in sorted(forms, key=len, reverse=True))
        adjective = ADJECTIVES.get(country.name)
        before = rf"(?:\b(?:the\s+)?(?:{forms_re})(?:'s)?"
        before += rf"|\b{adjective})\s+$" if adjective else r")\s+$"
        after = rf"\s*,?\s+of\s+(?:the\s+)?(?:{forms_re})\b"
    else:
        cores = organization_cores(organization)
        core = "|".join(cores)
        before = (
            rf"(?:\bthe\s+)?(?:{SCO}(?:'s)?\s+)?(?:{core})(?:'s)?(?:\s+Executive\s+Committee)?\s+$"
        )
        after = (
            rf"\s*,?\s+of\s+the\s+(?:Executive\s+Committee\s+of\s+the\s+)?(?:{SCO}\s+)?"
            rf"(?:{core})(?:\s*\((?:SCO\s+)?[A-Z]+\))?(?:\s+Executive\s+Committee)?"
            rf"(?:\s+of\s+the\s+{SCO})?"
        )
    return TitleRule(
        post,
        compiled(rf"(?<!\w)(?:{title})(?!\w)"),
        compiled(before),
        compiled(after),
        words_needed(titles),
    )


def organization_cores(organization):
    """The names an SCO body goes by in print: 'SCO' for the Secretariat, 'RATS', ..."""
    names = {organization.name, organization.short_name} - {""}
    cores = set()
    for name in names:
        core = re.sub(r"^Executive Committee of the\s+", "", name)
        core = re.sub(r"\s+Executive Committee$", "", core)
        core = re.sub(r"^Secretariat of the\s+", "", core)
        core = re.sub(r"\s+Secretariat$", "", core)
        core = re.sub(r"\s+of the (?:SCO|Shanghai Cooperation Organi[sz]ation)$", "", core)
        cores.update({name, core})
    return [phrase_regex(c) for c in sorted(cores, key=len, reverse=True)]


def find_titles(text, lexicon, day):
    """Posts on record named in the text with their organisation or country."""
    found = []
    lowered = text.lower()
    for rule in lexicon.title_rules:
        if not rule.may_be_in(lowered):
            continue
        for m in rule.title.finditer(text):
            start, end = m.start(), m.end()
            before = text[max(0, start - 120) : start]
            if OTHER_RANK.search(before) and not re.match(r"(?:First\s+)?Deputy", m.group(0)):
                continue
            qualified = False
            q = rule.before.search(before)
            if q and not FOREIGN_BODY.search(before[: q.start()]):
                start, qualified = start - (len(before) - q.start()), True
                if text[start : start + 4].lower() == "the ":
                    start += 4
            if NOT_THE_HOLDER.search(text[max(0, start - 40) : start]):
                continue
            q = rule.after.match(text, end)
            if q:
                end, qualified = q.end(), True
            if not qualified:
                end = lexicon.title_tail_pattern.match(text, end).end()
                found.append(TitleMention(None, start, end, text[start:end], [rule.post]))
                continue
            holders = [p for p in lexicon.positions_by_post[rule.post.pk] if held(p, day)]
            found.append(TitleMention(rule.post, start, end, text[start:end], holders))
    found += shared_titles(text, lexicon, day)
    # The longest reading of overlapping titles wins ('First Deputy ...' over 'Deputy ...').
    found.sort(key=lambda t: (t.start, -(t.end - t.start), t.post is None))
    kept = []
    for title in found:
        if any(title.start < k.end and k.start < title.end for k in kept):
            continue
        kept.append(title)
    return kept


# 'the presidents of China and Kazakhstan held talks', 'the Chinese and Kazakh foreign ministers':
# the post in each of the two countries, its holder that day found at the country's name. (A list
# of more countries, 'founded by the presidents of Russia, China, ...', is left alone: it is more
# often a recollection or a body's members than the people who met.)
SHARED_POSTS = {
    "presidents": "President",
    "prime ministers": "Prime Minister",
    "foreign ministers": "Minister of Foreign Affairs",
    "defence ministers": "Minister of Defence",
    "defense ministers": "Minister of Defence",
}
COUNTRY = "|".join([*ADJECTIVES, *ADJECTIVES.values()])
SHARED_TITLE = re.compile(
    rf"\b(?P<plural>{'|'.join(SHARED_POSTS)})\s+of\s+(?P<names>(?:{COUNTRY})\s+and\s+(?:{COUNTRY}))\b"
    rf"|\bthe\s+(?P<adjectives>(?:{COUNTRY})\s+and\s+(?:{COUNTRY}))\s+"
    rf"(?P<plural_after>{'|'.join(SHARED_POSTS)})\b",
    re.I,
)


def shared_titles(text, lexicon, day):
    """A post held in each of the countries a plural title names, at each country's name."""
    matches = list(SHARED_TITLE.finditer(text))
    if not matches:
        return []
    posts = {
        (rule.post.title, rule.post.organization.country.name): rule.post
        for rule in lexicon.title_rules
        if rule.post.organization.country_id
    }
    found = []
    for m in matches:
        group = "names" if m.group("names") else "adjectives"
        title = SHARED_POSTS[(m.group("plural") or m.group("plural_after")).lower()]
        for country in re.finditer(rf"\b(?:{COUNTRY})\b", m.group(group), re.I):
            name = next(
                (n for n, a in ADJECTIVES.items() if re.fullmatch(rf"{n}|{a}", country[0], re.I)),
                None,
            )
            post = posts.get((title, name))
            if post:
                start, end = m.start(group) + country.start(), m.start(group) + country.end()
                holders = [p for p in lexicon.positions_by_post[post.pk] if held(p, day)]
                found.append(TitleMention(post, start, end, text[start:end], holders))
    return found


def held(position, day):
    return day is not None and position.on_record(day, day)


def find_names(text, lexicon):
    mentions = []
    flat_text = flat(text)  # 'Erdoğan' as 'Erdogan'
    for m in lexicon.name_index.finditer(flat_text):
        officials = in_full(lexicon.name_forms.get(fold(m.group(0)), []), lexicon)
        if officials:
            mentions.append(
                Mention(officials, m.start(), m.end(), text[m.start() : m.end()], "name")
            )
    taken = [(m.start, m.end) for m in mentions]
    for m in re.finditer(r"\b([A-Z])\.(?:\s?[A-Z]\.)*\s?([A-Z][\w'’-]+)", text):
        if overlaps(m.start(), m.end(), taken):
            continue
        officials = [o for o, initial in lexicon.surnames.get(m.group(2), []) if initial == m[1]]
        officials = in_full(officials, lexicon)
        if officials:
            mentions.append(Mention(officials, m.start(), m.end(), m.group(0), "initials"))
    mentions.sort(key=lambda m: m.start)
    return mentions


def end_of_longer_name(text, mention, lexicon):
    """Whether a one-word name on record ('Jaishankar', 'Kasymov') ends a longer name printed
    in full ('Padmanabhan Raja Jaishankar', 'V. T. Kasymov'): that name is another's, or is
    read by its initials."""
    if re.search(r"[\s\-‐]", mention.text.strip()):
        return False
    before = text[max(0, mention.start - 80) : mention.start]
    if re.search(r"\b[A-Z]\.\s?$", before):
        return True
    m = re.search(r"(^|\S+)\s+([A-Z][a-z]+)\s+$", before)
    if not m or m.group(2) in NOT_A_NAME or m.group(2) in lexicon.country_words:
        return False
    if fold(m.group(2)) in lexicon.place_forms:
        return False
    previous = m.group(1)
    # the word before is itself a name's ('Raja'), not the first of a sentence ('Today')
    return (
        bool(previous)
        and not previous.endswith((".", "!", "?", '"', ":"))
        and (previous[0].isupper() and previous not in NOT_A_NAME)
    )


def in_full(officials, lexicon):
    """`officials` with those on record by initials only read as their fuller record."""
    return list(dict.fromkeys(lexicon.fuller.get(o.pk, o) for o in officials))


def surname_mentions(text, lexicon, officials, taken):
    """'Rakhmetullin thanked ...', '... President Putin was waiting': surnames of officials
    already named in full, alone or after a title, not after an initial or another name."""
    mentions = []
    for official in officials:
        for surname in sorted(lexicon.surnames_of.get(official.pk, ())):
            if len(surname) < 5:
                continue
            for m in re.finditer(rf"(?<!\w){re.escape(surname)}(?!\w)", text):
                if overlaps(m.start(), m.end(), taken) or after_a_name(text, m.start(), lexicon):
                    continue
                mentions.append(Mention([official], m.start(), m.end(), m.group(0), "surname"))
    return mentions


# 'Mr Putin said', 'President Karimov received', 'Kyrgyz Foreign Minister Jekshenkulov', 'FM
# Nurtleu holds meeting': an official printed by surname only
TITLED_SURNAME = re.compile(
    r"\b(?:President|Mr\.?|Premier|Prime\s+Minister|Chairman|Minister|FM"
    r"|Secretary[\s-]General)\s+([A-Z][a-z][\w'’-]{3,})\b(?!\s+[A-Z])"
)


def titled_surnames(text, lexicon, known, taken):
    """Surnames after a leader's title or 'Mr' of officials not named in full, when one official
    on record has that surname."""
    mentions = []
    for m in TITLED_SURNAME.finditer(text):
        officials = {official.pk: official for official, _ in lexicon.surnames.get(m.group(1), [])}
        if len(officials) > 1:  # 'Kyrgyz Foreign Minister Imanaliev': the one of that post
            printed = field_words(text[max(0, m.start() - 40) : m.start(1)])
            officials = {
                pk: official
                for pk, official in officials.items()
                if any(printed & field_words(p.post.title) for p in official.positions)
            }
        if len(officials) != 1 or overlaps(m.start(1), m.end(1), taken):
            continue
        (official,) = officials.values()
        if official not in known:
            mentions.append(Mention([official], m.start(1), m.end(1), m.group(1), "surname"))
    return mentions


# Words of any title, which do not tell one post from another
RANK_WORDS = {
    "minister", "president", "deputy", "first", "chairman", "secretary", "general", "head",
}  # fmt: skip


def field_words(title):
    """The words of a title that name its field: {'foreign'} for 'Kyrgyz Foreign Minister'."""
    return {w for w in re.findall(r"[a-z]{4,}", title.lower()) if w not in RANK_WORDS}


def after_a_name(text, start, lexicon):
    """Whether the word before `start` is an initial ('V.') or a capitalised word that is no
    title nor country ('Raja', not 'President' or 'Russia's'): the surname then ends another
    name."""
    previous = re.search(r"(\S+)[ \t]+$", text[max(0, start - 40) : start])
    if not previous:
        return False
    word = re.sub(r"['’]s$", "", previous.group(1))
    if re.fullmatch(r"[A-Z]\.(?:[A-Z]\.)*", word):
        return True
    return (
        word[0].isupper()
        and word[-1].isalpha()
        and word not in NOT_A_NAME
        and word not in lexicon.country_words
    )


def overlaps(start, end, spans):
    return any(start < e and s < end for s, e in spans)


def attach(first_end, second_start, text, title_first):
    """Whether a title and a name are printed next to each other ('SCO Secretary-General, ')."""
    if not 0 <= second_start - first_end <= 8:
        return False
    gap = text[first_end:second_start]
    if title_first:
        return re.fullmatch(r"\s*,?\s*", gap) is not None
    return re.fullmatch(r"\s*,\s*(?:the\s+)?|\s*\(\s*|\s+", gap) is not None


def sentence_of(position, sentences, starts):
    """The index of the sentence holding `position`; `starts` are the sentences' starts."""
    index = bisect.bisect_right(starts, position) - 1
    if index >= 0 and position < sentences[index][1]:
        return index
    return None


def read_people(reading, text, sentences, lexicon):
    """Officials named, by name, other spelling or title on the day; and names not on record."""
    day = reading.date
    body_start = sentences[0][0] if sentences else len(text)
    names = [
        n
        for n in find_names(text, lexicon)
        if n.start >= body_start and not end_of_longer_name(text, n, lexicon)
    ]
    name_spans = [(n.start, n.end) for n in names]
    titles = [
        t
        for t in find_titles(text, lexicon, day)
        if t.start >= body_start
        and not overlaps(t.start, t.end, name_spans)
        and not AN_OFFICE.match(text[t.end :])
    ]
    # A name not on record may be a known official's name in another transliteration; a run of
    # capitalised words printed with no title is kept only then, and only when long enough for
    # a spelling a letter or two off to be the same name ('Wang Yu' is not 'Wang Yi').
    alike_by_name = {}
    unknown = []
    for u in find_unknown_names(text, lexicon, names, titles, body_start):
        if not u.titled and len(normalise_name(u.text)) < UNTITLED_SHORTEST:
            continue
        if u.text not in alike_by_name:
            alike_by_name[u.text] = officials_spelled_alike(u.text, lexicon)
        if u.titled or alike_by_name[u.text]:
            unknown.append(u)
    capacity_of = pair_titles(text, names + unknown, titles)
    paired = {id(t) for t in capacity_of.values()}

    mentions = list(names)
    for t in titles:
        if id(t) in paired or t.post is None:
            continue
        if len(t.holders) == 1:
            mentions.append(Mention([t.holders[0].official], t.start, t.end, t.text, "title"))
        elif not t.holders:
            if day:
                message = gettext_noop("No one is on record as “%(title)s” on %(date)s.")
            else:
                message = gettext_noop("No one is on record as “%(title)s”.")
            reading.problems.append(Note(message, title=t.text, date=later(format_partial, day)))
        else:
            holders = ", ".join(sorted({str(p.official) for p in t.holders}))
            reading.problems.append(
                Note(
                    gettext_noop("Several officials are on record as “%(title)s”: %(names)s."),
                    title=t.text,
                    names=holders,
                )
            )

    # Named in the first sentence, or in one that says they met, attended, chaired ...
    lead = first_sentence(text, sentences)
    taking_part = {
        i
        for i, (s, e) in enumerate(sentences)
        if i in (0, lead) or PARTICIPATION.search(text[s:e]) or LIST_AFTER_COLON.search(text[s:e])
    }
    in_list = False
    for i, (s, e) in enumerate(sentences):
        sentence = text[s:e].strip()
        if in_list and sentence and not sentence.endswith("."):
            taking_part.add(i)
        elif in_list and sentence.endswith("."):
            in_list = False
        if LIST_INTRO.search(sentence):
            in_list = True
    starts = [start for start, _ in sentences]
    taking_part -= {
        i for i, (s, e) in enumerate(sentences) if i > lead and RECEIVES_THE_GROUP.search(text[s:e])
    }
    taking_part |= delegation_lists(text, mentions + unknown, sentences, starts)
    not_yet = {i for i, (s, e) in enumerate(sentences) if NOT_YET.search(text[s:e])}
    taking_part -= not_yet
    taking_part -= {
        i for i, (s, e) in enumerate(sentences) if i > lead and OTHER_EVENT.search(text[s:e])
    }
    recalled = recalled_paragraphs(text, sentences)
    taking_part -= recalled

    def takes_part(start, end):
        """In a sentence of taking part, or the one said to speak (what they said may recall
        another event)."""
        i = sentence_of(start, sentences, starts)
        if i in taking_part:
            return True
        if i is None or i in not_yet or i in recalled:
            return False
        before = text[sentences[i][0] : start]
        return (
            not OTHER_EVENT.search(before)
            and not AT_ANOTHER.search(before)
            and speaks(text, start, end)
        )

    for u in unknown:
        alike = alike_by_name[u.text]
        if alike:
            mention = Mention(alike[:1], u.start, u.end, u.text, "spelling")
            mentions.append(mention)
            if id(u) in capacity_of:
                capacity_of[id(mention)] = capacity_of[id(u)]
        elif not takes_part(u.start, u.end) or SENT_BY.search(text[max(0, u.start - 80) : u.start]):
            line = Note(
                gettext_noop("Also named, not as a participant: %(name)s (not on record)."),
                name=u.text,
            )
            if line not in reading.found:
                reading.found.append(line)
        elif not any(same_person(u.text, c.name) for c in reading.candidates):
            t = capacity_of.get(id(u))
            reading.candidates.append(Candidate(u.text, t.text if t else u.capacity))

    known = list({o.pk: o for m in mentions for o in m.officials}.values())
    taken = [(m.start, m.end) for m in mentions] + [(t.start, t.end) for t in titles]
    mentions += surname_mentions(text, lexicon, known, taken)
    mentions += titled_surnames(text, lexicon, known, taken)

    starts = [start for start, _ in sentences]
    by_official = {}
    for m in sorted(mentions, key=lambda m: m.start):
        if len(m.officials) != 1:
            choices = ", ".join(str(o) for o in m.officials)
            reading.problems.append(
                Note(
                    gettext_noop("“%(name)s” could be any of: %(names)s."),
                    name=m.text,
                    names=choices,
                )
            )
            continue
        official = m.officials[0]
        entry = by_official.setdefault(
            official.pk, {"official": official, "mentions": [], "participant": False}
        )
        entry["mentions"].append(m)
        if takes_part(m.start, m.end) and not SENT_BY.search(text[max(0, m.start - 80) : m.start]):
            entry["participant"] = True
        if id(m) in capacity_of and "title" not in entry:
            entry["title"] = capacity_of[id(m)]
        elif m.how in ("name", "initials") and not entry.get("printed_title"):
            entry["printed_title"] = title_next_to(text, m.start, m.end, lexicon) or ""

    for entry in by_official.values():
        participant = make_participant(entry, day)
        (reading.participants if entry["participant"] else reading.mentioned).append(participant)
    for p in reading.participants:
        how = list(dict.fromkeys(p.found_as))
        capacity = p.capacity or Note(gettext_noop("capacity unknown"))
        reading.found.append(
            Note(
                gettext_noop("Participant: %(name)s, %(capacity)s (%(how)s)."),
                name=p.official,
                capacity=capacity,
                how=how,
            )
        )
    for p in reading.mentioned:
        reading.found.append(
            Note(
                gettext_noop("Also named, not as a participant: %(name)s (%(how)s)."),
                name=p.official,
                how=p.found_as[0],
            )
        )
    reading.candidates = [
        c
        for c in reading.candidates
        if re.search(r"[A-Z][a-z]{2,}", c.name.replace("Mr", "").replace("Mrs", ""))
        and not any(
            o is not c and len(o.name) > len(c.name) and o.name.endswith(" " + c.name)
            for o in reading.candidates
        )
    ]
    for c in reading.candidates:
        reading.problems.append(
            Note(gettext_noop("“%(name)s” is not an official on record."), name=c.name)
        )
    if not reading.participants:
        reading.problems.append(Note(gettext_noop("No participant on record was recognised.")))


def first_sentence(text, sentences):
    """The index of the first sentence of the item, past what is left of a byline or dateline
    ('RIA Novosti.', 'Xinhua.'); the one before it may be a speaker's name printed on its own."""
    for i, (start, end) in enumerate(sentences):
        if len(text[start:end].split()) >= 5:
            return i
    return 0


def recalled_paragraphs(text, sentences):
    """The sentences of a paragraph that opens by recalling another meeting ('Last year, on March
    14, Astana hosted the 7th meeting. Chaired by ...')."""
    recalled, recalling = set(), False
    for i, (s, e) in enumerate(sentences):
        if s == 0 or text[:s].rstrip(" \t").endswith("\n"):
            recalling = bool(i and OTHER_EVENT.search(text[s : min(e, s + 40)]))
        if recalling:
            recalled.add(i)
    return recalled


def speaks(text, start, end):
    """Whether the name at `start:end` is the one said to speak ('X said', 'said Minister X')."""
    return bool(
        SPEAKS_AFTER.search(text[end : end + 120])
        or SPEAKS_BEFORE.search(text[max(0, start - 80) : start])
    )


def delegation_lists(text, people, sentences, starts):
    """The sentences that name three people or more: a list of those who came ('The observer
    states sent ...', 'They were Kazakh Defence Minister ..., Kyrgyz Defence Minister ...'), unless
    it passes on their greetings."""
    counts = {}
    for person in people:
        i = sentence_of(person.start, sentences, starts)
        counts[i] = counts.get(i, 0) + 1
    return {
        i
        for i, count in counts.items()
        if i is not None
        and count >= LIST_LENGTH
        and not GREETINGS.search(text[sentences[i][0] : sentences[i][1]])
    }


def officials_spelled_alike(written, lexicon):
    """The officials with a name `spelled_alike` to `written`, in the lexicon's order.

    rapidfuzz's ratio (twice the longest common subsequence over both lengths) is never below
    difflib's, which `names_alike` uses, so the names it puts below SPELLING_RATIO cannot be
    alike: only the few above it are compared one by one."""
    whole, sorted_words = lexicon.spelling_choices
    cutoff = SPELLING_RATIO * 100 - 1e-6
    found = {}
    words = name_words(written)
    queries = [(normalise_name(written), whole)]
    if len(words) >= 2 and initials(words) in sorted_words:
        queries.append((normalise_name(" ".join(sorted(words))), sorted_words[initials(words)]))
    for query, (keys, choices) in queries:
        if not query:
            continue
        for _, _, index in process.extract(
            query, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        ):
            official, form = choices[index][1:3]
            if official.pk not in found and spelled_alike(written, form):
                found[official.pk] = official
    surname = written.split()[-1] if len(written.split()) >= 2 else ""
    for official, _ in lexicon.surnames.get(surname, []) if not found else []:
        if any(spelled_alike(written, form) for form in official.forms):
            found.setdefault(official.pk, official)  # 'Bakhtiyor Khakimov', 'Bakhtiyer Khakimov'
    initial = re.fullmatch(r"([A-Z])[a-z]?\.\s?([A-Z][\w'’-]{3,})", written.strip())
    if not found and initial:  # 'H. Ruhani', 'S. Svaradzh'
        keys, choices = lexicon.surname_choices.get(initial.group(1), ([], []))
        for _, _, index in process.extract(
            normalise_name(initial.group(2)),
            keys,
            scorer=fuzz.ratio,
            score_cutoff=cutoff,
            limit=None,
        ):
            surname, official = choices[index]
            if names_alike(initial.group(2), surname):
                found.setdefault(official.pk, official)
    return in_full(sorted(found.values(), key=lambda o: lexicon.order[o.pk]), lexicon)


PATRONYMIC = re.compile(r"(?:ovich|evich|ovna|evna|ogli|ugli|uli|kizi)$")
TAJIK_SURNAME = re.compile(r"(?:zoda|zade|zod)$")


def spelled_alike(written, name):
    """`names_alike`, or the same words in another order or with a patronymic between them:
    'Norov Vladimir Imamovich' and 'Kasymzhomart Kemelevich Tokayev' are Vladimir Norov and
    Kassym-Jomart Tokayev."""
    if names_alike(written, name):
        return True
    words_a, words_b = name_words(written), name_words(name)
    if same_surname_first_name_alike(words_a, words_b) or more_given_names(words_a, words_b):
        return True
    if len(words_a) < 2 or len(words_a) != len(words_b):
        return False
    if initials(words_a) != initials(words_b):
        return False  # cheap: most pairs end here
    return names_alike(" ".join(sorted(words_a)), " ".join(sorted(words_b)))


def same_surname_first_name_alike(words_a, words_b):
    """'Bakhtiyor Khakimov' and 'Bakhtiyer Khakimov': the same long surname, and first names
    that start alike and differ in a vowel or two."""
    if len(words_a) != 2 or len(words_b) != 2 or words_a[1] != words_b[1] or len(words_a[1]) < 5:
        return False
    first_a, first_b = words_a[0], words_b[0]
    return first_a[:2] == first_b[:2] and fuzz.ratio(first_a, first_b) >= 75


def more_given_names(words_a, words_b):
    """'Mohammad Abdulaziz Kamilov' is Abdulaziz Kamilov: every word of the shorter name, the
    same surname last."""
    shorter, longer = sorted((words_a, words_b), key=len)
    return (
        2 <= len(shorter) < len(longer)
        and shorter[-1] == longer[-1]
        and len(shorter[-1]) >= 5
        and set(shorter) <= set(longer)
    )


def initials(words):
    """The first letters of `name_words`, sorted: two names whose words are the same in
    another order have the same."""
    return "".join(sorted(w[0] for w in words))


def name_words(name):
    """The words of a name, without a patronymic ('Imamovich') or the father's name after a
    Tajik surname and first name ('Saidzoda Zohir Ozod' is Zohir Saidzoda)."""
    words = [normalise_name(w) for w in name.split()]
    if len(words) == 3 and TAJIK_SURNAME.search(words[0]):
        words = words[:2]
    return [w for w in words if w and not (len(words) > 2 and PATRONYMIC.search(w))]


def same_person(one, other):
    """'N. Nazarbayev' and 'Nursultan Nazarbayev': one surname, one first initial."""
    a, b = one.replace(".", ". ").split(), other.replace(".", ". ").split()
    return a[-1] == b[-1] and a[0][0] == b[0][0]


def pair_titles(text, people, titles):
    """{id(person mention): title mention} for titles printed right next to a name."""
    capacity_of, used = {}, set()
    for title_first in (True, False):
        for person in people:
            if id(person) in capacity_of:
                continue
            for t in titles:
                if id(t) in used:
                    continue
                if title_first:
                    next_to = t.end <= person.start and attach(t.end, person.start, text, True)
                else:
                    next_to = person.end <= t.start and attach(person.end, t.start, text, False)
                if next_to:
                    capacity_of[id(person)] = t
                    used.add(id(t))
                    break
    return capacity_of


def make_participant(entry, day):
    official = entry["official"]
    title = entry.get("title")
    positions = official.positions
    position = None
    if title is not None and title.post is not None:
        same_post = [p for p in positions if p.post_id == title.post.pk]
        position = next((p for p in same_post if held(p, day)), None)
    elif title is not None:
        words = fold(title.text)
        position = next(
            (p for p in positions if held(p, day) and fold(p.post.title) in words), None
        )
    if position is None:
        current = [p for p in positions if held(p, day)]
        position = current[0] if len(current) == 1 else None
    capacity = title.text if title is not None else entry.get("printed_title", "")
    if not capacity and position is not None:
        capacity = position_capacity(position)
    participant = Participant(
        official.instance(), capacity[:300], position.instance() if position else None
    )
    if position is not None:
        organization = position.post.organization
        if organization.country_id:
            participant.country = organization.country
        else:
            participant.organization = organization
    found = []
    for m in entry["mentions"]:
        if m.how == "title":
            found.append(Note(gettext_noop("as “%(text)s” on that date"), text=m.text))
        elif m.how == "spelling":
            found.append(Note(gettext_noop("as “%(text)s”, another spelling"), text=m.text))
        else:
            found.append(Note(gettext_noop("“%(text)s”"), text=m.text))
    participant.found_as = found
    return participant


def position_capacity(position):
    organization = position.post.organization
    if organization.country_id:
        return f"{position.post.title} of {organization.country}"
    return f"{position.post.title}, {organization}"


# A word of a name, or initials: 'N.', 'A. A.', and the two-letter 'Ts.' or 'Sh.' of Mongolian and
# Central Asian names
INITIAL = r"(?:[A-Z]|Ts|Sh|Kh|Ch|Zh|Yu|Ya|Ye)\."
TOKEN = rf"(?:{INITIAL}(?:\s?{INITIAL})*|[A-Z][a-z]+(?:[-'][A-Za-z][a-z]+)*)"


@dataclass
class UnknownName:
    text: str
    start: int
    end: int
    capacity: str = ""
    titled: bool = True  # printed next to a title: a person's name whether or not on record


def find_unknown_names(text, lexicon, names, titles, body_start=0):
    """Runs of capitalised words not on record: names printed next to a title ('Chinese Premier
    Li Keqiang'), and the others (`titled` False), which are names only when an official's
    name is spelled alike."""
    taken = [(n.start, n.end) for n in names] + [(t.start, t.end) for t in titles]
    stop = NOT_A_NAME | lexicon.country_words
    found = []
    for m in re.finditer(rf"{TOKEN}(?:(?:\s+|(?<=\.)){TOKEN})*", text):
        tokens = list(re.finditer(TOKEN, m.group(0)))
        run = []
        for token in tokens + [None]:
            if (
                token is not None
                and not stop_word(token.group(0), stop)
                and not is_place(token, lexicon)
            ):
                run.append(token)
                continue
            if len(run) >= 2 and not run[-1].group(0).endswith("."):
                start, end = m.start() + run[0].start(), m.start() + run[-1].end()
                if start >= body_start and not overlaps(start, end, taken):
                    capacity = title_next_to(text, start, end, lexicon)
                    titled = capacity is not None
                    found.append(UnknownName(text[start:end], start, end, capacity or "", titled))
            run = []
    return found


def stop_word(word, stop):
    """A word of a title, body or country, never a name's ('Vice-President' as 'Vice')."""
    return word in stop or ("-" in word and all(part in stop for part in word.split("-")))


def is_place(token, lexicon):
    return fold(token.group(0)) in lexicon.place_forms


def title_next_to(text, start, end, lexicon):
    """The title printed just before or after a name, or None if there is none."""
    tail = lexicon.title_tail
    before = text[max(0, start - 160) : start]
    m = re.search(
        rf"(?:(?:SCO|[A-Z][a-z]+(?:'s)?)\s+)?{GENERIC_TITLE}{LOOSE_TAIL}(?:,\s+[A-Z]{{2,6}})?,?\s+$",
        before,
    )
    if m:
        return m.group(0).strip(" ,")
    if re.search(r"\b(?:chaired|led|headed|hosted|presided\s+over)\s+by\s+$", before):
        return ""
    m = re.match(
        rf"\s*,\s*(?:the\s+)?((?:[A-Z][\w'-]*\s+){{0,3}}{GENERIC_TITLE}{tail})"
        r"(?=\s*(?:[,.;:)]|\band\b|$))",
        text[end : end + 200],
    )
    if m:
        return m.group(1)
    m = OF_A_BODY.match(text[end : end + 200])
    if m:  # 'Tlegen Matkenov of the Interior Ministry of the Republic of Kazakhstan;'
        return m.group(1)
    return None


# A name printed with the body it serves in a list of delegates ('; Ma Yangchun of the State
# Anti-Drugs Committee of the People's Republic of China;')
OF_A_BODY = re.compile(
    r"\s+of\s+((?:the\s+)?(?:[A-Z][\w'’-]*\s+){0,5}"
    r"(?:Ministry|Committee|Agency|Centre|Center|Bureau|Service|Office|Department)\b[^;.]{0,120}?)"
    r"(?=\s*[;.]|\s+and\s+[A-Z])"
)


# Summits, initiatives, topics, source
