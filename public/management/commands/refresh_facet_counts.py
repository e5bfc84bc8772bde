from django.core.management.base import BaseCommand

from public.meetings import refresh_facet_summaries


class Command(BaseCommand):
    help = (
        "Count the facets of the whole meetings list, and of the list filtered by each of its "
        "most common values, again, as a committed change does: after records were written "
        "without the admin (a restore, a bulk load)."
    )

    def handle(self, *args, **options):
        if refresh_facet_summaries():
            self.stdout.write(
                "Counted the facets of the whole meetings list and of its most common filters."
            )
        else:
            self.stdout.write(
                "A record changed while the facets were counted, so the counts were not kept; "
                "that change's own recount stores them."
            )
