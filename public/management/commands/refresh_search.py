from django.core.management.base import BaseCommand

from public.search import refresh_all


class Command(BaseCommand):
    help = "Rebuild the full-text search of every record (PostgreSQL's vectors, SQLite's index)."

    def handle(self, *args, **options):
        self.stdout.write(f"Rebuilt the search of {refresh_all()} records.")
