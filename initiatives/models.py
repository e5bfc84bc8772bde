import re

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.dates import Precision, format_partial, format_range
from meetings.models import Country, Publishable, PublishableQuerySet
from meetings.models.base import History, check_period


class Kind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    CHARTER = "charter", _("Charter")
    CONVENTION = "convention", _("Convention")
    DECLARATION = "declaration", _("Declaration")
    DECISION = "decision", _("Decision")
    JOINT_OPERATION = "joint_operation", _("Joint operation")
    PROGRAMME = "programme", _("Programme")
    STATEMENT = "statement", _("Statement")
    STRATEGY = "strategy", _("Strategy")
    TREATY = "treaty", _("Treaty")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted")
    IN_FORCE = "in_force", _("In force")
    COMPLETED = "completed", _("Completed")
    EXPIRED = "expired", _("Expired")


class InitiativeQuerySet(PublishableQuerySet):
    def with_current_status(self):
        """Annotate `current_status`: the status of the latest dated change."""
        latest = StatusChange.objects.filter(initiative=OuterRef("pk")).order_by("-date", "-id")
        return self.annotate(current_status=Subquery(latest.values("status")[:1]))

    def for_list(self):
        """With `proposed_by` limited to published countries."""
        return (
            self.with_current_status()
            .select_related("adopted_at__place")
            .prefetch_related(Prefetch("proposed_by", Country.objects.published()), "topics")
        )

    def for_detail(self):
        return self.for_list().prefetch_related(
            "status_changes__source",
            "sources",
            "disagreements__accepted_source",
            "disagreements__other_source",
        )


class Initiative(Publishable):
    """An agreement, programme, strategy, joint operation or declaration of the SCO."""

    title = models.CharField(max_length=400, help_text=_("The official title, as adopted."))
    short_name = models.CharField(
        max_length=200, blank=True, help_text=_("The name the press uses, if shorter.")
    )
    slug = models.SlugField(unique=True, max_length=120, help_text=_("Part of the page address."))
    kind = models.CharField(max_length=20, choices=Kind, help_text=_("What sort of document."))
    summary = models.TextField(blank=True, help_text=_("What it does, in a few sentences."))
    proposed_by = models.ManyToManyField(
        "meetings.Country",
        blank=True,
        related_name="initiatives_proposed",
        help_text=_("Countries a source credits with proposing it."),
    )
    adopted_at = models.ForeignKey(
        "meetings.Summit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
        help_text=_("The summit that adopted or signed it."),
    )
    adopted_on = models.DateField(
        null=True, blank=True, help_text=_("Day of adoption or signature; empty if not confirmed.")
    )
    adopted_precision = models.CharField(max_length=10, choices=Precision, default=Precision.DAY)
    period_start = models.DateField(
        null=True, blank=True, help_text=_("First day of the period it covers.")
    )
    period_start_precision = models.CharField(
        max_length=10, choices=Precision, default=Precision.YEAR
    )
    period_end = models.DateField(
        null=True,
        blank=True,
        help_text=_("Last day of the period it covers (empty if open-ended)."),
    )
    period_end_precision = models.CharField(
        max_length=10, choices=Precision, default=Precision.YEAR
    )
    topics = models.ManyToManyField("meetings.Topic", blank=True, related_name="initiatives")
    meetings = models.ManyToManyField(
        "meetings.Meeting",
        blank=True,
        related_name="initiatives",
        help_text=_("Meetings about it."),
    )
    notes = models.TextField(blank=True, help_text=_("Caveats from the sources."))
    markdown_fields = ("summary", "notes")
    sources = models.ManyToManyField("meetings.Source", blank=True, related_name="initiatives")
    disagreements = GenericRelation("meetings.Disagreement")

    objects = InitiativeQuerySet.as_manager()
    history = History(m2m_fields=["proposed_by", "topics", "meetings", "sources"], publishable=True)

    class Meta:
        ordering = ["-adopted_on", "title", "id"]
        permissions = [("publish_initiative", "Can publish and unpublish initiatives")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="initiative_period_end_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.short_name or self.title

    @property
    def name(self):
        """The title with what tells it apart, where the title alone does not: "Joint communiqué
        of the Council of Heads of Government, Bishkek 2023", "Bishkek Declaration, 2019". Reads
        `adopted_at` and its place (select them with the initiative to avoid queries)."""
        summit = self.adopted_at
        if summit is None or re.search(r"\b\d{4}\b", self.title):
            return self.title
        year = summit.start_date.year
        place = summit.place.name if summit.place_id else ""
        if place and place in self.title:
            return f"{self.title}, {year}"
        where = f"{place} {year}" if place else str(year)
        return f"{self.title} of the {summit.get_council_display()}, {where}"

    def get_absolute_url(self):
        return reverse("initiatives:initiative_detail", kwargs={"slug": self.slug})

    def clean(self):
        check_period(
            self.period_start,
            self.period_end,
            "period_end",
            _("The period cannot end before it starts."),
        )

    @property
    def adopted_display(self):
        return format_partial(self.adopted_on, self.adopted_precision)

    @property
    def current_status_display(self):
        """The label of `current_status`, which `with_current_status()` annotates."""
        current = getattr(self, "current_status", None)
        return Status(current).label if current else ""

    @property
    def period_display(self):
        return period_display(
            self.period_start, self.period_start_precision, self.period_end,
            self.period_end_precision,
        )  # fmt: skip


def period_display(start_date, start_precision, end_date, end_precision, write=format_partial,
                   write_range=format_range):  # fmt: skip
    """A period as it is written ('8–12 July 2019', 'from 2019'); '' when neither end is known.
    `write` and `write_range` write a rough date and a range of days (or a download's memo of
    them)."""
    exact = start_precision == end_precision == Precision.DAY
    if exact and start_date and end_date:
        return write_range(start_date, end_date)  # '8–12 July 2019'
    start = write(start_date, start_precision)
    end = write(end_date, end_precision)
    if start and end:
        return start if start == end else f"{start} – {end}"
    if start:
        return _("from {start}").format(start=start)
    return _("until {end}").format(end=end) if end else ""


class StatusChange(models.Model):
    """A dated step in an initiative's life: proposed, adopted, in force, completed, expired."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(max_length=20, choices=Status, help_text=_("The new status."))
    date = models.DateField(help_text=_("When it changed; for a rough date, the first day."))
    date_precision = models.CharField(max_length=10, choices=Precision, default=Precision.DAY)
    note = models.CharField(max_length=300, blank=True, help_text=_("What happened."))
    source = models.ForeignKey(
        "meetings.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_changes",
        help_text=_("The page that reports it."),
    )

    history = History()

    class Meta:
        ordering = ["initiative", "date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "status", "date"], name="status_change_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} {self.date_display}"

    @property
    def date_display(self):
        return format_partial(self.date, self.date_precision)
