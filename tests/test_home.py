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
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    # Latest meetings (with participants, topics, place names), last and next summit (each with
    # place names and adopted initiatives), initiatives in progress (proposers, topics), and five
    # counts.
    assert len(queries) <= 20
