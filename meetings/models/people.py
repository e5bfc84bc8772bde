from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings import languages
from meetings.dates import Precision, format_partial
from meetings.text import MarkdownText

from .base import History, Publishable, PublishableQuerySet, check_period


class Organization(models.Model):
    """An SCO body (Secretariat, RATS, a council) or a national one (a foreign ministry)."""

    class Kind(models.TextChoices):
        SCO_BODY = "sco_body", _("SCO body")
        NATIONAL = "national", _("National body")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200, unique=True, help_text=_("Full English name."))
    short_name = models.CharField(
        max_length=60, blank=True, help_text=_("Usual short form, e.g. 'SCO Secretariat'.")
    )
    slug = models.SlugField(unique=True, help_text=_("Stable identifier, e.g. 'sco-secretariat'."))
    kind = models.CharField(max_length=10, choices=Kind, help_text=_("SCO body or national body."))
    country = models.ForeignKey(
        "Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        help_text=_("For a national body: its country."),
    )

    history = History()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.short_name or self.name


class Post(models.Model):
    """An office within an organisation, e.g. Secretary-General of the SCO Secretariat."""

    title = models.CharField(max_length=200, help_text=_("e.g. 'Secretary-General'."))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="posts")
    slug = models.SlugField(unique=True, help_text=_("Stable identifier used in filters."))

    history = History()

    class Meta:
        ordering = ["organization__name", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "title"], name="post_unique_title"),
        ]

    def __str__(self):
        return f"{self.title}, {self.organization}"


class OfficialQuerySet(PublishableQuerySet):
    def for_list(self):
        positions = (
            Position.objects.chronological()
            .select_related("post__organization")
            .prefetch_related("attestations")
        )
        return self.select_related("nationality").prefetch_related(
            "names", Prefetch("positions", positions)
        )

    def for_detail(self):
        positions = (
            Position.objects.chronological()
            .select_related("post__organization")
            .prefetch_related(
                "sources", Prefetch("attestations", Attestation.objects.select_related("source"))
            )
        )
        return self.select_related("nationality").prefetch_related(
            "names", "sources", Prefetch("positions", positions)
        )

    def of_countries(self, countries):
        """Nationals of `countries` and holders of a post in one of their national bodies."""
        posts = Position.objects.filter(
            official=OuterRef("pk"), post__organization__country__in=countries
        )
        return self.filter(Q(nationality__in=countries) | Exists(posts))


class Official(Publishable):
    """One person, under every spelling of the name."""

    name = models.CharField(
        max_length=200, help_text=_("The name as most English sources write it.")
    )
    slug = models.SlugField(unique=True, help_text=_("Part of the page address."))
    nationality = models.ForeignKey(
        "Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nationals",
        help_text=_("Leave empty unless a source states it."),
    )
    notes = models.TextField(blank=True, help_text=_("Shown on the official's page."))
    markdown_fields = ("notes",)
    sources = models.ManyToManyField("Source", blank=True, related_name="officials")

    objects = OfficialQuerySet.as_manager()
    history = History(m2m_fields=["sources"], publishable=True)

    class Meta:
        ordering = ["name", "id"]
        permissions = [("publish_official", "Can publish and unpublish officials")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:official_detail", kwargs={"slug": self.slug})

    def name_in(self, language):
        """The name as written in `language` ('ru', 'zh-hans'), or '' where none is on record;
        the English name for 'en'. Reads the prefetched `names` (a query if not prefetched)."""
        if language == "en":
            return self.name
        found = languages.pick(self.names.all(), language, kinds=[OfficialName.Kind.NATIVE])
        return found.name if found else ""


class OfficialName(models.Model):
    """Another way of writing an official's name: a spelling, a transliteration, a native script."""

    class Kind(models.TextChoices):
        SPELLING = "spelling", _("Other spelling or transliteration")
        NATIVE = "native", _("Native script")
        FULL = "full", _("Full name (with patronymic)")

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200, help_text=_("The name exactly as written."))
    kind = models.CharField(
        max_length=10, choices=Kind, default=Kind.SPELLING, help_text=_("What sort of name it is.")
    )
    language = models.CharField(
        max_length=60, blank=True, help_text=_("Language or script, e.g. 'Russian', 'Chinese'.")
    )
    note = models.CharField(
        max_length=300, blank=True, help_text=_("Where this form is used, if worth saying.")
    )

    history = History()

    class Meta:
        ordering = ["official__name", "kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["official", "name"], name="official_name_unique"),
        ]

    def __str__(self):
        return self.name


