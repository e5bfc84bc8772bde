import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting, State
from tests.factories import make_meeting


def meetings(count, kind, year, state=State.PUBLISHED):
    for n in range(count):
        make_meeting(kind=kind, start_date=datetime.date(year, 3, 1 + n), state=state)


def about_page(client):
    response = client.get("/about/")
    assert response.status_code == 200
    return response.content.decode()


def test_about_counts_published_meetings_by_kind_and_year(client, db):
    meetings(2, Meeting.Kind.BILATERAL, 2022)
    meetings(1, Meeting.Kind.CALL, 2022)
    meetings(3, Meeting.Kind.MINISTERIAL, 2019)
    meetings(4, Meeting.Kind.MINISTERIAL, 2019, state=State.DRAFT)
    page = about_page(client)
    assert "Published meetings by kind and year" in page
    assert 'href="/meetings/?year=2022">2022</a></th><td>2</td><td>0</td><td>1</td><td>3</td>' in (
        page
    )
    assert 'href="/meetings/?year=2019">2019</a></th><td>0</td><td>3</td><td>0</td><td>3</td>' in (
        page
    )
    assert "<strong>6</strong> meetings" in page  # the drafts are not counted
    assert "Phone or video call" in page and "Working visit" not in page  # kinds that occur


def test_about_says_when_the_data_last_changed_and_how_to_reuse_it(client, db):
    assert "No record is published yet." in about_page(client)
    make_meeting(state=State.PUBLISHED)
    page = about_page(client)
    assert "The data last changed on" in page
    for heading in ("Method", "Licence", "How to cite", "Report an error"):
        assert f">{heading}</h2>" in page
    assert 'rel="license"' in page
    assert "BibTeX, RIS and CSL-JSON" in page


def test_every_page_links_about_outcomes_and_the_api(client, db):
    page = client.get("/").content.decode()
    for address in ("/about/", "/summits/outcomes/", "/api/", "/api/docs/"):
        assert f'href="{address}"' in page


def test_about_runs_a_fixed_number_of_queries(client, db):
    meetings(1, Meeting.Kind.BILATERAL, 2020)
    with CaptureQueriesContext(connection) as few:
        about_page(client)
    for year in range(2001, 2026):
        meetings(2, Meeting.Kind.MULTILATERAL, year)
    with CaptureQueriesContext(connection) as many:
        about_page(client)
    # 1 the meetings by year and kind, 2-6 each public kind's count and last change (meetings,
    # summits, initiatives, officials, countries).
    assert len(few) == len(many) == 6
