"""What the API shows of each record.

Every record carries `url` (its address in the API) and `html_url` (its public page). A related
record appears as a short reference with its own links; a related record that is still a draft
is null (left out of a list), since neither the API nor the site shows it.
The serializers read only what the views' querysets have fetched: no query per row.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from initiatives.models import Initiative, StatusChange
from meetings.models import (
    Attestation,
    Country,
    CountryStatus,
    Disagreement,
    Meeting,
    Official,
    OfficialName,
    Organization,
    Participation,
    Place,
    Position,
    Post,
    SCOStatus,
    Source,
    Summit,
    Topic,
)


@extend_schema_field(OpenApiTypes.URI)
class ApiLink(serializers.Field):
    """The API address of a published record, by its slug; null for a draft."""

    def __init__(self, view_name, source="*", **kwargs):
        self.view_name = view_name
        super().__init__(source=source, read_only=True, **kwargs)

    def to_representation(self, record):
        if not record.is_published:
            return None
        request = self.context["request"]
        return reverse(self.view_name, kwargs={"slug": record.slug}, request=request)


@extend_schema_field(OpenApiTypes.STR)
class NameIn(serializers.Field):
    """The record's name in one of the site's other languages (its `name_in()`), null where
    none is known. Reads the names the view's queryset prefetched."""

    def __init__(self, language, source="*", **kwargs):
        self.language = language
        kwargs.setdefault(
            "help_text", f"The name in {LANGUAGE_NAMES[language]} where known, else null."
        )
        super().__init__(source=source, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, record):
        return record.name_in(self.language) or None


LANGUAGE_NAMES = {"ru": "Russian", "zh-hans": "Chinese (simplified)"}


@extend_schema_field(OpenApiTypes.URI)
class PageLink(serializers.Field):
    """The address of a published record's public page; null for a draft."""

    def __init__(self, source="*", **kwargs):
        super().__init__(source=source, read_only=True, **kwargs)

    def to_representation(self, record):
        if not record.is_published:
            return None
        return self.context["request"].build_absolute_uri(record.get_absolute_url())


@extend_schema_field(OpenApiTypes.URI)
class ListLink(serializers.Field):
    """An API list filtered on this record, e.g. /api/meetings/?official=zhang-ming."""

    def __init__(self, view_name, param, **kwargs):
        self.view_name, self.param = view_name, param
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        url = reverse(self.view_name, request=self.context["request"])
        return f"{url}?{self.param}={record.slug}"


# References to related records.


class PublishedRefs(serializers.ListSerializer):
    """References to related records, drafts left out."""

    def to_representation(self, data):
        records = data.all() if hasattr(data, "all") else data
        return [self.child.to_representation(record) for record in records if record.is_published]


class PublishedRefSerializer(serializers.ModelSerializer):
    """A reference to a record that may still be a draft: null for a draft."""

    def to_representation(self, record):
        if not record.is_published:
            return None
        return super().to_representation(record)


class CountryRefSerializer(PublishedRefSerializer):
    url = ApiLink("api:country-detail", allow_null=True)
    html_url = PageLink(allow_null=True)
    name_ru = NameIn("ru")
    name_zh = NameIn("zh-hans")

    class Meta:
        model = Country
        list_serializer_class = PublishedRefs
        fields = ["slug", "name", "name_ru", "name_zh", "iso_code", "url", "html_url"]


class OfficialRefSerializer(PublishedRefSerializer):
    url = ApiLink("api:official-detail", allow_null=True)
    html_url = PageLink(allow_null=True)

    class Meta:
        model = Official
        list_serializer_class = PublishedRefs
        fields = ["slug", "name", "url", "html_url"]


class SummitRefSerializer(PublishedRefSerializer):
    title = serializers.CharField(read_only=True)
    url = ApiLink("api:summit-detail", allow_null=True)
    html_url = PageLink(allow_null=True)

    class Meta:
        model = Summit
        list_serializer_class = PublishedRefs
        fields = ["slug", "title", "start_date", "end_date", "url", "html_url"]


class MeetingRefSerializer(serializers.ModelSerializer):
    url = ApiLink("api:meeting-detail")
    html_url = PageLink()

    class Meta:
        model = Meeting
        fields = ["slug", "title", "start_date", "end_date", "url", "html_url"]


class InitiativeRefSerializer(serializers.ModelSerializer):
    url = ApiLink("api:initiative-detail")
    html_url = PageLink()

    class Meta:
        model = Initiative
        fields = ["slug", "title", "short_name", "url", "html_url"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]


class SourceSerializer(serializers.ModelSerializer):
    address = serializers.URLField(source="url", read_only=True, help_text="Where to read it.")
    published = serializers.CharField(
        source="published_display", read_only=True, help_text="The publication date as written."
    )

    class Meta:
        model = Source
        fields = [
            "title",
            "publisher",
            "address",
            "published_on",
            "published_precision",
            "published",
        ]


