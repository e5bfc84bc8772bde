import csv

from django.core.management.base import BaseCommand

from datasets import audit


class Command(BaseCommand):
    help = (
        "Print the held-out audit's sample of published meetings (data/record/) as CSV, one row "
        "per fact, with what the page says left to fill in (data/audit/, data/README.md). The "
        "same seed and size draw the same meetings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=audit.SEED)
        parser.add_argument("--size", type=int, default=audit.SIZE)

    def handle(self, *args, **options):
        sample = audit.draw(size=options["size"], seed=options["seed"])
        writer = csv.DictWriter(self.stdout, fieldnames=audit.COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(audit.blank_rows(sample))
