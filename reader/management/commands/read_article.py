"""Read news items and print what the reader makes of each, one JSON object a line."""

import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from reader.article import read_article
from reader.lexicon import load_lexicon
from reader.output import reading_as_json


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--published takes a date as YYYY-MM-DD, not “{value}”.") from error


def read_text(name):
    """The text of FILE, or of standard input for `-`; bytes that are not UTF-8 are replaced."""
    if name == "-":
        return sys.stdin.buffer.read().decode("utf-8", errors="replace")
    try:
        with open(name, "rb") as handle:
            return handle.read().decode("utf-8", errors="replace")
    except OSError as error:
        raise CommandError(f"Cannot read {name}: {error.strerror}.") from error


class Command(BaseCommand):
    help = (
        "Read news items (FILE..., or - for standard input) and print one JSON object per item: "
        "date, date_precision, place, kind, participants, mentioned, summit, "
        "summits_mentioned, initiatives, topics."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--published", type=iso_date, help="The items' publication date.")
        parser.add_argument("--url", default="", help="The items' address.")
        parser.add_argument(
            "--json", action="store_true", help="Print JSON (the only output there is)."
        )

    def handle(self, *args, **options):
        lexicon = load_lexicon()
        for name in options["files"]:
            reading = read_article(read_text(name), lexicon, options["url"], options["published"])
            result = {"file": name, **reading_as_json(reading)}
            self.stdout.write(json.dumps(result, ensure_ascii=False))
