"""Publishers for the sources that name none: the record's own name for the same site.

Many sources were recorded with a publisher ("en.inform.kz": Kazinform), others from the same site
without one, or with the bare address as their publisher. A source is shown as its title,
publisher and date, so each of those takes the name the record gives that site most often.
"""

from collections import Counter, defaultdict

from meetings.models import Source


def unnamed(source):
    return not source.publisher or source.publisher.removeprefix("www.") == source.host


def name_publishers():
    """Give each source without a publisher (or with its address as one) the name the record
    uses most for its site; returns how many were named."""
    names = defaultdict(Counter)
    sources = list(Source.objects.only("url", "publisher"))
    for source in sources:
        if not unnamed(source):
            names[source.host][source.publisher] += 1
    named = []
    for source in sources:
        if unnamed(source) and names[source.host]:
            source.publisher = names[source.host].most_common(1)[0][0]
            named.append(source)
    Source.objects.bulk_update(named, ["publisher"], batch_size=500)
    return len(named)
