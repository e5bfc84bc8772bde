"""Publishers for the sources that name none: the record's own name for the same site.

Many sources were recorded with a publisher ("en.inform.kz": Kazinform), others from the same site
without one, or with the bare address as their publisher. A source is shown as its title,
publisher and date, so each of those takes the name the record gives that site most often.
"""

from collections import Counter, defaultdict

from meetings.dates import parse_partial
from meetings.models import Source
from meetings.text import strip_html


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


def describe_sources(rows):
    """Give each source named in `rows` (data/sources.csv: url, title, publisher, published_on,
    notes) what it lacks, whichever file cited it first; a value already there is kept, except a
    bare address standing for a publisher. Returns how many sources changed."""
    known = {row["url"]: row for row in rows}
    changed = []
    for source in Source.objects.filter(url__in=known):
        row = known[source.url]
        before = (source.title, source.publisher, source.published_on, source.notes)
        if not source.title:
            source.title = row.get("title", "")[:300]
        if row.get("publisher") and unnamed(source):
            source.publisher = row["publisher"][:200]
        if row.get("published_on") and not source.published_on:
            source.published_on, source.published_precision = parse_partial(row["published_on"])
        if not source.notes:
            source.notes = strip_html(row.get("notes", ""))
        if before != (source.title, source.publisher, source.published_on, source.notes):
            changed.append(source)
    fields = ["title", "publisher", "published_on", "published_precision", "notes"]
    Source.objects.bulk_update(changed, fields, batch_size=500)
    return len(changed)
