from django.db.models import Case, CharField, Count, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Initiative

from . import exports
from .filters import CountryFilter, MeetingFilter, OfficialFilter, SummitFilter
from .forms import MAX_QUERY, SearchForm
from .listing import Keyset, capped_count, list_page
from .models import Country, CountryStatus, Meeting, Official, Participation, State, Summit
from .search import search_records


def visible(request, queryset):
    """Published records for everyone; drafts too for staff, who get a preview."""
    if request.user.is_staff:
        return queryset
    return queryset.published()


def record_ctx(request, record, title):
    """What every detail page shows around the record: permalink, citation, edit link."""
    permalink = request.build_absolute_uri(record.get_absolute_url())
    opts = record._meta
    today = timezone.localdate()
    ctx = {
        "record": record,
        "permalink": permalink,
        "citation": f"“{title}”. SCO Tracker. {permalink} (accessed {today.day} {today:%B %Y}).",
    }
    if request.user.is_staff:
        ctx["edit_url"] = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]
        )
    return ctx


def home(request):
    today = timezone.localdate()
    summits = Summit.objects.published().for_list()
    ctx = {
        "today": today,
        "meetings": Meeting.objects.published().for_rows()[:5],
        "last_summit": summits.filter(start_date__lte=today).order_by("-start_date").first(),
        "next_summit": summits.filter(start_date__gt=today).order_by("start_date").first(),
        "initiatives": Initiative.objects.published()
        .for_list()
        .filter(period_start__lte=today)
        .filter(Q(period_end__isnull=True) | Q(period_end__gte=today))
        .order_by("period_end", "title")[:6],
        "numbers": [
            (
                capped_count(Meeting.objects.published()),
                "meeting",
                "meetings",
                reverse("meetings:meeting_list"),
            ),
            (
                capped_count(Summit.objects.published()),
                "summit",
                "summits",
                reverse("meetings:summit_list"),
            ),
            (
                capped_count(Initiative.objects.published()),
                "initiative or document",
                "initiatives and documents",
                reverse("initiatives:initiative_list"),
            ),
            (
                capped_count(Official.objects.published()),
                "official",
                "officials",
                reverse("meetings:official_list"),
            ),
            (
                capped_count(
                    Country.objects.published().filter(
                        statuses__in=CountryStatus.objects.on(today).members()
                    )
                ),
                "member state today",
                "member states today",
                reverse("meetings:country_list") + "?status=member",
            ),
        ],
    }
    return render(request, "home.html", ctx)


def meeting_list(request):
    filterset = MeetingFilter(
        request.GET, queryset=Meeting.objects.published().for_rows(), request=request
    )
    template = "meetings/meeting_list.html"
    keyset = Keyset("start_date", "-date")
    return list_page(request, filterset, Meeting.objects.published(), template, keyset=keyset)


def meeting_detail(request, slug):
    meeting = get_object_or_404(visible(request, Meeting.objects.for_detail()), slug=slug)
    participations = list(meeting.participations.all())
    officials = [participation.official_id for participation in participations]
    # Other published meetings with at least two of these participants (or the one, if alone).
    # Filtered first, the count reads only these officials' participations (from their index).
    other_meetings = (
        Meeting.objects.published()
        .exclude(pk=meeting.pk)
        .filter(participations__official__in=officials)
        .annotate(shared=Count("participations"))
        .filter(shared__gte=min(2, len(officials)) or 1)
        .select_related("place")
        .order_by("-start_date", "-id")[:10]
    )
    ctx = {
        "meeting": meeting,
        "participations": participations,
        "initiatives": meeting.initiatives.published(),
        "other_meetings": other_meetings,
        "disagreements": meeting.disagreements.select_related("accepted_source", "other_source"),
        **record_ctx(request, meeting, meeting.title + f", {meeting.dates_display}"),
    }
    return render(request, "meetings/meeting_detail.html", ctx)


def summit_list(request):
    filterset = SummitFilter(
        request.GET, queryset=Summit.objects.published().for_list(), request=request
    )
    return list_page(request, filterset, Summit.objects.published(), "meetings/summit_list.html")


def summit_detail(request, slug):
    summit = get_object_or_404(visible(request, Summit.objects.for_detail()), slug=slug)
    # The published sessions of the same council just before and just after this one.
    sessions = Summit.objects.published().filter(council=summit.council)
    day, pk = summit.start_date, summit.pk
    earlier = Q(start_date__lt=day) | Q(start_date=day, pk__lt=pk)
    later = Q(start_date__gt=day) | Q(start_date=day, pk__gt=pk)
    ctx = {
        "summit": summit,
        "previous": sessions.filter(earlier).order_by("-start_date", "-id").first(),
        "next": sessions.filter(later).order_by("start_date", "id").first(),
        **record_ctx(request, summit, f"{summit.title}, {summit.dates_display}"),
    }
    return render(request, "meetings/summit_detail.html", ctx)


