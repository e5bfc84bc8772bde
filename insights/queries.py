"""What every insight page shares: the start of the record, the cache, counting subqueries, the
groups of SCO status.

Reads run a fixed number of queries whatever the number of records; their docstrings say how
many. The expensive ones (the pair matrix, the numbers) are stored aggregates that the task queue
counts again after each change (insights.aggregates).
"""

import datetime

from django.db.models import F, Func, IntegerField, Subquery
from django.utils.translation import gettext_lazy as _

from meetings.models import Organization, SCOStatus

# The first meeting on record: the Shanghai Five in Shanghai, 26 April 1996.
RECORD_START = datetime.date(1996, 4, 26)
SCO_BODY = Organization.Kind.SCO_BODY
SECRETARY_GENERAL = "Secretary-General"


def count_of(queryset, distinct=False):
    """A subquery counting the rows of `queryset` (which refers to an OuterRef)."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT", template=template))
    return Subquery(counted.values("n"), output_field=IntegerField())


STATUS_GROUPS = [
    (_("Member states"), {SCOStatus.FOUNDING_MEMBER, SCOStatus.MEMBER}),
    (_("Observers"), {SCOStatus.OBSERVER}),
    (_("Dialogue partners"), {SCOStatus.DIALOGUE_PARTNER}),
    (_("SCO partners"), {SCOStatus.PARTNER}),
]


def grouped_by_status(countries):
    """[(group title, countries)] by `sco_status`, leaving out empty groups."""
    groups = []
    for title, statuses in STATUS_GROUPS:
        members = [country for country in countries if country.sco_status in statuses]
        if members:
            groups.append((title, members))
    return groups
