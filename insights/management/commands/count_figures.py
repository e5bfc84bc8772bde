from django.core.management.base import BaseCommand

from insights import aggregates


class Command(BaseCommand):
    help = (
        "Count the insight pages' figures (the numbers, the relations matrix), as the task queue "
        "does after a change, with no statement timeout: after records were written without the "
        "admin (a restore, a bulk load)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Counted {aggregates.refresh()} figures of the insight pages.")
