from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=State.PUBLISHED)


class Publishable(models.Model):
    """A record the public can see once an editor publishes it.

    `data_key` and `data_fingerprint` are set by `load_sco_data` on the records it loads: the
    key names the row of the bundled data, the fingerprint the values it loaded, so a later load
    can tell a record an editor has changed (and leave it alone) from one it may refresh.
    """

    state = models.CharField(
        max_length=10,
        choices=State,
        default=State.DRAFT,
        db_index=True,
        help_text="Drafts are visible to staff only; published records are public.",
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    data_key = models.CharField(max_length=60, unique=True, null=True, blank=True, editable=False)
    data_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # Kept up to date by meetings.search.refresh_search_vectors (PostgreSQL only).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.state == State.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.state == State.PUBLISHED


def check_period(start, end, end_field, message):
    """Raise `message` on `end_field` when a period ends before it starts.

    The period's CheckConstraint stays the guarantee. Django reports a violated constraint as an
    error on the whole form, so the models' `clean()` reports it on the end field instead.
    """
    if start is not None and end is not None and end < start:
        raise ValidationError({end_field: message}, code="end_before_start")
