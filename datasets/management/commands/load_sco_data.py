from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from datasets.loading import load_sco_data
from public.search import refresh_all


class Command(BaseCommand):
    help = (
        "Load the bundled SCO data from data/. Safe to run again: records an editor "
        "has changed since they were loaded are kept as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-record",
            action="store_true",
            help="Load the reference tables only, not the record of meetings in data/record/.",
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            tally = load_sco_data(record=not options["without_record"])
            refresh_all()
        for line in tally.lines():
            self.stdout.write(line)
        call_command("count_figures", stdout=self.stdout)
