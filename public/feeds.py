"""Atom feeds of newly published records, newest first, under a list page's filters."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from public.exports import bad_filters

FEED_LENGTH = 50
# What a feed leaves out of the list's address: it has one page, in order of publication.
NOT_FILTERS = ("page", "per_page", "before", "ordering")


class PublishedFeed(Feed):
    """The latest FEED_LENGTH published records of `listing` (a public.exports.Listing) under the
    URL's filters, by when they were published: `/meetings/feed/?participant_country=kz` has the
    meetings that `/meetings/?participant_country=kz` lists. Filters that cannot be read are a
    400 with the list's messages."""

    feed_type = Atom1Feed
    # The feed's title when no filter is given, and the URL name of its list page.
    name = ""
    list_url_name = ""

    def __init__(self, listing):
        self.listing = listing

    def __call__(self, request, *args, **kwargs):
        filterset = self.listing.filterset(request)
        if not filterset.is_valid():
            return bad_filters(filterset, "atom")
        return super().__call__(request, filterset=filterset)

    def get_object(self, request, filterset):
        return filterset

    def query(self, filterset):
        """The filters of the URL, as a query string ("" when there are none)."""
        given = filterset.data.copy()
        for name in NOT_FILTERS:
            given.pop(name, None)
        return f"?{given.urlencode()}" if given else ""

    def title(self, filterset):
        """The feed's name, and its filters: "... meetings (Participant from: Kazakhstan)"."""
        filters = [f"{given['label']}: {given['value']}" for given in filterset.active_filters()]
        return f"{self.name} ({'; '.join(filters)})" if filters else self.name

    def link(self, filterset):
        return reverse(self.list_url_name) + self.query(filterset)

    def feed_url(self, filterset):
        return filterset.request.path + self.query(filterset)

    def items(self, filterset):
        records = filterset.qs.filter(published_at__isnull=False)
        return records.order_by("-published_at", "-id")[:FEED_LENGTH]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
