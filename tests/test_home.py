from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_home_gives_the_story_at_a_glance(client, sco_data):
    page = client.get("/").content.decode()
    assert "Zhang Ming meets Kazakhstan" in page  # the latest meeting
    assert "10</strong> member states today" in page
    assert "Most recent summit" in page and "Next summit" in page
    assert "Initiatives in progress" in page
    assert 'action="/search/"' in page


def test_home_runs_a_fixed_number_of_queries(client, sco_data):
    client.get("/")  # the facet counts and anything else a first request fills
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    # 1-2 the last summit and its place names, 3 its adopted initiatives, 4 the next summit (none
    # in the bundled data, so nothing prefetched), 5-9 the five counts (meetings, summits,
    # initiatives, officials, member states today), 10 the latest meetings, 11 their
    # participants, 12 the participants' other names (for the reader's language), 13 topics,
    # 14 place names, 15 initiatives in progress, 16 their proposers, 17 their topics.
    assert len(queries) == 17
