"""The read-only JSON API: published records only, filtered by the list pages' own FilterSets."""

from django.core.exceptions import ImproperlyConfigured
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from initiatives.models import Initiative
from meetings.models import Country, CountryStatus, Disagreement, Meeting, Official, Summit
from public.countries import CountryFilter
from public.initiatives import InitiativeFilter
from public.listing import DEFAULT_PER_PAGE, MAX_PER_PAGE, per_page_from
from public.meetings import MeetingFilter
from public.officials import OfficialFilter
from public.summits import SummitFilter

from . import serializers
from .schema import with_empty_value


class Pagination(PageNumberPagination):
    """`page` and `per_page` as on the site: 20 rows by default, at most 100."""

    page_size = DEFAULT_PER_PAGE
    page_size_query_param = "per_page"
    max_page_size = MAX_PER_PAGE
    last_page_strings = ()
    invalid_page_message = _("There is no page '{page_number}' of these results: {message}")

    def get_page_size(self, request):
        per_page = per_page_from(request)
        if per_page is None:
            given = request.query_params.get("per_page", "")[:40]
            raise ValidationError(
                {
                    "per_page": [
                        gettext(
                            "'{given}' is not a number of rows per page: use a whole number "
                            "from 1 to {most}."
                        ).format(given=given, most=MAX_PER_PAGE)
                    ]
                }
            )
        return per_page

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == "per_page":
                parameter["description"] = (
                    f"Rows per page: {DEFAULT_PER_PAGE} unless given, "
                    f"at most {MAX_PER_PAGE} (a larger number gives {MAX_PER_PAGE})."
                )
        return [with_empty_value(parameter) for parameter in parameters]


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    """The API of a public kind; `key` names the kind (public.registry), as in /api/<key>/."""

    key = None
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    filter_backends = [DjangoFilterBackend]
    pagination_class = Pagination

    def filter_queryset(self, queryset):
        # The filters narrow a list; a record's own address answers whatever they say.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


def disagreements():
    return Prefetch(
        "disagreements",
        Disagreement.objects.select_related("accepted_source", "other_source"),
    )


class MeetingViewSet(RecordViewSet):
    """Published meetings, newest first, with their participants, place, topics and sources.

    The filters are those of the meetings page; repeating a parameter means OR
    (`country=kz&country=cn`), different parameters combine with AND.
    """

    key = "meetings"
    serializer_class = serializers.MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        initiatives = Prefetch(
            "initiatives", Initiative.objects.published(), to_attr="published_initiatives"
        )
        return (
            Meeting.objects.published().for_detail().prefetch_related(initiatives, disagreements())
        )


class SummitViewSet(RecordViewSet):
    """Published sessions of the SCO councils (and of the Shanghai Five), newest first."""

    key = "summits"
    serializer_class = serializers.SummitSerializer
    filterset_class = SummitFilter

    def get_queryset(self):
        return Summit.objects.published().for_detail()


class InitiativeViewSet(RecordViewSet):
    """Published agreements, programmes, strategies, declarations and joint operations."""

    key = "initiatives"
    serializer_class = serializers.InitiativeSerializer
    filterset_class = InitiativeFilter

    def get_queryset(self):
        meetings = Prefetch(
            "meetings",
            Meeting.objects.published().order_by("start_date", "id"),
            to_attr="published_meetings",
        )
        return Initiative.objects.published().for_detail().prefetch_related(meetings)


class OfficialViewSet(RecordViewSet):
    """Published officials with every form of their name and the posts they have held."""

    key = "officials"
    serializer_class = serializers.OfficialSerializer
    filterset_class = OfficialFilter

    def get_queryset(self):
        return Official.objects.published().for_detail()


class CountryViewSet(RecordViewSet):
    """Published countries with their SCO status over time.

    As on the countries page, the list holds the countries with a status on `as_of` (today
    if not given); a country's own address answers with any published country.
    """

    key = "countries"
    serializer_class = serializers.CountrySerializer
    filterset_class = CountryFilter

    def get_queryset(self):
        countries = Country.objects.published().for_list().for_detail()
        if self.action == "list":
            # CountryFilter annotates the status on the day it is asked about.
            return countries
        in_force = CountryStatus.objects.on(timezone.localdate()).order_by("-since", "-id")
        own = in_force.filter(country=OuterRef("pk")).values("status")[:1]
        return countries.annotate(sco_status=Subquery(own))


def not_found(request):
    """Any other address under /api/: a 404 in JSON, like the API's own."""
    return JsonResponse({"detail": gettext("Not found.")}, status=404)


def viewset_for(kind):
    """The viewset of a public kind; every kind on the site is in the API too."""
    for viewset in RecordViewSet.__subclasses__():
        if viewset.key == kind.key:
            return viewset
    raise ImproperlyConfigured(f"The {kind.key} kind has no RecordViewSet with key = {kind.key!r}.")
