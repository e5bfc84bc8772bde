"""Run the article reader over the evaluation set and print its precision and recall.

The set is split once, by fixed rules, into eleven groups by the number that starts each file
name. Items 900 and above are the **unseen** group: written from public pages by writers who had
not seen the reader's output on any item nor its rules, and scored once, at the end. Items
800-899 are the **seventh-unseen** group, items 700-799 the **sixth-unseen** group, items 600-699
the **fifth-unseen** group, items 500-599 the **fourth-unseen** group, items 400-499 the
**third-unseen** group, items 300-399 the **second-unseen** group and items 200-299 the
**first-unseen** group: each written the same way, scored clean once (items 800-879, 700-759,
600-659, 500-559, 400-439, 300-339 and 200-240) and then tuned on.
Items 90-199 are the **fresh held-out** group: added after the held-out half's scores and misses
had been seen. Of the others, an item is **held out** when it is not one of the
22 items written alongside the reader (numbered 01-22) and the last hex digit of the SHA-1 of its
file name (without `.txt`) is even; the rest are the **tuning** half. Only the unseen group says
how the reader reads news items it was not tuned on; the other groups have all been scored and
their misses read. `--min-FIELD-precision` / `--min-FIELD-recall` make the command fail when the
group scored last falls below them (CI runs them on every group but the tuning half).
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from meetings.models import Official
from reader.article import read_article
from reader.lexicon import load_lexicon
from reader.output import reading_as_json
from reader.people import same_person

ARTICLES = Path(settings.BASE_DIR) / "tests" / "data" / "articles"
FIELDS = ("participants", "date", "place", "kind", "summit", "initiatives")
HALVES = (
    "tuning", "held-out", "fresh-held-out", "first-unseen", "second-unseen", "third-unseen",
    "fourth-unseen", "fifth-unseen", "sixth-unseen", "seventh-unseen", "unseen",
)  # fmt: skip
WRITTEN_WITH_THE_READER = 22
# Each group from the number its items start at, highest first (the others: tuning or held-out).
GROUPS_FROM = (
    (900, "unseen"), (800, "seventh-unseen"), (700, "sixth-unseen"), (600, "fifth-unseen"),
    (500, "fourth-unseen"),
    (400, "third-unseen"), (300, "second-unseen"), (200, "first-unseen"), (90, "fresh-held-out"),
)  # fmt: skip


@dataclass
class Score:
    """Counts for one field: right answers, answers given, answers expected."""

    right: int = 0
    given: int = 0
    expected: int = 0
    misses: list = field(default_factory=list)

    @property
    def precision(self):
        return self.right / self.given if self.given else 1.0

    @property
    def recall(self):
        return self.right / self.expected if self.expected else 1.0

    def add(self, name, got, want):
        """`got` and `want` are sets of answers (one or none for a single-valued field)."""
        self.right += len(got & want)
        self.given += len(got)
        self.expected += len(want)
        if got != want:
            self.misses.append((name, sorted(got - want), sorted(want - got)))


def half_of(name):
    """One of `HALVES`, by the fixed rules in this module's docstring."""
    number = int(name.split("-", 1)[0])
    for start, group in GROUPS_FROM:
        if number >= start:
            return group
    if number <= WRITTEN_WITH_THE_READER:
        return "tuning"
    return "held-out" if int(hashlib.sha1(name.encode()).hexdigest()[-1], 16) % 2 == 0 else "tuning"


def load_items(directory=ARTICLES, half=None):
    """[(name, text, expected)] for every `NN-name.txt` with its `NN-name.json` (in `half`)."""
    items = []
    for path in sorted(Path(directory).glob("*.txt")):
        if half and half_of(path.stem) != half:
            continue
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        items.append((path.stem, path.read_text(encoding="utf-8"), expected))
    return items


def published_of(expected):
    value = expected.get("published") or ""
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def answers(result):
    """The scored answers from one `reading_as_json()` result.

    A participant is their official's slug, or their name as written when not on record.
    """
    place = result["place"]
    return {
        "participants": {p["official"] or p["name"] for p in result["participants"]},
        "date": {result["date"]} if result["date"] else set(),
        "place": {place["slug"] or slugify(place["name"])} if place else set(),
        "kind": {result["kind"]} if result["kind"] else set(),
        "summit": {result["summit"]} if result["summit"] else set(),
        "initiatives": set(result["initiatives"]),
    }