class DisagreementSerializer(serializers.ModelSerializer):
    accepted_source = SourceSerializer(read_only=True)
    other_source = SourceSerializer(read_only=True)

    class Meta:
        model = Disagreement
        fields = [
            "subject",
            "accepted_value",
            "accepted_source",
            "other_value",
            "other_source",
            "note",
        ]


class PlaceSerializer(serializers.ModelSerializer):
    """A place, under its name on the day of the record it belongs to (`day` in the context)."""

    name = serializers.CharField(read_only=True, help_text="Today's name, e.g. 'Astana'.")
    name_then = serializers.SerializerMethodField(
        help_text="The name on the day of the record, e.g. 'Nur-Sultan'."
    )
    display = serializers.SerializerMethodField(
        help_text="Both, when they differ: 'Nur-Sultan (now Astana)'."
    )
    name_ru = NameIn("ru")
    name_zh = NameIn("zh-hans")
    country = CountryRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Place
        fields = ["slug", "name", "name_ru", "name_zh", "name_then", "display", "country"]

    def get_name_then(self, place) -> str:
        return place.name_on(self.context["day"])

    def get_display(self, place) -> str:
        return place.name_then_and_now(self.context["day"])


def place_data(place, day, context):
    if place is None:
        return None
    return PlaceSerializer(place, context={**context, "day": day}).data


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["slug", "name", "short_name", "kind"]


class PostSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)

    class Meta:
        model = Post
        fields = ["slug", "title", "organization"]


class ParticipantSerializer(serializers.ModelSerializer):
    """An official at a meeting, in the capacity the source gives."""

    slug = serializers.CharField(source="official.slug", read_only=True)
    name = serializers.CharField(source="official.name", read_only=True)
    name_ru = NameIn("ru", source="official")
    name_zh = NameIn("zh-hans", source="official")
    url = ApiLink("api:official-detail", source="official", allow_null=True)
    html_url = PageLink(source="official", allow_null=True)
    country = CountryRefSerializer(read_only=True, allow_null=True)
    post = PostSerializer(source="position.post", read_only=True, allow_null=True)
    term = serializers.CharField(
        source="position.term_display",
        read_only=True,
        allow_null=True,
        help_text="The term of the post on record, as written; null without one.",
    )

    class Meta:
        model = Participation
        fields = [
            "slug",
            "name",
            "name_ru",
            "name_zh",
            "url",
            "html_url",
            "capacity",
            "country",
            "post",
            "term",
        ]


# The records.


class MeetingSerializer(serializers.ModelSerializer):
    url = ApiLink("api:meeting-detail")
    html_url = PageLink()
    dates = serializers.CharField(
        source="dates_display", read_only=True, help_text="As written: '4 June 2022'."
    )
    place = serializers.SerializerMethodField(allow_null=True)
    country = CountryRefSerializer(read_only=True, allow_null=True)
    summit = SummitRefSerializer(read_only=True, allow_null=True)
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)
    topics = TopicSerializer(many=True, read_only=True)
    initiatives = InitiativeRefSerializer(source="published_initiatives", many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    disagreements = DisagreementSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "url",
            "html_url",
            "slug",
            "title",
            "kind",
            "start_date",
            "end_date",
            "date_precision",
            "dates",
            "date_note",
            "place",
            "country",
            "summary",
            "summit",
            "summit_relation",
            "participants",
            "topics",
            "initiatives",
            "sources",
            "disagreements",
        ]

    @extend_schema_field(PlaceSerializer)
    def get_place(self, meeting):
        return place_data(meeting.place, meeting.start_date, self.context)


class SummitSerializer(serializers.ModelSerializer):
    url = ApiLink("api:summit-detail")
    html_url = PageLink()
    title = serializers.CharField(
        read_only=True, help_text="e.g. '22nd Council of Heads of State'."
    )
    name = serializers.CharField(
        read_only=True, help_text="As readers know it, e.g. 'Samarkand summit, 2022'."
    )
    dates = serializers.CharField(source="dates_display", read_only=True)
    place = serializers.SerializerMethodField(allow_null=True)
    host_country = CountryRefSerializer(read_only=True, allow_null=True)
    chair_country = CountryRefSerializer(read_only=True, allow_null=True)
    initiatives = InitiativeRefSerializer(
        source="adopted_initiatives",
        many=True,
        read_only=True,
        help_text="Initiatives it adopted.",
    )
    meetings = MeetingRefSerializer(source="published_meetings", many=True, read_only=True)
    meetings_url = ListLink("api:meeting-list", "summit")
    sources = SourceSerializer(many=True, read_only=True)
    disagreements = DisagreementSerializer(many=True, read_only=True)

    class Meta:
        model = Summit
        fields = [
            "url",
            "html_url",
            "slug",
            "title",
            "name",
            "council",
            "number",
            "start_date",
            "end_date",
            "dates",
            "place",
            "host_country",
            "chair_country",
            "chair",
            "format",
            "outcomes",
            "notes",
            "initiatives",
            "meetings",
            "meetings_url",
            "sources",
            "disagreements",
        ]

    @extend_schema_field(PlaceSerializer)
    def get_place(self, summit):
        return place_data(summit.place, summit.start_date, self.context)


