from django.urls import reverse
from django.utils.html import format_html

from meetings.feeds import PublishedFeed

from .models import Initiative


class NewInitiativesFeed(PublishedFeed):
    title = "SCO Tracker: newly published initiatives"
    subtitle = (
        "Agreements, programmes, strategies and declarations of the SCO, as editors publish them."
    )

    def link(self):
        return reverse("initiatives:initiative_list")

    def queryset(self):
        return Initiative.objects.for_list()

    def item_title(self, initiative):
        return initiative.title

    def item_description(self, initiative):
        facts = [
            initiative.get_kind_display(),
            initiative.current_status_display,
            f"adopted {initiative.adopted_display}" if initiative.adopted_on else "",
            f"covers {initiative.period_display}" if initiative.period_display else "",
        ]
        return format_html(
            "<p>{}</p>{}",
            " · ".join(fact for fact in facts if fact),
            format_html("<p>{}</p>", initiative.summary) if initiative.summary else "",
        )
