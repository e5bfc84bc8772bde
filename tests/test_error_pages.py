"""With DEBUG off, each error is a page in the site's layout that says what went wrong."""

import pytest
from django.urls import reverse

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
