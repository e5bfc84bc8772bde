"""The shared cache is an optimisation, never a dependency: with Redis down or paused the site
answers as with an empty cache (sco_tracker/cache.py)."""

import pytest
from django.core.cache import cache

from meetings.models import Meeting, State
from sco_tracker.cache import ForgivingRedisCache
from tests.admin_forms import admin_url, form_data
from tests.conftest import redis_cache
from tests.factories import make_meeting, with_source
from tests.servers import REDIS_SERVER, Redis, free_port


@pytest.fixture
def redis_down(settings):
    """The cache is a Redis where nothing listens."""
    redis_cache(settings, f"redis://127.0.0.1:{free_port()}/0")
    settings.PAGE_CACHE_SECONDS = 60
    yield
    ForgivingRedisCache.skip_until = 0.0


def test_with_redis_down_reads_miss_and_writes_do_nothing(redis_down, caplog):
    assert cache.get("key", "default") == "default"
    assert cache.get_or_set("key", 7) == 7
    cache.set("key", 1)
    assert cache.add("key", 1) is False
    assert cache.get_many(["key"]) == {}
    with pytest.raises(ValueError):
        cache.incr("key")
    assert "cache get failed, served as a miss" in caplog.text


def test_after_a_failure_the_process_leaves_redis_alone_for_a_while(redis_down, monkeypatch):
    cache.get("key")
    monkeypatch.setattr(
        ForgivingRedisCache, "_cache", property(lambda self: pytest.fail("Redis was asked"))
    )
    assert cache.get("key", "default") == "default"


def test_with_redis_down_pages_render_from_the_database(client, db, redis_down):
    make_meeting(title="Talks in Astana", slug="talks", state=State.PUBLISHED)
    for _ in range(2):
        response = client.get("/meetings/talks/")
        assert response.status_code == 200
        assert "Talks in Astana" in response.content.decode()


def test_with_redis_down_an_editors_save_is_kept(client, db, redis_down, editor):
    meeting = with_source(make_meeting(title="Talks in Astana", state=State.PUBLISHED))
    client.force_login(editor)
    url = admin_url(Meeting, "change", meeting.pk)
    response = client.post(url, form_data(client.get(url), title="Talks in Almaty"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Talks in Almaty"


def test_with_redis_down_the_api_throttle_lets_requests_through(client, db, redis_down, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"},
    }
    assert [client.get("/api/meetings/").status_code for _ in range(3)] == [200, 200, 200]


def test_with_redis_up_the_api_throttle_counts(client, db, own_redis, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"},
    }
    assert [client.get("/api/meetings/").status_code for _ in range(2)] == [200, 429]


def test_with_redis_paused_a_read_gives_up(own_redis):
    cache.set("key", "value")
    assert cache.get("key") == "value"
    assert cache.available()
    own_redis.pause()
    try:
        # A paused Redis never answers: the default comes back only because the read gave up.
        assert cache.get("key", "default") == "default"
        assert not cache.available()
    finally:
        own_redis.resume()


def test_with_redis_full_pages_still_render(client, db, settings):
    # A Redis that refuses writes when full (noeviction) rather than drop old keys.
    if not REDIS_SERVER.exists():
        pytest.skip(f"needs {REDIS_SERVER}")
    redis = Redis(maxmemory="2mb", policy="noeviction")
    redis.start()
    try:
        redis_cache(settings, redis.url)
        settings.PAGE_CACHE_SECONDS = 60
        for n in range(100):
            cache.set(f"filler-{n}", "x" * 100_000)
        assert cache.get("filler-99") is None  # refused: Redis is full
        make_meeting(title="Talks in Astana", slug="talks", state=State.PUBLISHED)
        response = client.get("/meetings/talks/")
        assert response.status_code == 200
        assert "Talks in Astana" in response.content.decode()
    finally:
        redis.close()
        ForgivingRedisCache.skip_until = 0.0
