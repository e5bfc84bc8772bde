from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from initiatives.models import Initiative
from meetings.models import Meeting, State, Summit
from meetings.numbers import number
from public import citations, exports
from public.forms import MAX_QUERY, SearchForm
from public.listing import (
    COUNT_LIMIT,
    FACET_PAGE_LIMIT,
    FACET_QUERY,
    capped_count,
    filter_errors,
    option_items,
)
from public.registry import kind_of, kinds
from public.search import search_records


def can_preview(user, model):
    """Whether `user` may see drafts of `model`: staff holding its view permission."""
    opts = model._meta
    return user.is_staff and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def visible(request, queryset):
    """Published records for everyone; drafts too for those who may view them in the admin,
    whose response is then kept out of every shared cache (see public.cache)."""
    if can_preview(request.user, queryset.model):
        request.shows_drafts = True
        return queryset
    return queryset.published()


def record_title(record):
    """The title a citation of `record` gives (its kind's `cite_title`; no query)."""
    return kind_of(type(record)).cite_title(record)


def record_ctx(request, record):
    """What every detail page shows around the record: permalink, citation and its downloads,
    the record's JSON in the API, edit link."""
    permalink = request.build_absolute_uri(record.get_absolute_url())
    kind = kind_of(type(record))
    item = citations.describe(record, record_title(record), permalink, timezone.localdate())
    detail = f"{kind.namespace}:{kind.name}_cite"
    ctx = {
        "record": record,
        "permalink": permalink,
        "citation": citations.text(item),
        "cite_links": [
            (label, reverse(detail, kwargs={"slug": record.slug, "fmt": fmt}))
            for fmt, label in (("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON"))
        ],
    }
    if record.state == State.PUBLISHED:
        ctx["json_url"] = reverse(f"api:{kind.name}-detail", kwargs={"slug": record.slug})
    opts = record._meta
    if request.user.is_staff and request.user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    ):
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
        "numbers": [figure_item(kind, today) for kind in kinds().values() if kind.figure],
    }
    return render(request, "home.html", ctx)


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


def export(request, kind, fmt):
    """Every record of a list page under its filters and ordering, as CSV or JSON."""
    return exports.download(request, kinds()[kind].listing, fmt)


def calendar(request, kind):
    """The meetings or summits of a list page under its filters, as iCalendar events."""
    return exports.calendar(request, kinds()[kind].listing)


def facet(request, kind, param):
    """Every option of one facet of a list under the list's filters, narrowed by `facet_q`."""
    kind = kinds()[kind]
    filterset = kind.listing.filterset(request)
    facet = next((f for f in filterset.facets if f.param == param), None)
    if facet is None:
        message = gettext("The {kind} list has no facet '{param}'.")
        raise Http404(message.format(kind=str(kind.title).lower(), param=param[:40]))
    list_url = reverse(f"{kind.namespace}:{kind.name}_list")
    query = request.GET.get(FACET_QUERY, "")[:MAX_QUERY].strip()
    ctx = {"kind": kind, "facet": facet, "query": query, "list_url": list_url}
    ctx["back_url"] = list_url + filterset.filters_query()
    ctx["hidden_fields"] = filterset.url_filters()
    if not filterset.is_valid():
        ctx["errors"] = filter_errors(filterset)
        return render(request, "facet.html", ctx, status=400)
    found, total = filterset.all_options(param, kind.listing.queryset(), query)
    if found is not None:
        options = filterset.options(facet, found[:FACET_PAGE_LIMIT], list_url)
        ctx.update(options=options, items=option_items(options), matching=len(found))
    ctx["total"] = total
    return render(request, "facet.html", ctx)


def cite(request, kind, slug, fmt):
    """The citation of one record as a file for reference managers: BibTeX, RIS or CSL-JSON."""
    if fmt not in citations.FORMATS:
        raise Http404(f"There is no citation format '{fmt[:20]}': use bib, ris or json.")
    record = get_object_or_404(visible(request, kinds()[kind].model.objects.all()), slug=slug)
    permalink = request.build_absolute_uri(record.get_absolute_url())
    item = citations.describe(record, record_title(record), permalink, timezone.localdate())
    content_type, write = citations.FORMATS[fmt]
    response = HttpResponse(write(item), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{item["key"]}.{fmt}"'
    return response


def figure_item(kind, today):
    """(count, word, word, URL) of a kind's figure on the home page: the word agrees with the
    count in the reader's language (a count beyond the cap, "10,000+", takes the plural of many).
    """
    found = capped_count(kind.figure.records(today))
    word = kind.figure.words(found if isinstance(found, int) else COUNT_LIMIT + 1)
    count = number(found) if isinstance(found, int) else found
    return count, word, word, kind.list_url() + kind.figure.query
