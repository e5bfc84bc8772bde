"""The shared cache as an optimisation, never a dependency.

With Redis down, paused or full, the site works as it does with an empty cache: pages render from
the database, the API's rate counts start again, and every write to the cache is dropped. Each
failure is logged as a warning. Redis answers within settings.REDIS_TIMEOUT_MS or counts as
failed, and after a failure a process leaves Redis alone for RETRY_SECONDS, so that a paused
Redis costs each process one timeout every RETRY_SECONDS rather than one per cache call.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5


class ForgivingRedisCache(RedisCache):
    """Django's RedisCache, where an error of Redis is a miss: a read gives the default, a write
    does nothing. `clear()` still fails loudly: it is an operator's explicit request."""

    # Until when (time.monotonic()) this process skips Redis after a failure.
    skip_until = 0.0

    def _try(self, failed, method, *args):
        if time.monotonic() < ForgivingRedisCache.skip_until:
            return failed
        try:
            return getattr(super(), method)(*args)
        except RedisError as error:
            ForgivingRedisCache.skip_until = time.monotonic() + RETRY_SECONDS
            logger.warning(
                "cache %s failed, served as a miss for %s s: %r", method, RETRY_SECONDS, error
            )
            return failed

    def available(self):
        """Whether Redis answers now (for the health check)."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except RedisError:
            return False

    def get(self, key, default=None, version=None):
        return self._try(default, "get", key, default, version)

    def get_many(self, keys, version=None):
        return self._try({}, "get_many", keys, version)

    def has_key(self, key, version=None):
        return self._try(False, "has_key", key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(False, "add", key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._try(None, "set", key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(list(data), "set_many", data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(False, "touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._try(False, "delete", key, version)

    def delete_many(self, keys, version=None):
        self._try(None, "delete_many", keys, version)

    def incr(self, key, delta=1, version=None):
        value = self._try(None, "incr", key, delta, version)
        if value is None:
            raise ValueError(f"Key '{key}' not found")  # as for a missing key
        return value
