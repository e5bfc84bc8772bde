from django.core.management.base import BaseCommand

from public.search import on_postgres, refresh_all


class Command(BaseCommand):
    help = "Rebuild the full-text search vectors of every record (PostgreSQL only)."

    def handle(self, *args, **options):
        if not on_postgres():
            self.stdout.write("Search vectors are used on PostgreSQL only; nothing to do.")
            return
        self.stdout.write(f"Rebuilt the search vectors of {refresh_all()} records.")
