"""Atom feeds of newly published records, newest first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from .models import Meeting

FEED_LENGTH = 50


class PublishedFeed(Feed):
    """The latest FEED_LENGTH published records of `queryset()`, by when they were published."""

    feed_type = Atom1Feed

    def queryset(self):
        raise NotImplementedError

    def items(self):
        records = self.queryset().published().filter(published_at__isnull=False)
        return records.order_by("-published_at", "-id")[:FEED_LENGTH]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class NewMeetingsFeed(PublishedFeed):
    title = "SCO Tracker: newly published meetings"
    subtitle = "Meetings of the Shanghai Cooperation Organisation, as editors publish them."

    def link(self):
        return reverse("meetings:meeting_list")

    def queryset(self):
        return Meeting.objects.for_list()

    def item_title(self, meeting):
        return f"{meeting.title}, {meeting.dates_display}"

    def item_description(self, meeting):
        facts = [meeting.dates_display, meeting.place_display, meeting.get_kind_display()]
        people = [p.official.name for p in meeting.participations.all()]
        return format_html(
            "<p>{}</p>{}{}",
            " · ".join(fact for fact in facts if fact),
            format_html("<p>Participants: {}</p>", ", ".join(people)) if people else "",
            format_html_join(
                "", "<p>{}</p>", ((line,) for line in meeting.summary.splitlines() if line)
            ),
        )
