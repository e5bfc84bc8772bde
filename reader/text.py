"""Text helpers the reader shares: cleaning, folding, sentences, patterns for names."""

import functools
import re
import unicodedata

from anyascii import anyascii

SCO = r"(?:SCO|Shanghai\s+Cooperation\s+Organi[sz]ation)"
SPACES = re.compile(r"[\s\-‐]+")
ENGLISH_WORDS = {"the", "of", "and", "to", "in", "a", "on", "for", "with", "was", "is", "by"}


def clean_text(text):
    """Straight quotes, plain spaces and Unix line ends; nothing else changes place."""
    table = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "}
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(table.get(c, c) for c in text)


def fold(text):
    """A case-, accent- and hyphen-blind form of a name, for looking it up. Latin letters that
    carry no separable accent ('ı', 'ł', 'ø', 'ß') are transliterated (anyascii); other scripts
    are kept as they are, so a name in Cyrillic or Chinese is looked up as written."""
    if text.isascii():  # no accent to take off, no letter to transliterate
        return SPACES.sub(" ", text.casefold()).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(latin(c) for c in decomposed if not unicodedata.combining(c))
    return SPACES.sub(" ", plain).strip()


def flat(text):
    """`text` with each accented Latin letter as its plain letter ('Erdoğan' -> 'Erdogan'), one
    character for one, so that what is found in it is found at the same place in `text`."""
    return "".join(flat_char(c) for c in text)


def flat_char(char):
    if char.isascii():
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if len(base) != 1:
        return char
    plain = latin(base)
    return plain if len(plain) == 1 else base


def latin(char):
    if char.isascii() or not char.isalpha() or "LATIN" not in unicodedata.name(char, ""):
        return char
    return anyascii(char).casefold() or char


def name_regex(form):
    """A regex for a folded name: any case, hyphen or space between its parts."""
    parts = [re.escape(part) for part in form.split(" ")]
    body = r"[\s\-‐]+".join(parts)
    if all(ord(c) < 0x2E80 for c in form):  # alphabetic scripts: whole words only
        return rf"(?<!\w){body}(?!\w)"
    return body


class FormIndex:
    """Finds folded names (`fold()`) in a text as one pattern of all of them would, left to
    right, the longest first and not overlapping, with one dictionary look-up a word: the forms
    are filed under their first word, and the pattern of the forms beginning with a word is
    compiled the first time the word is met. Forms in scripts written without spaces (Chinese)
    have no first word; they share one pattern."""

    WORD = re.compile(r"\w+")

    def __init__(self, forms):
        self.by_word, unspaced = {}, []
        for form in sorted(forms, key=len, reverse=True):
            first = self.WORD.match(form)
            if first and all(ord(c) < 0x2E80 for c in form):
                self.by_word.setdefault(first.group(0), []).append(form)
            else:
                unspaced.append(form)
        self.unspaced = re.compile(
            "|".join(name_regex(f) for f in unspaced) or r"(?!x)x", re.IGNORECASE
        )
        self.patterns = {}

    def pattern(self, word):
        if word not in self.patterns:
            forms = self.by_word.get(word)
            self.patterns[word] = (
                re.compile("|".join(name_regex(f) for f in forms), re.IGNORECASE) if forms else None
            )
        return self.patterns[word]

    def finditer(self, text):
        """The matches (re.Match) of the forms in `text`."""
        found, end = [], 0
        for word in self.WORD.finditer(text):
            if word.start() < end:
                continue
            pattern = self.pattern(word.group(0).casefold())
            m = pattern.match(text, word.start()) if pattern else None
            if m:
                found.append(m)
                end = m.end()
        unspaced = list(self.unspaced.finditer(text))
        if not unspaced:
            return found
        kept, end = [], 0
        for m in sorted(found + unspaced, key=lambda m: (m.start(), m.start() - m.end())):
            if m.start() >= end:
                kept.append(m)
                end = m.end()
        return kept


@functools.lru_cache(maxsize=8192)
def compiled(pattern, flags=re.IGNORECASE):
    """`re.compile()` kept between lexicons (re's own cache holds 512 patterns, fewer than the
    posts' titles): a lexicon built again after an edit compiles only what changed."""
    return re.compile(pattern, flags)


def phrase_regex(phrase):
    """A regex for an English phrase: flexible spaces and hyphens, either spelling of -ise."""
    words = re.split(r"[\s-]+", phrase.strip())
    pattern = r"[\s-]+".join(re.escape(w) for w in words)
    pattern = re.sub(r"Organi[sz]ation", "Organi[sz]ation", pattern)
    pattern = pattern.replace(r"Anti[\s-]+Terrorist", r"Anti[\s-]?Terrorist")
    return pattern.replace(r"Shanghai[\s-]+Cooperation[\s-]+Organi[sz]ation", SCO)


def looks_english(text):
    words = re.findall(r"[^\W\d_]+", text[:20_000].casefold())
    if not words:
        return False
    latin = sum(1 for w in words if w.isascii()) / len(words)
    common = sum(1 for w in words if w in ENGLISH_WORDS) / len(words)
    return latin > 0.6 and common > 0.04


ABBREVIATIONS = {
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "Mr", "Mrs", "Ms", "Dr", "St", "No", "Gen", "Prof", "Lt", "Col", "vs", "Art",
    # initials of two letters, as Russian, Kazakh, Uzbek and Mongolian names are transliterated
    # ('Sh. Sh. Orumbekzoda', 'Ts. Elbegdorzh', 'Zh. Suhee')
    "Sh", "Ch", "Zh", "Ts", "Kh", "Yu", "Ya", "Ye", "Yo",
}  # fmt: skip


def sentence_spans(text, start=0):
    """(start, end) of each sentence from `start` on; initials and abbreviations do not end one."""
    spans = []
    begin = start
    for m in re.finditer(r"[.!?]+[\"')\]]*(?=\s)|\n", text[start:]):
        end = start + m.end()
        if m.group(0) != "\n":
            word = re.search(r"([\w'’]+)[.!?]+[\"')\]]*$", text[begin:end])
            if word and (
                len(word.group(1)) == 1
                and word.group(1).isupper()
                or word.group(1) in ABBREVIATIONS
            ):
                continue
        if text[begin:end].strip():
            spans.append((begin, end))
        begin = end
    if text[begin:].strip():
        spans.append((begin, len(text)))
    return spans


# What the reader returns


def short(sentence, length=160):
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= length else sentence[: length - 1] + "…"


def plain(text):
    """Text reduced for matching document titles: 'SCO program on ...' ~ 'SCO programme on'."""
    text = fold(text)
    text = re.sub(r"\bshanghai cooperation organi[sz]ation\b", "sco", text)
    text = re.sub(r"\borgani[sz]ation\b", "organisation", text)
    text = re.sub(r"\bprogram\b", "programme", text)
    text = re.sub(r"\bcommuniqu[eé]\b", "communique", text)
    text = re.sub(r"[^\w]+", " ", text)
    return f" {text.strip()} "
