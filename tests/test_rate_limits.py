"""Each client address gets so many pages and so many whole-list downloads a minute; past that,
a 429 that says how long to wait, however the addresses and parameters are varied."""

import json

import pytest
from django.core.cache import caches

from sco_tracker.limits import RUNNING
from tests.factories import make_meeting

PUBLISHED = "published"


@pytest.fixture
def limits(settings):
    settings.PAGE_RATE = "5/m"
    settings.DOWNLOAD_RATE = "2/m"
    caches["limits"].clear()
    return settings


def test_a_burst_of_pages_gets_a_429_with_retry_after(client, db, limits):
    make_meeting(title="Talks in Astana", state=PUBLISHED)
    statuses = [client.get(f"/meetings/?q=talks&r={n}").status_code for n in range(5)]
    assert statuses == [200] * 5
    refused = client.get("/meetings/?q=other&r=6")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Too many requests from your address" in refused.content.decode()


def test_changing_the_page_does_not_get_around_the_limit(client, db, limits):
    for path in ["/meetings/", "/summits/", "/officials/", "/search/?q=a", "/timeline/"]:
        client.get(path)
    assert client.get("/initiatives/?page=2").status_code == 429


def test_downloads_have_a_lower_limit_of_their_own(client, db, limits):
    make_meeting(title="Talks in Astana", state=PUBLISHED)
    assert client.get("/meetings/export.csv?year=2024").status_code == 200
    assert client.get("/meetings.ics").status_code == 200
    refused = client.get("/meetings/export.csv?r=1")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert client.get("/meetings/").status_code == 200  # pages are counted apart


def test_a_json_download_is_refused_in_json(client, db, limits):
    for _ in range(2):
        client.get("/meetings/export.json")
    refused = client.get("/meetings/export.json")
    assert refused.status_code == 429
    assert json.loads(refused.content)["detail"].startswith("Too many requests")


def test_behind_a_proxy_only_the_address_it_saw_counts(client, db, limits):
    limits.REST_FRAMEWORK = {**limits.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for n in range(5):
        # A client that sends its own X-Forwarded-For: the proxy's entry is the last.
        forwarded = f"198.51.100.{n}, 203.0.113.9"
        assert client.get("/meetings/", HTTP_X_FORWARDED_FOR=forwarded).status_code == 200
    spoofed = client.get("/meetings/", HTTP_X_FORWARDED_FOR="198.51.100.77, 203.0.113.9")
    assert spoofed.status_code == 429
    other = client.get("/meetings/", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.status_code == 200


def test_an_ipv6_client_counts_by_its_block(client, db, limits):
    for n in range(5):
        client.get("/meetings/", REMOTE_ADDR=f"2001:db8:1:2::{n + 1}")
    assert client.get("/meetings/", REMOTE_ADDR="2001:db8:1:2::99").status_code == 429
    assert client.get("/meetings/", REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_the_admin_and_the_health_check_are_not_limited(admin_client, db, limits):
    for _ in range(8):
        assert admin_client.get("/admin/").status_code == 200
        assert admin_client.get("/healthz").status_code in (200, 503)


def test_with_redis_down_requests_are_let_through(client, db, limits, own_redis):
    own_redis.kill()
    statuses = {client.get("/meetings/").status_code for _ in range(8)}
    assert statuses == {200}


def test_one_download_at_a_time_over_all_clients(client, db, settings):
    settings.DOWNLOADS_AT_ONCE = 1
    caches["limits"].clear()
    make_meeting(title="Talks in Astana", state=PUBLISHED)
    # Downloads one after another each get their turn: each frees its place once sent.
    for _ in range(3):
        response = client.get("/meetings/export.csv")
        # Read to its end, which closes it as a server does.
        assert b"".join(response.streaming_content).count(b"Talks in Astana") == 1
    caches["limits"].set(RUNNING, 1)  # another client's download is streaming
    refused = client.get("/meetings.ics", REMOTE_ADDR="198.51.100.4")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "Too many downloads are running" in refused.content.decode()
    assert client.get("/meetings/").status_code == 200  # pages are not held back
    caches["limits"].decr(RUNNING)  # it has ended
    assert client.get("/meetings.ics").status_code == 200