OFFICIAL_MEETINGS_SHOWN = 50
COUNTRY_MEETINGS_SHOWN = 20
COUNTRY_OFFICIALS_SHOWN = 50


def official_list(request):
    filterset = OfficialFilter(
        request.GET, queryset=Official.objects.published().for_list(), request=request
    )
    template = "meetings/official_list.html"
    return list_page(request, filterset, Official.objects.published(), template)


def official_detail(request, slug):
    official = get_object_or_404(visible(request, Official.objects.for_detail()), slug=slug)
    attended = Meeting.objects.published().filter(participations__official=official)
    others = (
        Participation.objects.filter(official__state=State.PUBLISHED)
        .exclude(official=official)
        .select_related("official")
        .only("meeting", "official__name", "official__slug")
        .order_by("official__name", "id")
    )
    meetings = (
        attended.select_related("place")
        .only("slug", "title", "start_date", "end_date", "date_precision", "place__name")
        .prefetch_related(
            "place__names", Prefetch("participations", others, to_attr="counterparts")
        )
    )
    # Published officials by the number of these meetings they shared: one grouped query (an
    # official takes part in a meeting once, so each participation is one shared meeting).
    counterparts = (
        Official.objects.published()
        .exclude(pk=official.pk)
        .filter(participations__meeting__in=attended)
        .annotate(shared=Count("participations"))
        .only("name", "slug")
        .order_by("-shared", "name", "id")
    )
    ctx = {
        "official": official,
        "meetings": meetings.order_by("-start_date", "-id")[:OFFICIAL_MEETINGS_SHOWN],
        "meeting_count": attended.count(),
        "counterparts": counterparts[:10],
        **record_ctx(request, official, official.name),
    }
    return render(request, "meetings/official_detail.html", ctx)


def country_list(request):
    filterset = CountryFilter(
        request.GET, queryset=Country.objects.published().for_list(), request=request
    )
    ctx = {"day": filterset.day()}
    template = "meetings/country_list.html"
    return list_page(request, filterset, Country.objects.published(), template, ctx)


def country_detail(request, slug):
    country = get_object_or_404(visible(request, Country.objects.for_detail()), slug=slug)
    held = Meeting.objects.published().filter(country=country)
    latest = held.select_related("place").prefetch_related("place__names")
    officials = Official.objects.published().of_countries([country])
    ctx = {
        "country": country,
        "status_today": country.statuses.on(timezone.localdate()).order_by("-since").first(),
        "officials": officials[:COUNTRY_OFFICIALS_SHOWN],
        "meetings": latest[:COUNTRY_MEETINGS_SHOWN],
        "meeting_count": held.count(),
        "summits": country_summits(country),
        "initiatives": Initiative.objects.published().filter(proposed_by=country),
        **record_ctx(request, country, country.name),
    }
    return render(request, "meetings/country_detail.html", ctx)


def country_summits(country):
    """Published summits the country hosted or chaired, each with its `role`."""
    host, chair = Q(host_country=country), Q(chair_country=country)
    role = Case(
        When(host & chair, then=Value("Host and chair")),
        When(host, then=Value("Host")),
        default=Value("Chair"),
        output_field=CharField(),
    )
    summits = Summit.objects.published().filter(host | chair)
    return summits.annotate(role=role).select_related("place")


def export(request, kind, fmt):
    """Every record of a list page under its filters and ordering, as CSV or JSON."""
    return exports.download(request, exports.LISTINGS[kind], fmt)


def calendar(request, kind):
    """The meetings or summits of a list page under its filters, as iCalendar events."""
    return exports.calendar(request, exports.LISTINGS[kind])


def search(request):
    form = SearchForm(request.GET)
    ctx = {"form": form, "search_query": request.GET.get("q", "")[:MAX_QUERY]}
    if not form.is_valid():
        return render(request, "meetings/search.html", ctx, status=400)
    query = form.cleaned_data["q"].strip()
    if query:
        ctx["groups"] = search_records(query, form.cleaned_data["order"] or "relevance")
        ctx["total"] = sum(group.total for group in ctx["groups"])
    return render(request, "meetings/search.html", ctx)
