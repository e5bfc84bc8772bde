import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings import languages
from meetings.dates import Precision, format_partial
from meetings.text import MarkdownText

from .base import History, Publishable, PublishableQuerySet, State, check_period


class SCOStatus(models.TextChoices):
    FOUNDING_MEMBER = "founding_member", _("Founding member")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    DIALOGUE_PARTNER = "dialogue_partner", _("Dialogue partner")
    PARTNER = "partner", _("SCO partner")


class CountryQuerySet(PublishableQuerySet):
    def for_list(self):
        """Annotates `meeting_count`: the published meetings held in the country."""
        published = Q(meetings_held__state=State.PUBLISHED)
        held = Count("meetings_held", filter=published, distinct=True)
        # A grouped query drops Meta.ordering, so the order is given again.
        return self.annotate(meeting_count=held).order_by("name", "id")

    def for_detail(self):
        return self.prefetch_related(
            Prefetch("statuses", CountryStatus.objects.prefetch_related("sources"))
        )

    def with_status_on(self, day):
        """Countries with an SCO status in force on `day`.

        Annotates `sco_status`, the status begun last by then, and sets `statuses_then`: the
        CountryStatus rows in force that day, latest first.
        """
        in_force = CountryStatus.objects.on(day).order_by("-since", "-id")
        own = in_force.filter(country=OuterRef("pk"))
        return (
            self.filter(Exists(own))
            .annotate(sco_status=Subquery(own.values("status")[:1]))
            .prefetch_related(Prefetch("statuses", in_force, to_attr="statuses_then"))
        )


class Country(Publishable):
    iso_code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        help_text=_("ISO 3166-1 alpha-2 code in upper case, e.g. KZ."),
    )
    slug = models.SlugField(
        unique=True, help_text=_("Part of the page address: the ISO code in lower case.")
    )
    name = models.CharField(max_length=100, unique=True, help_text=_("Short English name."))
    native_name = models.CharField(
        max_length=200, blank=True, help_text=_("The name in the country's own language(s).")
    )
    notes = models.TextField(blank=True, help_text=_("Shown on the country's page."))
    markdown_fields = ("notes",)

    objects = CountryQuerySet.as_manager()
    history = History(publishable=True)

    class Meta:
        ordering = ["name", "id"]
        permissions = [("publish_country", "Can publish and unpublish countries")]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(iso_code__regex=r"^[A-Z]{2}$"), name="country_iso_code_format"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:country_detail", kwargs={"slug": self.slug})

    def name_in(self, language):
        """The short name in `language` as CLDR writes it ('Казахстан'); no query."""
        return self.name if language == "en" else languages.country_name(self.iso_code, language)


class CountryStatusQuerySet(models.QuerySet):
    def on(self, day):
        """Statuses in force on `day`: since <= day < until (an open period has no until)."""
        return self.filter(Q(since__lte=day), Q(until__isnull=True) | Q(until__gt=day))

    def members(self):
        return self.filter(status__in=[SCOStatus.FOUNDING_MEMBER, SCOStatus.MEMBER])


