from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from meetings.dates import Precision, format_range
from meetings.text import MarkdownText

from .base import History, Publishable, PublishableQuerySet, State, check_period


class Topic(MarkdownText, models.Model):
    name = models.CharField(max_length=100, unique=True, help_text=_("e.g. 'Counter-terrorism'."))
    slug = models.SlugField(unique=True, help_text=_("Used in filter links."))
    description = models.TextField(blank=True, help_text=_("What the topic covers."))
    markdown_fields = ("description",)

    history = History()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Council(models.TextChoices):
    HEADS_OF_STATE = "heads_of_state", _("Council of Heads of State")
    HEADS_OF_GOVERNMENT = "heads_of_government", _("Council of Heads of Government")
    FOREIGN_MINISTERS = "foreign_ministers", _("Council of Foreign Ministers")
    SHANGHAI_FIVE = "shanghai_five", _("Shanghai Five (predecessor)")


# What readers call a council's session, after its place and year: "Samarkand summit, 2022".
SESSION_NAMES = {
    Council.HEADS_OF_STATE: gettext_noop("summit"),
    Council.HEADS_OF_GOVERNMENT: gettext_noop("heads of government meeting"),
    Council.FOREIGN_MINISTERS: gettext_noop("foreign ministers' meeting"),
    Council.SHANGHAI_FIVE: gettext_noop("Shanghai Five summit"),
}


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid")


class SummitQuerySet(PublishableQuerySet):
    def for_list(self):
        """Rows with their place names and `adopted_initiatives` (the published ones)."""
        # The initiatives app builds on this one: its model is reached through the relation.
        initiatives = self.model._meta.get_field("initiatives").related_model.objects.published()
        adopted = Prefetch("initiatives", initiatives, to_attr="adopted_initiatives")
        return self.select_related(
            "place__country", "host_country", "chair_country"
        ).prefetch_related("place__names", adopted)

    def for_detail(self):
        """Adds sources, disagreements and `published_meetings` (those linked to the summit)."""
        return self.for_list().prefetch_related(
            "sources",
            "disagreements__accepted_source",
            "disagreements__other_source",
            Prefetch(
                "meetings",
                Meeting.objects.published().order_by("start_date", "id"),
                to_attr="published_meetings",
            ),
        )


class Summit(Publishable):
    """A session of an SCO council (or of the Shanghai Five that preceded the SCO)."""

    council = models.CharField(max_length=30, choices=Council, help_text=_("Which council met."))
    number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Ordinal within the council's sessions, where known.")
    )
    slug = models.SlugField(unique=True, help_text=_("Part of the page address."))
    start_date = models.DateField(help_text=_("First day of the session."))
    end_date = models.DateField(help_text=_("Last day (the same as the first for one day)."))
    place = models.ForeignKey(
        "Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="summits",
        help_text=_("Empty for a session held by video link."),
    )
    host_country = models.ForeignKey(
        "Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="summits_hosted",
        help_text=_("Country where it was held."),
    )
    chair_country = models.ForeignKey(
        "Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="summits_chaired",
        help_text=_("Country holding the chairmanship."),
    )
    chair = models.CharField(
        max_length=200, blank=True, help_text=_("Person who chaired it, where a source names them.")
    )
    format = models.CharField(max_length=10, choices=Format, default=Format.IN_PERSON)
    outcomes = models.TextField(
        blank=True, help_text=_("Other outcomes, as the sources report them.")
    )
    notes = models.TextField(blank=True, help_text=_("Caveats and disagreements between sources."))
    markdown_fields = ("outcomes", "notes")
    sources = models.ManyToManyField("Source", blank=True, related_name="summits")
    disagreements = GenericRelation("Disagreement")

    objects = SummitQuerySet.as_manager()
    history = History(m2m_fields=["sources"], publishable=True)

    class Meta:
        ordering = ["-start_date", "council", "id"]
        permissions = [("publish_summit", "Can publish and unpublish summits")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="summit_end_after_start",
                violation_error_message=_("A summit cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["council", "number"],
                name="summit_unique_number",
                violation_error_message=_("This council already has a session with this number."),
            ),
        ]

    def __str__(self):
        where = self.place.name if self.place_id else self.get_format_display().lower()
        return f"{self.title} ({where}, {self.start_date.year})"

    def get_absolute_url(self):
        return reverse("meetings:summit_detail", kwargs={"slug": self.slug})

    def clean(self):
        check_period(
            self.start_date, self.end_date, "end_date", _("A summit cannot end before it starts.")
        )

    @property
    def title(self):
        """'22nd Council of Heads of State', in the active language."""
        council = self.get_council_display()
        if self.council == Council.SHANGHAI_FIVE:
            council = gettext("Shanghai Five meeting")
        if self.number:
            # Translators: the session's number as ordinal() writes it, then the council.
            return gettext("%(ordinal)s %(council)s") % {
                "ordinal": ordinal(self.number),
                "council": council,
            }
        return str(council)

    @property
    def name(self):
        """As readers know it: 'Samarkand summit, 2022', 'Summit by video link, 2020' (without a
        place on record, the formal title and the year). The place
        is named as it was then where its `names` are prefetched, else by its name today."""
        session, year = SESSION_NAMES[self.council], self.start_date.year
        if not self.place_id and self.format == Format.VIRTUAL:
            return f"{session[0].upper()}{session[1:]} by video link, {year}"
        if not self.place_id:
            return f"{self.title}, {year}"
        prefetched = "names" in getattr(self.place, "_prefetched_objects_cache", {})
        where = self.place.name_on(self.start_date) if prefetched else self.place.name
        return f"{where} {session}, {year}"

    def name_in(self, language):
        """name in `language` where the place has a name in it: the place as named then, the
        words through the catalogue ('Самарканд summit, 2022' until they are translated); ''
        otherwise. Reads the place's prefetched `names`."""
        if language == "en":
            return self.name
        where = self.place.name_in(language, self.start_date) if self.place_id else ""
        if not where:
            return ""
        with translation.override(language):
            return gettext("%(place)s %(session)s, %(year)s") % {
                "place": where,
                "session": gettext(SESSION_NAMES[self.council]),
                "year": self.start_date.year,
            }

    @property
    def dates_display(self):
        return format_range(self.start_date, self.end_date)

    @property
    def public_host_country(self):
        """The host country, unless it is a draft (needs `host_country` selected: no query)."""
        country = self.host_country
        return country if country is not None and country.is_published else None

    @property
    def public_chair_country(self):
        """The chair country, unless it is a draft (needs `chair_country` selected: no query)."""
        country = self.chair_country
        return country if country is not None and country.is_published else None

    @property
    def place_display(self):
        """'Nur-Sultan (now Astana)': needs `place__names` prefetched to avoid a query."""
        if not self.place_id:
            return ""
        return self.place.name_then_and_now(self.start_date)


