from django.shortcuts import get_object_or_404, render

from meetings.views import visible

from .models import Initiative


def initiative_detail(request, slug):
    initiative = get_object_or_404(visible(request, Initiative.objects.for_detail()), slug=slug)
    return render(request, "initiatives/initiative_detail.html", {"initiative": initiative})
