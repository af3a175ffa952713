"""The Redis cache, degraded rather than broken while Redis is away.

allauth keeps its rate limits and the record of used TOTP codes in the cache, so a Redis
outage used to turn every sign-in into a 500. While Redis does not answer, this backend serves
every call from a cache in the web process's own memory instead, and tries Redis again after
`RETRY_AFTER` seconds (so a hanging Redis costs one short timeout, not one per call).

What that means while Redis is away (the behaviour we chose, see docs/operations.md):
- sign-in keeps working, two-factor codes included;
- rate limits count per web process rather than across the site (django-axes, which locks
  an account after repeated failures, keeps its count in the database and is unaffected);
- a TOTP code is refused a second time by the process that accepted it; another process
  would accept it once within its 30-second window. Refusing every sign-in instead would lock
  everyone out for the whole outage, so we accept that for its duration.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER = 10  # seconds without trying Redis after it failed
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)

_METHODS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class ResilientRedisCache(RedisCache):
    """Django's Redis cache falling back to process memory while Redis is unreachable."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        # Fail fast: a hanging Redis must not hang the request.
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        super().__init__(server, {**params, "OPTIONS": options})
        self._fallback = LocMemCache(f"fallback-{server}", params)
        self._down_until = 0.0

    def _call(self, name, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except _UNREACHABLE:
                logger.warning("Redis unreachable: cache in process memory for %s s", RETRY_AFTER)
                self._down_until = time.monotonic() + RETRY_AFTER
        return getattr(self._fallback, name)(*args, **kwargs)


def _delegate(name):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in _METHODS:
    setattr(ResilientRedisCache, _name, _delegate(_name))
