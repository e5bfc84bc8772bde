"""With DEBUG off, each error is a page in the site's layout that says what went wrong."""

import html
import json
import re

import pytest
from django.urls import reverse

from sco_tracker.errors import JSONLines

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_site(settings, client):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.error_urls"
    client.raise_request_exception = False
    return client


def test_an_unknown_address_gets_the_404_page(failing_site):
    response = failing_site.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert "There is nothing at <code>/no-such-page/</code>" in page
    assert 'class="site-header"' in page


def test_a_page_out_of_range_says_which_page(failing_site):
    response = failing_site.get(reverse("meetings:meeting_list"), {"page": "abc"})
    assert response.status_code == 404
    assert "There is no page &#x27;abc&#x27; of these results" in response.content.decode()


def test_a_forbidden_page_gets_the_403_page(failing_site):
    response = failing_site.get("/test-forbidden/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Not allowed</h1>" in page
    assert "You do not have permission to see this page." in page


def test_a_request_for_another_host_gets_the_400_page(failing_site):
    response = failing_site.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<h1>Bad request</h1>" in page
    assert "could not understand this request" in page


def test_a_failure_gets_the_500_page_without_a_trace(failing_site):
    response = failing_site.get("/test-broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Server error</h1>" in page
    assert 'class="site-header"' in page
    assert "Traceback" not in page
    assert "secret detail" not in page


def test_the_500_page_gives_the_requests_id_which_the_log_has_with_the_traceback(
    failing_site, caplog
):
    response = failing_site.get("/test-broken/", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-42"
    assert "please give this reference: <code>req-42</code>" in response.content.decode()
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    line = json.loads(JSONLines().format(record))
    assert line["request_id"] == "req-42"
    assert line["level"] == "ERROR" and line["status"] == 500
    assert "RuntimeError: a secret detail of the failure" in line["traceback"]


def test_a_request_id_that_is_not_a_plain_token_is_replaced(failing_site):
    response = failing_site.get("/test-broken/", HTTP_X_REQUEST_ID="<script>\nx")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert "<script>" not in response.content.decode()


def test_a_database_that_does_not_answer_gets_a_503_to_retry_later(failing_site, caplog):
    response = failing_site.get("/test-database-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "<h1>Service unavailable</h1>" in page
    assert "The database is not answering just now" in page
    assert "10.0.0.5" not in page
    assert "connection to server at 10.0.0.5 failed" in caplog.text  # logged, with its traceback


def test_the_api_says_so_in_json(failing_site):
    response = failing_site.get("/api/test-database-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "detail": "The database is not answering just now; please try again in a minute."
    }


# Every filter of every list, with a wrong value, and what the 400 page says about it.
BAD_FILTERS = [
    ("/meetings/", "date_after", "2022-13-45", "Date (from – to): '2022-13-45' is not a date"),
    ("/meetings/", "date_before", "0000-00-00", "Date (from – to): '0000-00-00' is not a date"),
    ("/meetings/", "year", "1e400", "Year: '1e400' is not a year from 1990 to 2100."),
    ("/meetings/", "month", "2022-13", "Month: '2022-13' is not a month"),
    ("/meetings/", "country", "atlantis", "Held in: There is no country 'atlantis' on record."),
    ("/meetings/", "participant_country", "atlantis",
     "Participant from: There is no country 'atlantis' on record."),
    ("/meetings/", "official", "nobody", "Official: There is no official 'nobody' on record."),
    ("/meetings/", "kind", "duel", "Kind: There is no kind 'duel': use one of bilateral,"),
    ("/meetings/", "topic", "nothing", "Topic: There is no topic 'nothing' on record."),
    ("/meetings/", "summit", "none", "Summit: There is no summit 'none' on record."),
    ("/meetings/", "initiative", "none",
     "Initiative: There is no initiative 'none' on record."),
    ("/meetings/", "ordering", "sideways",
     "Order: There is no order 'sideways': use one of -date, date."),
    ("/meetings/", "per_page", "-0", "'-0' is not a number of rows per page"),
    ("/meetings/", "before", "0000-00-00,1", "Older pages: '0000-00-00,1' is not a place"),
    ("/summits/", "council", "x", "Council: There is no council 'x': use one of heads_of_state"),
    ("/summits/", "year", "2022-13-45", "Year: '2022-13-45' is not a year from 1990 to 2100."),
    ("/summits/", "country", "x", "Host or chair: There is no country 'x' on record."),
    ("/summits/", "format", "x", "Format: There is no format 'x': use one of in_person"),
    ("/summits/", "ordering", "x", "Order: There is no order 'x': use one of -date, date."),
    ("/initiatives/", "status", "x", "Current status: There is no status 'x': use one of"),
    ("/initiatives/", "kind", "x", "Kind: There is no kind 'x': use one of agreement"),
    ("/initiatives/", "proposed_by", "x", "Proposed by: There is no country 'x' on record."),
    ("/initiatives/", "topic", "x", "Topic: There is no topic 'x' on record."),
    ("/initiatives/", "adopted_at", "x", "Adopted at: There is no summit 'x' on record."),
    ("/initiatives/", "active_in", "1e400", "Active in: Give a year as a number, such as 2019."),
    ("/initiatives/", "ordering", "x",
     "Order: There is no order 'x': use one of -adopted, adopted, title."),
    ("/officials/", "country", "x", "Country: There is no country 'x' on record."),
    ("/officials/", "organization", "x", "Organisation: There is no organisation 'x' on record."),
    ("/officials/", "position", "x", "Position: There is no position 'x' on record."),
    ("/officials/", "current", "maybe", "In office today: 'maybe' is not understood"),
    ("/countries/", "status", "x", "Status: 'x' is not a status: use member, observer"),
    ("/countries/", "as_of", "2022-13-45", "As of: '2022-13-45' is not a date"),
    ("/search/", "order", "x", "There is no order 'x': use relevance or date."),
]  # fmt: skip


@pytest.mark.parametrize("path, param, value, message", BAD_FILTERS)
def test_a_wrong_filter_gets_a_400_saying_what_was_wrong(client, path, param, value, message):
    response = client.get(path, {param: value})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert message in page
    assert "Select a valid choice" not in page
    assert "Enter a valid" not in page


@pytest.mark.parametrize("path, param, value, message", BAD_FILTERS)
def test_the_api_says_the_same_in_json(client, settings, path, param, value, message):
    if path == "/search/" or param == "before":
        pytest.skip("the API has no search and no 'before'")
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/second"},
    }
    response = client.get(f"/api{path}", {param: value})
    assert response.status_code == 400
    messages = [text for texts in response.json().values() for text in texts]
    assert message.split(": ", 1)[-1] in " ".join(messages)


def test_a_wrong_day_with_a_percent_sign_is_a_400_not_a_failure(client):
    response = client.get("/api/countries/", {"as_of": "%s%n"})
    assert response.status_code == 400
    assert response.json() == {
        "as_of": ["'%s%n' is not a date: write it as YYYY-MM-DD, e.g. 2020-01-01."]
    }
    page = client.get("/countries/", {"as_of": "%s%n"})
    assert page.status_code == 400
    assert "As of: &#x27;%s%n&#x27; is not a date" in page.content.decode()
