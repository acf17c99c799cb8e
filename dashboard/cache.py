"""The flask-caching instance, its configuration, and the cache header.

Only data is cached (query results as plain dicts and lists, see
``dashboard.data``), never layouts or figures: those depend on the request's
language and are cheap to build from cached data.

**Keys are the same in every process.** flask-caching builds a memoize key
from the function's ``module.qualname``, the repr of its arguments and a
per-function version hash that it keeps *in the cache itself*. The data
functions take only strings (the store's sources hash and the filters'
canonical query string), so the reprs never contain per-process object ids;
the version hash lives in Redis, so every worker and instance reads the same
one; ``CACHE_SOURCE_CHECK`` stays off (keys do not depend on source text). With
``CACHE_REDIS_URL`` set, all workers of all instances therefore share each
entry; without it every worker has its own in-process ``SimpleCache``.

**Key prefix.** ``CACHE_KEY_PREFIX`` (default ``atlas:{version}:``) starts every
Redis key; ``{version}`` is replaced, at each use, by the first 12 characters
of the data version, so a rebuilt store starts a fresh key space and old
entries simply expire. Give each deployment sharing a Redis its own prefix.

**X-Atlas-Cache.** A response whose request called cached data functions
says ``hit`` when all of them came from the cache and ``miss`` when any was
computed, so a load balancer log or ``curl -I`` shows whether instances share.
With Redis unreachable the data is computed and the header is left out.
"""
from __future__ import annotations

from flask import Flask, g, has_app_context
from flask_caching import Cache
from flask_caching.signals import cache_memoize_hit, cache_memoize_miss

from dashboard import config

cache = Cache()
HEADER = "X-Atlas-Cache"
VERSION_FIELD = "{version}"
REDIS_TIMEOUT = 1.0  # seconds


def data_version_prefix() -> str:
    """The first 12 characters of the served store's sources hash."""
    from dashboard.store import open_store  # not at import: the store module must not need the cache

    return open_store().build_info()["sources_hash"][:12]


def key_prefix(template: str):
    """The Redis key prefix: a string, or a function when it names ``{version}``."""
    if VERSION_FIELD not in template:
        return template
    return lambda: template.replace(VERSION_FIELD, data_version_prefix())


def backend(settings: config.Settings) -> str:
    return "redis" if settings.cache_redis_url else "simple"


def cache_config(settings: config.Settings) -> dict:
    common = {"CACHE_DEFAULT_TIMEOUT": settings.cache_timeout, "CACHE_ENABLE_SIGNALS": True,
              "CACHE_SOURCE_CHECK": False}
    if settings.cache_redis_url:
        # short socket timeouts: with Redis unreachable a request computes its data (and logs
        # the error) after a second instead of hanging
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.cache_redis_url,
                "CACHE_KEY_PREFIX": key_prefix(settings.cache_key_prefix),
                "CACHE_OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}, **common}
    return {"CACHE_TYPE": "SimpleCache", **common}


def _record(outcome: str):
    def receiver(sender, **_kwargs):
        if has_app_context():
            g.atlas_cache = g.get("atlas_cache", set()) | {outcome}
    return receiver


_on_hit, _on_miss = _record("hit"), _record("miss")  # module-level: blinker keeps weak references
cache_memoize_hit.connect(_on_hit)
cache_memoize_miss.connect(_on_miss)


def add_cache_header(server: Flask) -> None:
    """Answer every request that used cached data with ``X-Atlas-Cache: hit|miss``."""

    @server.after_request
    def cache_header(response):
        seen = g.get("atlas_cache")
        if seen:
            response.headers[HEADER] = "miss" if "miss" in seen else "hit"
        return response