def expectations(expected):
    single = {key: {expected[key]} if expected.get(key) else set() for key in FIELDS[1:5]}
    people = set(expected.get("participants", [])) | set(expected.get("candidates", []))
    return {"participants": people, **single, "initiatives": set(expected.get("initiatives", []))}


def settle(got, want, forms):
    """Count a person the record names as not on record, read as an official of that name (or
    the reverse), as the same answer: what is on record depends on the data loaded."""
    settled = set()
    for answer in got:
        if answer not in want:
            if answer in forms:  # an official's slug; the record may give a name
                answer = next(
                    (w for w in want if w not in forms and any(alike(w, f) for f in forms[answer])),
                    answer,
                )
            else:  # a name not on record; the record may give the official or another spelling
                answer = next(
                    (
                        w
                        for w in want
                        if (w in forms and any(alike(answer, f) for f in forms[w]))
                        or (w not in forms and alike(answer, w))
                    ),
                    answer,
                )
        settled.add(answer)
    return settled


def alike(one, other):
    return bool(one.split() and other.split()) and same_person(one, other)


def evaluate(items, lexicon=None):
    """{field: Score} over `items`, read against the database (loaded once).

    `kind` and `initiatives` are scored only on items whose record gives them.
    """
    lexicon = lexicon or load_lexicon()
    forms = {o.slug: list(o.forms) for o in lexicon.officials}
    scores = {name: Score() for name in FIELDS}
    for name, text, expected in items:
        url = expected.get("source_url") or expected.get("url", "")
        reading = read_article(text, lexicon, url, published_of(expected))
        got, want = answers(reading_as_json(reading)), expectations(expected)
        got["participants"] = settle(got["participants"], want["participants"], forms)
        for key in FIELDS:
            if key in ("kind", "initiatives") and key not in expected:
                continue
            scores[key].add(name, got[key], want[key])
    return scores


def floor_options():
    return [(key, measure) for key in FIELDS for measure in ("precision", "recall")]


class Command(BaseCommand):
    help = "Read the evaluation set of news items and print precision and recall per field."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(ARTICLES), help="Folder of the items.")
        parser.add_argument(
            "--half",
            choices=HALVES,
            help="Score one group only (default: every group with items, each in its own table).",
        )
        parser.add_argument("--misses", action="store_true", help="List every wrong answer.")
        for key, measure in floor_options():
            parser.add_argument(
                f"--min-{key}-{measure}",
                type=float,
                help=f"Fail when {key} {measure} falls below this (on the group scored last).",
            )

    def handle(self, *args, **options):
        if not Official.objects.exists():
            raise CommandError("No officials on record: run `manage.py load_sco_data` first.")
        lexicon = load_lexicon()
        halves = [options["half"]] if options["half"] else list(HALVES)
        scores = None
        for half in halves:
            items = load_items(options["dir"], half)
            if not items and not options["half"]:
                self.stdout.write(f"{half}: no news items\n")
                continue
            if not items:
                raise CommandError(f"No {half} items (*.txt with *.json) in {options['dir']}.")
            scores = evaluate(items, lexicon)
            self.write_table(half, items, scores, options["misses"])
        if scores is None:
            raise CommandError(f"No items (*.txt with *.json) in {options['dir']}.")
        failures = [
            f"{key} {measure} {getattr(scores[key], measure):.2f} < {floor:.2f}"
            for key, measure in floor_options()
            if (floor := options[f"min_{key}_{measure}"]) is not None
            and getattr(scores[key], measure) < floor
        ]
        if failures:
            raise CommandError("Below the floor: " + "; ".join(failures))

    def write_table(self, half, items, scores, misses):
        today = datetime.date.today()
        self.stdout.write(f"{half}: {len(items)} news items, read on {today:%Y-%m-%d}")
        self.stdout.write(f"{'field':<14}{'precision':>10}{'recall':>8}   right/given/expected")
        for key, score in scores.items():
            self.stdout.write(
                f"{key:<14}{score.precision:>10.2f}{score.recall:>8.2f}   "
                f"{score.right}/{score.given}/{score.expected}"
            )
        if misses:
            for key, score in scores.items():
                for name, extra, missing in score.misses:
                    self.stdout.write(f"{key}: {name}: extra {extra}, missing {missing}")
        self.stdout.write("")
