"""Atom feeds of newly published records, newest first."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

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