class StatusChangeSerializer(serializers.ModelSerializer):
    date_display = serializers.CharField(read_only=True)
    source = SourceSerializer(read_only=True, allow_null=True)

    class Meta:
        model = StatusChange
        fields = ["status", "date", "date_precision", "date_display", "note", "source"]


class InitiativeSerializer(serializers.ModelSerializer):
    url = ApiLink("api:initiative-detail")
    html_url = PageLink()
    current_status = serializers.ChoiceField(
        choices=StatusChange._meta.get_field("status").choices,
        read_only=True,
        allow_null=True,
        help_text="The status of the latest dated change; null without one.",
    )
    status_history = StatusChangeSerializer(source="status_changes", many=True, read_only=True)
    proposed_by = CountryRefSerializer(many=True, read_only=True)
    adopted_at = SummitRefSerializer(read_only=True, allow_null=True)
    adopted = serializers.CharField(
        source="adopted_display", read_only=True, help_text="The adoption date as written."
    )
    period = serializers.CharField(
        source="period_display", read_only=True, help_text="The period it covers, as written."
    )
    topics = TopicSerializer(many=True, read_only=True)
    meetings = MeetingRefSerializer(source="published_meetings", many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    disagreements = DisagreementSerializer(many=True, read_only=True)

    class Meta:
        model = Initiative
        fields = [
            "url",
            "html_url",
            "slug",
            "title",
            "short_name",
            "kind",
            "summary",
            "current_status",
            "status_history",
            "proposed_by",
            "adopted_at",
            "adopted_on",
            "adopted_precision",
            "adopted",
            "period_start",
            "period_start_precision",
            "period_end",
            "period_end_precision",
            "period",
            "topics",
            "meetings",
            "notes",
            "sources",
            "disagreements",
        ]


class OfficialNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = OfficialName
        fields = ["name", "kind", "language", "note"]


class AttestationSerializer(serializers.ModelSerializer):
    source = SourceSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Attestation
        fields = ["date", "note", "source"]


class PositionSerializer(serializers.ModelSerializer):
    post = PostSerializer(read_only=True)
    term = serializers.CharField(
        source="term_display", read_only=True, help_text="As written; empty if unknown."
    )
    attestations = AttestationSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Position
        fields = [
            "post",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "term",
            "attestations",
            "notes",
            "sources",
        ]


class OfficialSerializer(serializers.ModelSerializer):
    url = ApiLink("api:official-detail")
    html_url = PageLink()
    name_ru = NameIn("ru")
    name_zh = NameIn("zh-hans")
    names = OfficialNameSerializer(many=True, read_only=True, help_text="Other forms of the name.")
    nationality = CountryRefSerializer(read_only=True, allow_null=True)
    positions = PositionSerializer(many=True, read_only=True)
    meetings_url = ListLink("api:meeting-list", "official")
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Official
        fields = [
            "url",
            "html_url",
            "slug",
            "name",
            "name_ru",
            "name_zh",
            "names",
            "nationality",
            "positions",
            "meetings_url",
            "notes",
            "sources",
        ]


class CountryStatusSerializer(serializers.ModelSerializer):
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = CountryStatus
        fields = ["status", "since", "until", "decided_at", "notes", "sources"]


class CountrySerializer(serializers.ModelSerializer):
    url = ApiLink("api:country-detail")
    html_url = PageLink()
    status = serializers.ChoiceField(
        source="sco_status",
        choices=SCOStatus.choices,
        read_only=True,
        allow_null=True,
        help_text="The SCO status in force on the day asked for (`as_of` in a list, else "
        "today); null without one.",
    )
    status_history = CountryStatusSerializer(source="statuses", many=True, read_only=True)
    meeting_count = serializers.IntegerField(
        read_only=True, help_text="Published meetings held in the country."
    )
    meetings_url = ListLink("api:meeting-list", "country")
    name_ru = NameIn("ru")
    name_zh = NameIn("zh-hans")

    class Meta:
        model = Country
        fields = [
            "url",
            "html_url",
            "slug",
            "iso_code",
            "name",
            "name_ru",
            "name_zh",
            "native_name",
            "status",
            "status_history",
            "meeting_count",
            "meetings_url",
            "notes",
        ]