class MeetingQuerySet(PublishableQuerySet):
    def for_list(self):
        return self.select_related("place__country", "country").prefetch_related(
            Prefetch(
                "participations",
                Participation.objects.public().select_related("official", "country"),
            ),
            "participations__official__names",
            "topics",
            "place__names",
        )

    def for_rows(self):
        """Only what a row of the meetings list shows: dates, place, kind, participants' names
        and topics (see templates/meetings/_meeting_row.html)."""
        participants = (
            Participation.objects.public()
            .select_related("official")
            .only("meeting", "official__name")
        )
        return (
            self.select_related("place")
            .only(
                "slug", "title", "kind", "start_date", "end_date", "date_precision", "place__name"
            )
            .prefetch_related(
                Prefetch("participations", participants),
                "participations__official__names",
                Prefetch("topics", Topic.objects.only("name")),
                "place__names",
            )
        )

    def for_detail(self):
        return self.select_related("place__country", "country", "summit").prefetch_related(
            Prefetch(
                "participations",
                Participation.objects.public().select_related(
                    "official", "country", "position__post__organization"
                ),
            ),
            "participations__official__names",
            "topics",
            "sources",
            "place__names",
        )


class Meeting(Publishable):
    class Kind(models.TextChoices):
        BILATERAL = "bilateral", _("Bilateral meeting")
        MULTILATERAL = "multilateral", _("Multilateral meeting")
        MINISTERIAL = "ministerial", _("Ministerial meeting")
        WORKING_VISIT = "working_visit", _("Working visit")
        CALL = "call", _("Phone or video call")
        OTHER = "other", _("Other")

    title = models.CharField(max_length=300, help_text=_("A plain description of who met whom."))
    slug = models.SlugField(unique=True, max_length=200, help_text=_("Part of the page address."))
    kind = models.CharField(max_length=20, choices=Kind, help_text=_("What sort of meeting."))
    start_date = models.DateField(
        help_text=_("The day it took place; for a rough date, the first day of the period.")
    )
    end_date = models.DateField(
        help_text=_("The last day; for a rough date, the last day of the period.")
    )
    date_precision = models.CharField(
        max_length=10,
        choices=Precision,
        default=Precision.DAY,
        help_text=_("How exactly the date is known ('fall 2022' is a season)."),
    )
    date_note = models.CharField(
        max_length=300, blank=True, help_text=_("What the date rests on, e.g. 'dateline'.")
    )
    place = models.ForeignKey(
        "Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("Empty for a call."),
    )
    country = models.ForeignKey(
        "Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_held",
        help_text=_("Country where it was held."),
    )
    summary = models.TextField(blank=True, help_text=_("What was discussed, as the sources say."))
    markdown_fields = ("summary",)
    topics = models.ManyToManyField(Topic, blank=True, related_name="meetings")
    summit = models.ForeignKey(
        Summit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("The summit it prepared or belonged to."),
    )
    summit_relation = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("How it relates to the summit, e.g. 'preparations'."),
    )
    sources = models.ManyToManyField("Source", blank=True, related_name="meetings")
    disagreements = GenericRelation("Disagreement")

    objects = MeetingQuerySet.as_manager()
    history = History(m2m_fields=["topics", "sources"], publishable=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        permissions = [("publish_meeting", "Can publish and unpublish meetings")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="meeting_end_after_start",
                violation_error_message=_("A meeting cannot end before it starts."),
            ),
        ]
        # The list reads published meetings newest first, whole or by one country or kind; the
        # last columns let its year, month, country and kind facets read the index alone.
        indexes = [
            models.Index(
                fields=["state", "-start_date", "-id", "country", "kind"], name="meeting_list_idx"
            ),
            models.Index(
                fields=["country", "state", "-start_date", "-id", "kind"],
                name="meeting_country_idx",
            ),
            models.Index(fields=["kind", "state", "-start_date"], name="meeting_kind_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.dates_display})"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", kwargs={"slug": self.slug})

    def clean(self):
        check_period(
            self.start_date, self.end_date, "end_date", _("A meeting cannot end before it starts.")
        )

    @property
    def dates_display(self):
        return format_range(self.start_date, self.end_date, self.date_precision)

    @property
    def place_display(self):
        """'Nur-Sultan (now Astana)': needs `place__names` prefetched to avoid a query."""
        if not self.place_id:
            return ""
        return self.place.name_then_and_now(self.start_date)

    @property
    def participant_names(self):
        """'Zhang Ming, Akan Rakhmetullin': needs `participations__official` prefetched."""
        return ", ".join(p.official.name for p in self.participations.all())


class ParticipationQuerySet(models.QuerySet):
    def public(self):
        """The participations of published officials: a draft official is not named in public."""
        return self.filter(official__state=State.PUBLISHED)


class Participation(models.Model):
    """An official's part in a meeting, in the capacity they had there."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participations")
    official = models.ForeignKey(
        "Official", on_delete=models.PROTECT, related_name="participations"
    )
    capacity = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("As the source puts it, e.g. 'First Deputy Minister of Foreign Affairs'."),
    )
    position = models.ForeignKey(
        "Position",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text=_("The position on record that they held that day."),
    )
    country = models.ForeignKey(
        "Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text=_("The country they represented; empty for an SCO official."),
    )
    organization = models.ForeignKey(
        "Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text=_("The body they represented, e.g. the SCO Secretariat."),
    )

    history = History()

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "official"],
                name="participation_unique_official",
                violation_error_message=_("This official is already a participant of the meeting."),
            ),
        ]
        # Meetings of an official or of a country's participants, read from the index alone.
        indexes = [
            models.Index(fields=["official", "meeting"], name="participation_official_idx"),
            models.Index(fields=["country", "meeting"], name="participation_country_idx"),
        ]

    def __str__(self):
        return f"{self.official}, {self.capacity}" if self.capacity else str(self.official)

    def save(self, *args, **kwargs):
        self.fill_from_position()
        super().save(*args, **kwargs)

    def fill_from_position(self):
        """Fill what the editor left empty from the positions the official held on the meeting's
        first day: the position, when one alone is on record that day (its term covers the day,
        or a source attests it then), and the country they represented, when those positions
        are all of one country's bodies (none for an SCO body).

        This causes a SQL query when the position or the country (with no body given) is empty.
        """
        if not (self.official_id and self.meeting_id):
            return
        if self.position_id and (self.country_id or self.organization_id):
            return
        from .people import Position

        if self.position_id:
            held = Position.objects.filter(pk=self.position_id)
        else:
            day = self.meeting.start_date
            held = Position.objects.filter(official_id=self.official_id).filter(
                Q(pk__in=Position.objects.held_on(day).values("pk")) | Q(attestations__date=day)
            )
        found = {
            pk: country
            for pk, country in held.values_list("pk", "post__organization__country").distinct()
        }
        if self.position_id is None and len(found) == 1:
            self.position_id = next(iter(found))
        countries = set(found.values())
        if self.country_id is None and self.organization_id is None and len(countries) == 1:
            self.country_id = countries.pop()


def ordinal(number):
    """'22nd' in English, '22-е' in Russian, '第22次' in Chinese (the active language)."""
    language = translation.get_language() or "en"
    if language.startswith("ru"):
        return f"{number}-е"
    if language.startswith("zh"):
        return f"第{number}次"
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"
