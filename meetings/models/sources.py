from urllib.parse import urlsplit

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.dates import Precision, format_partial
from meetings.text import MarkdownText

from .base import History


class Source(MarkdownText, models.Model):
    """A page or document that a fact was read from."""

    title = models.CharField(
        max_length=300, blank=True, help_text=_("Headline or document title, as printed.")
    )
    publisher = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Who published it: an agency, ministry or newspaper (or the site's address)."),
    )
    url = models.URLField(
        _("address"), max_length=1000, unique=True, help_text=_("Where the text can be read.")
    )
    published_on = models.DateField(
        null=True, blank=True, help_text=_("Publication date, if the page gives one.")
    )
    published_precision = models.CharField(
        max_length=10,
        choices=Precision,
        default=Precision.DAY,
        help_text=_("How exactly the publication date is known."),
    )
    notes = models.TextField(blank=True, help_text=_("Anything a reader should know about it."))
    markdown_fields = ("notes",)

    history = History()

    class Meta:
        ordering = ["publisher", "title", "url", "id"]

    def __str__(self):
        return self.title or f"{self.publisher or self.host} ({self.url})"

    @property
    def host(self):
        return urlsplit(self.url).netloc.removeprefix("www.")

    @property
    def published_display(self):
        return format_partial(self.published_on, self.published_precision)


class Disagreement(MarkdownText, models.Model):
    """Two sources give different values for one fact about a record.

    The record keeps the value the better source supports; this row keeps the other value and
    both sources visible, so nothing is silently picked.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    subject = models.CharField(
        max_length=200, help_text=_("The fact in dispute, e.g. 'Dates of the operation'.")
    )
    accepted_value = models.CharField(
        max_length=300, help_text=_("The value the record shows, as the better source gives it.")
    )
    accepted_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The source that supports the value shown."),
    )
    other_value = models.CharField(max_length=300, help_text=_("The value the other source gives."))
    other_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The source that gives the other value."),
    )
    note = models.TextField(blank=True, help_text=_("Why the accepted value was preferred."))
    markdown_fields = ("note",)

    history = History()

    class Meta:
        ordering = ["content_type", "object_id", "subject", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.subject}: {self.accepted_value} / {self.other_value}"
