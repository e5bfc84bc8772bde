import functools

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords

from meetings.text import MarkdownText


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class RecordHistoryManager(HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        # `record.history` builds a manager class on every access without this.
        return super().from_queryset(queryset_class, class_name)


class History(HistoricalRecords):
    """The change history of a model: a row per create, change and delete, with who and when.

    Each row also keeps the record's many-to-many links named in `m2m_fields`. A link changed
    from the other side (`topic.meetings.add(meeting)`) is recorded on the records it links.
    Publishable models leave out their search vector, which only mirrors other fields.
    """

    tracking = {}  # model -> its History

    def __init__(self, m2m_fields=(), publishable=False):
        excluded = ["search_vector"] if publishable else []
        super().__init__(
            excluded_fields=excluded, m2m_fields=m2m_fields, history_manager=RecordHistoryManager
        )

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            History.tracking[sender] = self

    def create_history_model(self, model, inherited):
        history_model = super().create_history_model(model, inherited)
        history_model.__module__ = self.module  # the module it is set on, so that it imports
        return history_model

    def create_history_m2m_model(self, model, through_model):
        history_model = super().create_history_m2m_model(model, through_model)
        history_model.__module__ = self.module
        return history_model

    def create_historical_record_m2ms(self, history_instance, instance):
        # simple-history's own loads both ends of every link; the ids are all a row keeps.
        for field in history_instance._history_m2m_fields:
            through = field.remote_field.through
            names = [f.attname for f in through._meta.fields]
            links = through._default_manager.filter(**{field.m2m_field_name(): instance.pk})
            rows = [
                self.m2m_models[field](history=history_instance, **link)
                for link in links.values(*names)
            ]
            self.m2m_models[field]._default_manager.bulk_create(rows)

    @classmethod
    def record(cls, instance, *, created):
        """Add a row for `instance` as it is now, links included.

        For writes made under `skip_history_when_saving`, which one row should then sum up.
        """
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            history = cls.tracking[type(instance)]
            history.create_historical_record(instance, "+" if created else "~")

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action in ("post_add", "post_remove") and pk_set:
            for record in kwargs["model"]._default_manager.filter(pk__in=pk_set):
                super().m2m_changed(record, action, attr, pk_set, False, **kwargs)


class EditConflict(Exception):
    """Someone else saved the record after the version a change started from."""


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=State.PUBLISHED)


class Publishable(MarkdownText, models.Model):
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
        help_text=_("Drafts are visible to staff only; published records are public."),
    )
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text=_("When it was first published.")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("Who published it last."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    data_key = models.CharField(max_length=60, unique=True, null=True, blank=True, editable=False)
    data_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # Kept up to date by public.search.refresh_search_vectors (PostgreSQL only).
    search_vector = SearchVectorField(null=True, editable=False)
    # Every save of a stored record raises it; an admin form carries the version it opened.
    version = models.PositiveIntegerField(default=1)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.state == State.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def claim_version(self, seen):
        """Reserve the next version for a save of this record as it was at version `seen`.

        One `UPDATE ... WHERE pk = %s AND version = %s`: it fails (returns False) when someone
        else has saved the record since, and otherwise holds the row until the transaction
        ends. Call it in the transaction of the save that follows.
        """
        model = type(self)
        claimed = model._base_manager.filter(pk=self.pk, version=seen).update(
            version=F("version") + 1
        )
        self.version = seen
        return claimed == 1

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
