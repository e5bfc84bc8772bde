"""The map of meetings (/map/): a mark per place, following the meetings list's filters."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    make_country,
    make_meeting,
    make_official,
    make_participation,
    make_place,
)
from tests.queries import data_queries


@pytest.fixture
def places(db):
    kazakhstan = make_country(iso_code="KZ", name="Kazakhstan", state="published")
    china = make_country(iso_code="CN", name="China", state="published")
    astana = make_place(name="Astana", slug="astana", country=kazakhstan,
                        latitude=51.18, longitude=71.45)  # fmt: skip
    beijing = make_place(name="Beijing", slug="beijing", country=china,
                         latitude=39.91, longitude=116.40)  # fmt: skip
    tokayev = make_official(name="Kassym-Jomart Tokayev", state="published")
    for _ in range(3):
        meeting = make_meeting(place=astana, state="published")
        make_participation(meeting=meeting, official=tokayev, country=kazakhstan)
    make_meeting(place=beijing, state="published")
    make_meeting(place=beijing, state="draft")
    make_meeting(place=None, state="published")
    return {"astana": astana, "beijing": beijing, "tokayev": tokayev}


def marks(response):
    """{place name: meetings} read from the marks' labels."""
    found = re.findall(r'aria-label="([^":]+): (\d+) meetings?"', response.content.decode())
    return {name: int(count) for name, count in found}


def test_each_place_gets_a_mark_sized_by_its_published_meetings(client, places):
    response = client.get("/map/")
    assert response.status_code == 200
    assert marks(response) == {"Astana": 3, "Beijing": 1}
    page = response.content.decode()
    assert "4 meetings in 2 places" in page
    circles = re.findall(r'r="([\d.]+)"><title>(\w+):', page)
    radius = {name: float(r) for r, name in circles}
    assert radius["Astana"] > radius["Beijing"]


def test_the_map_follows_the_lists_filters_and_its_marks_lead_to_the_list(client, places):
    response = client.get("/map/?official=" + places["tokayev"].slug)
    assert marks(response) == {"Astana": 3}
    link = f'href="/meetings/?official={places["tokayev"].slug}&amp;place=astana"'
    assert link in response.content.decode()
    listed = client.get(f"/meetings/?official={places['tokayev'].slug}&place=astana")
    assert listed.status_code == 200
    assert "Place: Astana" in listed.content.decode()


def test_a_filter_it_cannot_read_is_a_400_that_says_why(client, places):
    response = client.get("/map/?place=atlantis")
    assert response.status_code == 400
    assert "There is no place &#x27;atlantis&#x27; on record." in response.content.decode()


def test_the_map_asks_the_same_few_questions_whatever_the_number_of_places(client, places):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/map/?kind=bilateral").status_code == 200
        return len(data_queries(captured))

    before = count()
    for n in range(20):
        place = make_place(latitude=30 + n, longitude=60 + n)
        make_meeting(place=place, state="published")
    assert count() == before == 2
