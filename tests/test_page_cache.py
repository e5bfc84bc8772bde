"""Anonymous readers get pages from the cache until an editor changes something; staff never do."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

import public.cache
from meetings.models import State
from public.cache import MAX_QUERY_STRING, content_version, page_key
from tests.factories import make_country, make_meeting, make_topic, with_source

PUBLISHED = State.PUBLISHED


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def text(response):
    return response.content.decode()


def test_a_reader_gets_the_second_request_from_the_cache(client, db, page_cache):
    make_meeting(title="Talks in Astana", state=PUBLISHED)
    first = client.get("/meetings/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/meetings/")
    assert len(queries) == 1  # the cache generation
    assert second.content == first.content and "Talks in Astana" in text(second)


def test_a_change_shows_on_the_next_request(client, db, page_cache):
    meeting = make_meeting(title="Talks in Astana", slug="talks", state=PUBLISHED)
    assert "Talks in Astana" in text(client.get("/meetings/"))
    assert "Talks in Astana" in text(client.get("/meetings/talks/"))
    meeting.title = "Talks in Almaty"
    meeting.save()
    assert "Talks in Almaty" in text(client.get("/meetings/"))
    assert "Talks in Almaty" in text(client.get("/meetings/talks/"))
    meeting.topics.add(make_topic(name="Water resources"))
    assert "Water resources" in text(client.get("/meetings/talks/"))
    meeting.delete()
    assert client.get("/meetings/talks/").status_code == 404


def test_a_reader_renders_afresh_once_a_change_commits(client, db, page_cache):
    make_meeting(title="Talks in Astana", state=PUBLISHED)
    client.get("/meetings/")
    with transaction.atomic():
        make_meeting(title="Talks in Almaty", state=PUBLISHED)
    assert "Talks in Almaty" in text(client.get("/meetings/"))


def test_a_cache_restored_from_an_older_state_never_serves_an_older_page(client, db, page_cache):
    # As after a failover to a lagging Redis replica, or a Redis snapshot put back.
    meeting = make_meeting(title="Talks in Astana", slug="talks", state=PUBLISHED)
    client.get("/meetings/talks/")
    key = page_key(RequestFactory().get("/meetings/talks/"), content_version())
    snapshot = cache.get(key)
    meeting.title = "Talks in Almaty"
    meeting.save()
    cache.clear()
    cache.set(key, snapshot)
    assert "Talks in Almaty" in text(client.get("/meetings/talks/"))


def test_a_change_made_outside_the_site_shows_once_pages_are_retired(client, db, page_cache):
    meeting = make_meeting(title="Talks in Astana", slug="talks", state=PUBLISHED)
    client.get("/meetings/talks/")
    type(meeting).objects.filter(pk=meeting.pk).update(title="Talks in Almaty")  # no signal
    call_command("retire_cached_pages", stdout=StringIO())
    assert "Talks in Almaty" in text(client.get("/meetings/talks/"))


def test_a_parameter_no_page_reads_is_served_from_the_cache(client, db, page_cache):
    make_meeting(title="Talks in Astana", state=PUBLISHED)
    first = client.get("/meetings/?year=2024")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/meetings/?r=81726354&year=2024&utm_source=mail")
    assert len(queries) == 1  # the cache generation
    assert second.content == first.content
    assert "r=81726354" not in text(second) and "utm_source" not in text(second)


def test_the_order_of_the_parameters_makes_no_new_page(client, db, page_cache):
    make_meeting(title="Talks in Astana", state=PUBLISHED)
    make_country(iso_code="KZ", name="Kazakhstan", state=PUBLISHED)
    client.get("/meetings/?year=2024&country=kz")
    with CaptureQueriesContext(connection) as queries:
        client.get("/meetings/?country=kz&year=2024")
    assert len(queries) == 1  # the cache generation


def test_each_filter_value_is_a_page_of_its_own(client, db, page_cache):
    make_meeting(title="Talks in Astana", state=PUBLISHED)
    client.get("/meetings/?q=Astana")
    assert "Talks in Astana" not in text(client.get("/meetings/?q=Bishkek"))


def test_a_session_cookie_naming_no_session_is_served_from_the_cache(client, db, page_cache):
    make_meeting(title="Talks in Astana", state=PUBLISHED)
    first = client.get("/meetings/")
    client.cookies["sessionid"] = "x"
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/meetings/")
    # The cache generation and the look-up of session "x".
    assert len(queries) == 2
    assert second.content == first.content


def test_a_signed_in_editor_is_never_served_from_the_cache(admin_client, client, db, page_cache):
    make_meeting(title="Talks in Astana", state=PUBLISHED)
    client.get("/meetings/")
    with CaptureQueriesContext(connection) as queries:
        assert "Talks in Astana" in text(admin_client.get("/meetings/"))
    assert len(queries) > 2


def test_a_long_query_string_is_never_cached(client, db, page_cache):
    make_meeting(title="Talks in Astana", state=PUBLISHED)
    path = "/meetings/?" + "&".join(f"x{n}=1" for n in range(MAX_QUERY_STRING // 4))
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert len(queries) > 1


def test_publishing_in_the_admin_shows_on_the_next_request(admin_client, client, db, page_cache):
    meeting = with_source(make_meeting(title="Quiet talks", slug="quiet"))
    assert "Quiet talks" not in text(client.get("/meetings/"))
    response = admin_client.post(
        "/admin/meetings/meeting/", {"action": "publish", "_selected_action": [meeting.pk]}
    )
    assert response.status_code == 302
    assert "Quiet talks" in text(client.get("/meetings/"))


def expire(path):
    """Makes the cached page of `path` out of date, as if PAGE_CACHE_SECONDS had passed."""
    key = page_key(RequestFactory().get(path), content_version())
    _, response = cache.get(key)
    cache.set(key, (0, response))
    return key


def test_an_expired_page_is_rendered_again_by_one_request(client, db, page_cache):
    meeting = make_meeting(title="Talks in Astana", slug="talks", state=PUBLISHED)
    client.get("/meetings/talks/")
    # The page's content changes without a signal, so only a new render can show it.
    type(meeting).objects.filter(pk=meeting.pk).update(title="Talks in Almaty")
    key = expire("/meetings/talks/")
    with CaptureQueriesContext(connection) as queries:
        renewed = client.get("/meetings/talks/")
    assert len(queries) > 1 and "Talks in Almaty" in text(renewed)
    fresh_until, _ = cache.get(key)
    assert fresh_until > 0
    assert cache.get(f"{key}:rendering") is None
    with CaptureQueriesContext(connection) as queries:
        assert "Talks in Almaty" in text(client.get("/meetings/talks/"))
    assert len(queries) == 1  # the cache generation


def test_while_one_request_renders_others_get_the_expired_page(client, db, page_cache):
    meeting = make_meeting(title="Talks in Astana", slug="talks", state=PUBLISHED)
    client.get("/meetings/talks/")
    type(meeting).objects.filter(pk=meeting.pk).update(title="Talks in Almaty")
    key = expire("/meetings/talks/")
    cache.add(f"{key}:rendering", True)  # another request is rendering the page
    with CaptureQueriesContext(connection) as queries:
        stale = client.get("/meetings/talks/")
    assert len(queries) == 1 and "Talks in Astana" in text(stale)  # the generation
    cache.delete(f"{key}:rendering")
    assert "Talks in Almaty" in text(client.get("/meetings/talks/"))


def test_a_change_is_never_hidden_behind_an_expired_page(client, db, page_cache):
    meeting = make_meeting(title="Talks in Astana", slug="talks", state=PUBLISHED)
    client.get("/meetings/talks/")
    key = expire("/meetings/talks/")
    cache.add(f"{key}:rendering", True)
    meeting.title = "Talks in Almaty"
    meeting.save()
    assert "Talks in Almaty" in text(client.get("/meetings/talks/"))


def test_staff_never_get_cached_pages_nor_leave_theirs(admin_client, client, db, page_cache):
    make_meeting(title="Talks in Astana", slug="talks", state=PUBLISHED)
    make_meeting(title="Draft talks", slug="draft")
    assert "Edit in admin" in text(admin_client.get("/meetings/talks/"))
    assert "Edit in admin" not in text(client.get("/meetings/talks/"))  # not the staff page
    client.get("/meetings/")
    with CaptureQueriesContext(connection) as queries:
        staff = admin_client.get("/meetings/talks/")
    assert len(queries) > 1 and "Edit in admin" in text(staff)
    assert admin_client.get("/meetings/draft/").status_code == 200
    assert client.get("/meetings/draft/").status_code == 404


def test_the_admin_and_errors_are_never_cached(client, db, page_cache):
    assert client.get("/meetings/no-such-meeting/").status_code == 404
    make_meeting(title="Late arrival", slug="no-such-meeting", state=PUBLISHED)
    assert client.get("/meetings/no-such-meeting/").status_code == 200
    assert client.get("/admin/").status_code == 302


def test_with_redis_a_change_shows_on_the_next_request(client, db, settings, own_redis):
    settings.PAGE_CACHE_SECONDS = 60
    meeting = make_meeting(title="Talks in Astana", slug="talks", state=PUBLISHED)
    client.get("/meetings/talks/")
    with CaptureQueriesContext(connection) as queries:
        assert "Talks in Astana" in text(client.get("/meetings/talks/"))
    assert len(queries) == 1  # the cache generation
    meeting.title = "Talks in Almaty"
    meeting.save()
    assert "Talks in Almaty" in text(client.get("/meetings/talks/"))


def test_while_the_database_is_down_readers_get_the_cached_pages(
    client, db, page_cache, monkeypatch
):
    make_meeting(title="Talks in Astana", slug="talks", state=PUBLISHED)
    client.get("/meetings/talks/")

    def database_down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(public.cache, "content_version", database_down)
    client.raise_request_exception = False
    assert "Talks in Astana" in text(client.get("/meetings/talks/"))
    uncached = client.get("/meetings/")
    assert uncached.status_code == 503 and uncached["Retry-After"] == "30"


def test_a_server_error_is_private_without_looking_the_user_up_again():
    """The 503 of a database that does not answer: its user would be looked up in the same
    database, a second wait for it."""
    from django.http import HttpResponse
    from django.utils.functional import SimpleLazyObject

    def user():
        raise OperationalError("the database is not answering")

    request = RequestFactory().get("/admin/")
    request.user = SimpleLazyObject(user)
    middleware = public.cache.PrivateResponseMiddleware(lambda r: HttpResponse(status=503))
    response = middleware(request)
    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]
