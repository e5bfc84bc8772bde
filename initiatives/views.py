from django.shortcuts import get_object_or_404, render

from meetings.exports import INITIATIVES, download
from meetings.listing import list_page
from meetings.views import record_ctx, visible

from .filters import InitiativeFilter
from .models import Initiative


def initiative_list(request):
    filterset = InitiativeFilter(
        request.GET, queryset=Initiative.objects.published().for_list(), request=request
    )
    # The status filter and facet read the `current_status` annotation.
    base = Initiative.objects.published().with_current_status()
    return list_page(request, filterset, base, "initiatives/initiative_list.html")


def initiative_export(request, fmt):
    """Every initiative the list shows under its filters and ordering, as CSV or JSON."""
    return download(request, INITIATIVES, fmt)


def initiative_detail(request, slug):
    initiative = get_object_or_404(visible(request, Initiative.objects.for_detail()), slug=slug)
    meetings = initiative.meetings.published().order_by("start_date", "id")
    ctx = {
        "initiative": initiative,
        "meetings": meetings,
        **record_ctx(request, initiative, initiative.title),
    }
    return render(request, "initiatives/initiative_detail.html", ctx)
