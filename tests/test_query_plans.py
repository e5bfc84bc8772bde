"""Every meeting filter reads an index, never the whole meetings or participations table; searches
read the GIN and trigram indexes (PostgreSQL, on a few thousand synthetic meetings)."""

from urllib.parse import urlencode

import pytest
from django.db import connection, transaction
from django.http import QueryDict

from datasets import demo
from initiatives.models import Initiative
from meetings.models import Meeting, Official, Participation, Summit, Topic
from public.listing import COUNT_LIMIT
from public.meetings import MeetingFilter
from public.officials import OfficialFilter
from public.search import matching

WHOLE_TABLES = {"meetings_meeting", "meetings_participation"}


@pytest.fixture(scope="module")
def many_meetings(django_db_setup, django_db_blocker):
    """20,000 synthetic meetings and 10,000 officials (as at 100,000 meetings), enough for the
    planner to prefer indexes as it does at that size; made once for the module and rolled back
    after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        if connection.vendor == "postgresql":
            demo.generate(
                meetings=20_000, officials=10_000, seed=1, say=lambda _: None, initiatives=500
            )
            with connection.cursor() as cursor:
                # VACUUM cannot run in this transaction: this does its part for the GIN indexes,
                # as (auto)vacuum does in a live database, by moving the entries just inserted
                # from each index's pending list into the index proper.
                cursor.execute(
                    "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                    "WHERE a.amname = 'gin' AND c.relname LIKE 'meetings_%%'"
                )
        yield
        transaction.set_rollback(True)


@pytest.fixture
def plans(many_meetings, postgres_only):
    """`plan(queryset)`: the scans of its EXPLAIN as (node, table, index) triples."""

    def plan(queryset):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            found = cursor.fetchone()[0]
        return list(scans(found[0]["Plan"]))

    return plan


def scans(node):
    if "Scan" in node["Node Type"]:
        yield node["Node Type"], node.get("Relation Name"), node.get("Index Name")
    for child in node.get("Plans", []):
        yield from scans(child)


def filter_values():
    """One value for each filter, read from the synthetic data."""
    busy = Participation.objects.filter(meeting__state="published")
    return {
        "official": busy.values_list("official__slug", flat=True).order_by("id")[7],
        "topic": Topic.objects.filter(meetings__isnull=False).values_list("slug", flat=True)[0],
        "summit": Summit.objects.filter(meetings__state="published")
        .values_list("slug", flat=True)
        .first(),
        "initiative": Initiative.objects.filter(meetings__state="published")
        .values_list("slug", flat=True)
        .first(),
        "q": Official.objects.values_list("name", flat=True).order_by("id")[3],
    }


# Each filter and the indexes its page of meetings may read.
FILTERS = [
    ("", {"meeting_list_idx"}),
    ("country=kz", {"meeting_country_idx", "meeting_list_idx"}),
    ("year=2010", {"meeting_list_idx"}),
    ("month=2010-03", {"meeting_list_idx"}),
    ("date_after=2024-01-01", {"meeting_list_idx"}),
    ("kind=call", {"meeting_kind_idx", "meeting_list_idx"}),
    # Walking the newest meetings and checking each one's participants is an index plan too.
    ("official={official}", {"participation_official_idx", "participation_unique_official"}),
    (
        "participant_country=in",
        {
            "participation_country_idx",
            "participation_unique_official",
            "meetings_participation_meeting_id",
        },
    ),
    ("topic={topic}", {"meetings_meeting_topics_topic_id", "meetings_meeting_topics_meeting_id"}),
    ("summit={summit}", {"meetings_meeting_summit_id"}),
    ("initiative={initiative}", {"initiatives_initiative_meetings", "meetings_meeting_pkey"}),
    ("q={q}", {"meetings_meeting_title_upper_trgm", "meetings_officialname_name_upper_trgm"}),
]


@pytest.mark.parametrize("query, indexes", FILTERS)
def test_each_filter_reads_an_index_not_a_whole_table(plans, query, indexes):
    query = query.format(**filter_values())
    filterset = MeetingFilter(QueryDict(query), queryset=Meeting.objects.published())
    assert filterset.is_valid(), filterset.errors
    page = plans(filterset.qs[:21])
    assert not [s for s in page if s[0] == "Seq Scan" and s[1] in WHOLE_TABLES], page
    used = {index for _, _, index in page if index}
    assert any(name.startswith(prefix) for name in used for prefix in indexes), page


def test_the_total_reads_at_most_count_limit_rows(plans):
    filterset = MeetingFilter(QueryDict("kind=bilateral"), queryset=Meeting.objects.published())
    sql, params = filterset.qs[: COUNT_LIMIT + 1].query.sql_with_params()
    assert f"LIMIT {COUNT_LIMIT + 1}" in sql % tuple(params)


def test_full_text_search_reads_the_gin_index(plans):
    word = Official.objects.values_list("name", flat=True).order_by("id")[3]
    used = {index for _, _, index in plans(matching(Meeting.objects.published(), word))}
    assert "meetings_meeting_search" in used


def name_matches_by_scan(node):
    """Scans that test each row they read against the name (LIKE is ~~), rather than finding the
    matching rows in an index (where the test is an Index or Recheck Cond)."""
    found = []
    if "Scan" in node["Node Type"] and "~~" in node.get("Filter", ""):
        found.append((node["Relation Name"], node["Filter"]))
    for child in node.get("Plans", []):
        found += name_matches_by_scan(child)
    return found


def test_the_officials_name_search_reads_the_trigram_indexes(plans):
    name = Official.objects.values_list("name", flat=True).order_by("id")[3]
    filterset = OfficialFilter(QueryDict(urlencode({"q": name})), queryset=Official.objects.all())
    assert filterset.is_valid(), filterset.errors
    queryset = filterset.qs[:21]
    used = {index for _, _, index in plans(queryset)}
    assert {"meetings_official_name_upper_trgm", "meetings_officialname_name_upper_trgm"} <= used
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0][0]["Plan"]
    # The matching officials are found through the indexes, not by reading names one by one.
    assert name_matches_by_scan(plan) == []
