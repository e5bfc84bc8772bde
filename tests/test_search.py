import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting, Official
from public.search import refresh_search_vectors
from tests.factories import make_meeting, make_official, make_official_name

PUBLISHED = "published"


def results(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return {group.key: [str(r) for r in group.results] for group in response.context["groups"]}


@pytest.mark.parametrize("query", ["Kassym-Zhomart Tokayev", "Kassym-Jomart", "Токаев"])
def test_any_spelling_finds_the_official(client, sco_data, query):
    assert results(client, query)["officials"] == ["Kassym-Jomart Tokayev"]


def test_a_transliteration_variant_finds_the_official_on_postgresql(
    client, sco_data, postgres_only
):
    # "Tokaev" is in no record: only trigram similarity to "Tokayev" finds it.
    assert results(client, "Tokaev")["officials"] == ["Kassym-Jomart Tokayev"]
    assert results(client, "Rakhmetulin")["officials"] == ["Akan Rakhmetullin"]


def test_a_place_finds_its_summits_and_meetings(client, sco_data):
    found = results(client, "Samarkand")
    assert any("Samarkand" in summit for summit in found["summits"])
    assert found["meetings"]  # the 4 June 2022 meeting prepared the Samarkand summit


def test_results_sort_by_date(client, sco_data):
    summits = results(client, "Astana", order="date")["summits"]
    years = [int(title.rsplit(", ", 1)[1].rstrip(")")) for title in summits]
    assert years == sorted(years, reverse=True)


def test_drafts_are_not_found(client, db):
    make_official(name="Hidden Draftov")
    assert results(client, "Draftov")["officials"] == []


def test_editing_keeps_the_search_vector_up_to_date(client, db):
    official = make_official(name="Ivan Petrov", state=PUBLISHED)
    make_official_name(official=official, name="Иван Петров")
    refresh_search_vectors(Official.objects.filter(pk=official.pk))
    assert results(client, "Петров")["officials"] == ["Ivan Petrov"]
    if connection.vendor == "postgresql":
        official.refresh_from_db()
        assert "петров" in str(official.search_vector)


def test_a_meeting_is_found_by_a_participants_name(client, db):
    meeting = make_meeting(title="Talks in Beijing", state=PUBLISHED)
    official = make_official(name="Bolat Nurgaliev", state=PUBLISHED)
    meeting.participations.create(official=official)
    refresh_search_vectors(Meeting.objects.all())
    assert results(client, "Nurgaliev")["meetings"] == [str(meeting)]


@pytest.mark.parametrize(
    "params, status, message",
    [
        ({"q": "x" * 10_000}, 400, "limited to 200 characters"),
        ({"q": "a\x00b"}, 400, "Null characters are not allowed"),
        ({"q": "Zhang", "order": "sideways"}, 400, "There is no order &#x27;sideways&#x27;"),
        ({"q": "<script>alert(1)</script>"}, 200, "&lt;script&gt;"),
        ({"q": "' OR 1=1 --"}, 200, "0 records match"),
        ({"q": "!!! & | :*"}, 200, "0 records match"),
    ],
)
def test_bad_input_gets_a_clear_answer(client, db, params, status, message):
    response = client.get("/search/", params)
    assert response.status_code == status
    page = response.content.decode()
    assert message in page
    assert "<script>alert(1)" not in page


def test_an_empty_search_explains_itself(client, db):
    response = client.get("/search/")
    assert response.status_code == 200
    assert (
        "Search meetings, summits, initiatives, officials and countries"
        in response.content.decode()
    )


def _search_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/search/", {"q": query}).status_code == 200
    return len(queries)


def test_search_runs_one_query_per_kind_whatever_the_number_of_matches(client, db):
    def add(count):
        for _ in range(count):
            make_official(name="Petrov Ivanovich", state=PUBLISHED)
            make_meeting(title="Petrov talks", state=PUBLISHED)
        for model in (Official, Meeting):
            refresh_search_vectors(model.objects.all())

    add(1)
    few = _search_queries(client, "Petrov")
    add(49)
    many = _search_queries(client, "Petrov")
    # One query per kind (meetings, summits, initiatives, officials, countries), each with its
    # total as a window count; on PostgreSQL one more sets the trigram threshold.
    assert few == many
    response = client.get("/search/", {"q": "Petrov"})
    groups = {group.key: group for group in response.context["groups"]}
    assert groups["officials"].total == 50 and len(groups["officials"].results) == 10
