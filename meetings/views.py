from django.shortcuts import get_object_or_404, render

from .models import Country, Meeting, Official, Summit


def visible(request, queryset):
    """Published records for everyone; drafts too for staff, who get a preview."""
    if request.user.is_staff:
        return queryset
    return queryset.published()


def home(request):
    ctx = {
        "meetings": Meeting.objects.published().for_list()[:5],
        "summits": Summit.objects.published().for_list()[:5],
    }
    return render(request, "home.html", ctx)


def meeting_detail(request, slug):
    meeting = get_object_or_404(visible(request, Meeting.objects.for_detail()), slug=slug)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})


def summit_detail(request, slug):
    summit = get_object_or_404(visible(request, Summit.objects.for_detail()), slug=slug)
    return render(request, "meetings/summit_detail.html", {"summit": summit})


def official_detail(request, slug):
    official = get_object_or_404(visible(request, Official.objects.for_detail()), slug=slug)
    return render(request, "meetings/official_detail.html", {"official": official})


def country_detail(request, slug):
    country = get_object_or_404(visible(request, Country.objects.for_list()), slug=slug)
    return render(request, "meetings/country_detail.html", {"country": country})