def term_display(start_date, start_precision, end_date, end_precision, write=format_partial):
    """A term as it is written ('4 June 2022 – 2024', 'since 2019'); '' when neither end is
    known. `write` writes one rough date (format_partial, or a download's memo of it)."""
    start = write(start_date, start_precision)
    end = write(end_date, end_precision)
    if start and end:
        return f"{start} – {end}"
    if start:
        return _("since {start}").format(start=start)
    return _("until {end}").format(end=end) if end else ""


class PositionQuerySet(models.QuerySet):
    def held_on(self, day):
        """Positions whose known term covers `day` (positions without a start are left out)."""
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))

    def chronological(self):
        """Oldest first, by the start of the term or else the first attested day.

        Annotates `first_known`; positions with neither come last.
        """
        first_day = Attestation.objects.filter(position=OuterRef("pk")).order_by("date")
        return self.annotate(
            first_known=Coalesce("start_date", Subquery(first_day.values("date")[:1]))
        ).order_by(F("first_known").asc(nulls_last=True), "id")


class Position(MarkdownText, models.Model):
    """An official holding a post, over a term or on the days a source attests it.

    A rough start is stored as the first day of its period and a rough end as the last day, so
    `held_on()` stays a range query; the precision decides how the dates are written.
    """

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="positions")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="positions")
    start_date = models.DateField(
        null=True, blank=True, help_text=_("First day in office; empty if no source gives it.")
    )
    start_precision = models.CharField(max_length=10, choices=Precision, default=Precision.DAY)
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text=_("Last day in office; empty if still in office or unknown."),
    )
    end_precision = models.CharField(max_length=10, choices=Precision, default=Precision.DAY)
    notes = models.TextField(blank=True, help_text=_("Caveats about the term."))
    markdown_fields = ("notes",)
    sources = models.ManyToManyField("Source", blank=True, related_name="positions")

    objects = PositionQuerySet.as_manager()
    history = History(m2m_fields=["sources"])

    class Meta:
        ordering = ["official__name", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="position_end_after_start",
                violation_error_message=_("A term cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.official}: {self.post} ({self.term_display or 'term unknown'})"

    def clean(self):
        check_period(
            self.start_date, self.end_date, "end_date", _("A term cannot end before it starts.")
        )

    @property
    def term_display(self):
        return term_display(
            self.start_date, self.start_precision, self.end_date, self.end_precision
        )

    def on_record(self, start, end):
        """Whether this position is on record on some day from `start` to `end`.

        A term counts where its known start is on or before `end` and it had not ended before
        `start`; an attestation counts for its own day. Reads the prefetched `attestations`.
        """
        if self.start_date and self.start_date <= end:
            if self.end_date is None or self.end_date >= start:
                return True
        return any(start <= a.date <= end for a in self.attestations.all())


class Attestation(models.Model):
    """A day on which a source shows an official in a post (used where term dates are unknown)."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="attestations")
    date = models.DateField(help_text=_("The day the source shows the official in the post."))
    note = models.CharField(
        max_length=200, blank=True, help_text=_("e.g. 'as Deputy Director', 'newly appointed'.")
    )
    source = models.ForeignKey(
        "Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attestations",
        help_text=_("The page that shows it, if one page does."),
    )

    history = History()

    class Meta:
        ordering = ["position", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["position", "date"], name="attestation_unique_day"),
        ]

    def __str__(self):
        return _("attested {date}").format(date=format_partial(self.date))
