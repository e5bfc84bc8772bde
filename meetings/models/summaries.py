from django.db import models
from django.utils.translation import gettext_lazy as _


class FacetSummary(models.Model):
    """A list's facet options over all its published records, or over those one filter value
    selects, or two values together, counted ahead of its readers.

    Counting the facets of the whole meetings list groups every participation, which takes
    seconds at 100,000 meetings; the unfiltered list reads these counts instead, and a list
    filtered by one of its most common values (`filter`, e.g. "kind=bilateral") reads that
    value's (and a list filtered by two that select many records together, that pair's:
    "kind=bilateral&participant_country=ru", the two in alphabetical order). A change to any
    record empties `facets` (the list is then counted on request, as when filtered) and adds one to
    `changes`; they are counted again once the change is committed (public.cache.content_changed),
    and counts begun before another change are not stored.
    """

    name = models.SlugField(help_text=_("The list, e.g. 'meetings'."))
    filter = models.CharField(
        max_length=300,
        blank=True,
        default="",
        help_text=_("The one filter the counts are under, e.g. 'kind=bilateral'; empty for none."),
    )
    facets = models.JSONField(
        null=True, help_text=_("{facet: [[value, label, count], ...]}; empty while out of date.")
    )
    counted_at = models.DateTimeField(auto_now=True)
    changes = models.PositiveBigIntegerField(
        default=0,
        help_text=_("Changes to the records so far; counts begun before the latest are not kept."),
    )

    class Meta:
        ordering = ["name", "filter", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "filter"], name="facet_summary_unique_filter")
        ]
        # Counted by the site, never edited: no one is given rights over it.
        default_permissions = ()

    def __str__(self):
        return f"{self.name}?{self.filter}" if self.filter else self.name


class CacheGeneration(models.Model):
    """The generation of the anonymous page cache, kept beside the records it describes.

    Every cached page is filed under the generation it was rendered at, and every change to the
    records takes a new one in the same transaction, so a cache restored from an older state (a
    Redis failover, a database restore) holds only pages that are never asked for again. A new
    generation is the time of the change in nanoseconds: never one that a page of another
    history was filed under, even after the database goes back to a backup. One row.
    """

    value = models.BigIntegerField(help_text=_("The current generation (time.time_ns())."))

    class Meta:
        ordering = ["id"]
        # Kept by the site, never edited: no one is given rights over it.
        default_permissions = ()

    def __str__(self):
        return str(self.value)
