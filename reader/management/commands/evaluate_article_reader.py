"""Run the article reader over the evaluation set and print its precision and recall."""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meetings.models import Official
from reader.article import read_article
from reader.lexicon import load_lexicon

ARTICLES = Path(settings.BASE_DIR) / "tests" / "data" / "articles"
FIELDS = ("participants", "date", "place", "summit", "candidates")


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


def load_items(directory=ARTICLES):
    """[(name, text, expected)] for every `NN-name.txt` with its `NN-name.json`."""
    items = []
    for path in sorted(Path(directory).glob("*.txt")):
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        items.append((path.stem, path.read_text(encoding="utf-8"), expected))
    return items


def answers(reading):
    return {
        "participants": {p.official.slug for p in reading.participants},
        "date": {reading.date.isoformat()} if reading.date else set(),
        "place": {reading.place.slug} if reading.place else set(),
        "summit": {reading.summit.slug} if reading.summit else set(),
        "candidates": {c.name for c in reading.candidates},
    }


def expectations(expected):
    single = {key: {expected[key]} if expected.get(key) else set() for key in FIELDS[1:4]}
    return {
        "participants": set(expected.get("participants", [])),
        "candidates": set(expected.get("candidates", [])),
        **single,
    }


def evaluate(items, lexicon=None):
    """{field: Score} over `items`, read against the database (loaded once)."""
    lexicon = lexicon or load_lexicon()
    scores = {name: Score() for name in FIELDS}
    for name, text, expected in items:
        got = answers(read_article(text, lexicon, expected.get("url", "")))
        want = expectations(expected)
        for key in FIELDS:
            scores[key].add(name, got[key], want[key])
    return scores


class Command(BaseCommand):
    help = "Read the evaluation set of news items and print precision and recall per field."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(ARTICLES), help="Folder of the items.")
        parser.add_argument("--misses", action="store_true", help="List every wrong answer.")

    def handle(self, *args, **options):
        if not Official.objects.exists():
            raise CommandError("No officials on record: run `manage.py load_sco_data` first.")
        items = load_items(options["dir"])
        if not items:
            raise CommandError(f"No items (*.txt with *.json) in {options['dir']}.")
        scores = evaluate(items)
        self.stdout.write(f"{len(items)} news items, read on {datetime.date.today():%Y-%m-%d}")
        self.stdout.write(f"{'field':<14}{'precision':>10}{'recall':>8}   right/given/expected")
        for key, score in scores.items():
            self.stdout.write(
                f"{key:<14}{score.precision:>10.2f}{score.recall:>8.2f}   "
                f"{score.right}/{score.given}/{score.expected}"
            )
        if options["misses"]:
            for key, score in scores.items():
                for name, extra, missing in score.misses:
                    self.stdout.write(f"{key}: {name}: extra {extra}, missing {missing}")
