from django.db import models


class FacetSummary(models.Model):
    """A list's facet options over all its published records, counted ahead of its readers.

    Counting the facets of the whole meetings list groups every participation, which takes
    seconds at 100,000 meetings; the unfiltered list reads these counts instead. A change to any
    record empties `facets` (the list is then counted on request, as when filtered) and adds one to
    `changes`; they are counted again once the change is committed (public.cache.content_changed),
    and counts begun before another change are not stored.
    """

    name = models.SlugField(unique=True, help_text="The list, e.g. 'meetings'.")
    facets = models.JSONField(
        null=True, help_text="{facet: [[value, label, count], ...]}; empty while out of date."
    )
    counted_at = models.DateTimeField(auto_now=True)
    changes = models.PositiveBigIntegerField(
        default=0,
        help_text="Changes to the records so far; counts begun before the latest are not kept.",
    )

    class Meta:
        ordering = ["name", "id"]
        # Counted by the site, never edited: no one is given rights over it.
        default_permissions = ()

    def __str__(self):
        return self.name
