"""The flask-caching instance and the cached data functions the pages use.

Only data is cached, never layouts. Keys are built from the function name, its
arguments (frozen dataclasses with stable reprs) and the store's sources hash,
so they are the same in every gunicorn worker and every instance sharing one
Redis, and a rebuilt store never serves stale entries.
"""
from __future__ import annotations

from flask_caching import Cache

from dashboard import config

cache = Cache()


def cache_config(settings: config.Settings) -> dict:
    if settings.cache_redis_url:
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.cache_redis_url,
                "CACHE_KEY_PREFIX": "atlas:", "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout}
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout}
