from django.core.management.base import BaseCommand

from public.cache import retire_pages


class Command(BaseCommand):
    help = (
        "Take a new cache generation, so that no page cached before now is served again: after "
        "records were written without the site (a restore, a change in psql)."
    )

    def handle(self, *args, **options):
        retire_pages()
        self.stdout.write("Retired every cached page.")