class CountryStatus(MarkdownText, models.Model):
    """One period of a country's standing in the SCO; a change of status starts a new row."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(max_length=20, choices=SCOStatus, help_text=_("Standing in the SCO."))
    since = models.DateField(help_text=_("First day of this status."))
    until = models.DateField(
        null=True,
        blank=True,
        help_text=_("Day the next status replaced it (empty while it lasts)."),
    )
    decided_at = models.CharField(
        max_length=300, blank=True, help_text=_("Meeting or instrument that decided it.")
    )
    notes = models.TextField(blank=True, help_text=_("Caveats from the sources."))
    markdown_fields = ("notes",)
    sources = models.ManyToManyField("Source", blank=True, related_name="country_statuses")

    objects = CountryStatusQuerySet.as_manager()
    history = History(m2m_fields=["sources"])

    class Meta:
        ordering = ["country__name", "since", "id"]
        verbose_name_plural = "country statuses"
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="country_status_until_after_since",
                violation_error_message=_("The status cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["country", "status", "since"], name="country_status_unique"
            ),
        ]

    def __str__(self):
        return f"{self.country}: {self.get_status_display()} since {self.since:%Y-%m-%d}"

    def clean(self):
        check_period(self.since, self.until, "until", _("The status cannot end before it starts."))


class Place(models.Model):
    """A city or site, under whatever names it has had."""

    name = models.CharField(
        max_length=100, help_text=_("The current common English name, e.g. Astana.")
    )
    slug = models.SlugField(unique=True, help_text=_("Stable identifier, e.g. 'astana'."))
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="places", help_text=_("Where it lies.")
    )
    latitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Degrees north (negative south), e.g. 51.18 for Astana."),
    )
    longitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Degrees east (negative west), e.g. 71.45 for Astana."),
    )
    located_by = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Where the coordinates come from, e.g. 'GeoNames 1526273'."),
    )

    history = History()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def name_on(self, day):
        """The official name on `day`, read from the prefetched `names` (no query if prefetched)."""
        if day is not None:
            for place_name in self.names.all():
                if place_name.kind == PlaceName.Kind.OFFICIAL and place_name.covers(day):
                    return place_name.name
        return self.name

    def name_then_and_now(self, day):
        """'Nur-Sultan (now Astana)' when the name has changed since `day`, else the name."""
        then = self.name_on(day)
        if then == self.name:
            return then
        return _("{then} (now {name})").format(then=then, name=self.name)

    def name_in(self, language, day=None):
        """The name in `language` on `day` (today when None), or '' where none is known: a name
        on record in that language whose period covers the day, else the city's name in CLDR
        while the place still has today's name. Reads the prefetched `names`."""
        if language == "en":
            return self.name_on(day)
        day = day or datetime.date.today()
        names = [n for n in self.names.all() if n.kind == PlaceName.Kind.NATIVE and n.covers(day)]
        found = languages.pick(names, language)
        if found:
            return found.name
        return languages.city_name(self.name, language) if self.name_on(day) == self.name else ""

    def name_then_and_now_in(self, language, day):
        """name_then_and_now() in `language`: ('Нур-Султан (ныне Астана)', 'ru'), or the English
        with 'en' where the names in `language` are not known."""
        then, now = self.name_in(language, day), self.name_in(language)
        if not then or not now:
            return self.name_then_and_now(day), "en"
        if then == now:
            return then, language
        with translation.override(language):
            return gettext("{then} (now {name})").format(then=then, name=now), language


class PlaceName(MarkdownText, models.Model):
    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Official name")
        FORMER = "former", _("Former name (before the periods on record)")
        VARIANT = "variant", _("Spelling or transliteration")
        NATIVE = "native", _("Name in another script or language")

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=100, help_text=_("The name as written."))
    kind = models.CharField(max_length=10, choices=Kind, help_text=_("What sort of name it is."))
    language = models.CharField(
        max_length=100, blank=True, help_text=_("Language or writing system, e.g. 'Uzbek Latin'.")
    )
    valid_from = models.DateField(
        null=True, blank=True, help_text=_("First day the name was in official use.")
    )
    valid_from_precision = models.CharField(max_length=10, choices=Precision, default=Precision.DAY)
    valid_until = models.DateField(
        null=True, blank=True, help_text=_("Day the next name took over (empty if still in use).")
    )
    valid_until_precision = models.CharField(
        max_length=10, choices=Precision, default=Precision.DAY
    )
    notes = models.TextField(blank=True, help_text=_("Caveats from the sources."))
    markdown_fields = ("notes",)
    sources = models.ManyToManyField("Source", blank=True, related_name="place_names")

    history = History(m2m_fields=["sources"])

    class Meta:
        ordering = ["place__name", "valid_from", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="place_name_until_after_from",
                violation_error_message=_("A name cannot stop being used before it starts."),
            ),
            models.UniqueConstraint(
                fields=["place", "name", "kind", "valid_from"], name="place_name_unique"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        check_period(
            self.valid_from,
            self.valid_until,
            "valid_until",
            _("A name cannot stop being used before it starts."),
        )

    def covers(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day < self.valid_until
        )

    @property
    def period_display(self):
        start = format_partial(self.valid_from, self.valid_from_precision)
        end = format_partial(self.valid_until, self.valid_until_precision)
        if start and end:
            return f"{start} – {end}"
        if start:
            return _("since {start}").format(start=start)
        return _("until {end}").format(end=end) if end else ""
