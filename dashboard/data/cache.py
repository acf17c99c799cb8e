"""The data cache: ``memoize``, its flask-caching backend, and the cache header.

Only data is cached (query results as plain dicts and lists, see
``dashboard.data``), never layouts or figures: those depend on the request's
language and are cheap to build from cached data.

**Two tiers.** ``memoize`` keeps recent results in the worker's memory (a
small LRU per function, the objects themselves: no unpickling on a hit) in
front of the flask-caching backend (Redis with ``CACHE_REDIS_URL``, else an
in-process ``SimpleCache``). The data is immutable for a data version, and
the version is the first argument of every memoized function, so neither
tier ever needs invalidating. Callers must not change what they get (the
tests check that the cached objects still equal a fresh computation).

**Keys are the same in every process.** A key is the function's
``module.qualname`` and the repr of its arguments. The data functions take
only strings and integers (the store's sources hash, the filters' canonical
query string), whose reprs never contain per-process object ids. With
``CACHE_REDIS_URL`` set, all workers of all instances therefore share each
entry; without it every worker has its own.

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

import functools
import logging
import threading
import time
from collections import OrderedDict

from flask import Flask, g, has_app_context
from flask_caching import Cache

from dashboard import config

cache = Cache()
HEADER = "X-Atlas-Cache"
VERSION_FIELD = "{version}"
REDIS_TIMEOUT = 1.0  # seconds
RETRY_AFTER = 5.0  # seconds without asking a shared cache that just failed
log = logging.getLogger(__name__)
_locals: list["LocalCache"] = []


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
    common = {"CACHE_DEFAULT_TIMEOUT": settings.cache_timeout}
    if settings.cache_redis_url:
        # short socket timeouts: with Redis unreachable a request computes its data (and logs
        # the error) after a second instead of hanging
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.cache_redis_url,
                "CACHE_KEY_PREFIX": key_prefix(settings.cache_key_prefix),
                "CACHE_OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}, **common}
    return {"CACHE_TYPE": "SimpleCache", **common}


def _record(outcome: str) -> None:
    if has_app_context():
        g.atlas_cache = g.get("atlas_cache", set()) | {outcome}


class LocalCache:
    """A small thread-safe LRU of one function's results in this worker's memory."""

    def __init__(self, size: int):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: tuple):
        with self.lock:
            found = self.items.get(key, _MISSING)
            if found is not _MISSING:
                self.items.move_to_end(key)
            return found

    def put(self, key: tuple, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_MISSING = object()
_shared_down_until = 0.0


def _shared_failed(what: str, key: str, exc: Exception) -> None:
    global _shared_down_until
    _shared_down_until = time.monotonic() + RETRY_AFTER
    # a warning without a traceback: an outage is expected to happen, and logs once per RETRY_AFTER
    log.warning("shared cache unavailable (%s %s: %s); computing without it for %.0f s", what, key,
                str(exc).splitlines()[0] if str(exc) else type(exc).__name__, RETRY_AFTER)


def memoize(local: int = 256, shared: bool = True):
    """Cache a function of strings and integers in both tiers (see the module's docstring).

    ``local`` bounds the entries kept in the worker's memory; give functions
    whose results grow with the number of cities a small one (0: none, every
    call reads the shared tier). ``shared=False`` keeps results only in
    memory: for answers computed faster than a round trip to Redis.

    A request that used memoized data says so in ``X-Atlas-Cache``: ``hit``
    when every result came from a cache, ``miss`` when any shared result was
    computed (computing a memory-only answer claims neither). With the shared backend
    unreachable the result is computed and not kept, the failure is logged and
    the backend left alone for ``RETRY_AFTER`` seconds (so an outage costs one
    timeout, not one per call); the header then claims neither.
    """
    def decorate(fn):
        name = f"{fn.__module__}.{fn.__qualname__}"
        recent = LocalCache(local)
        _locals.append(recent)

        @functools.wraps(fn)
        def memoized(*args):
            found = recent.get(args)
            if found is not _MISSING:
                _record("hit")
                return found
            if not shared:
                value = fn(*args)
                recent.put(args, value)
                return value
            key = f"{name}{args!r}"
            if time.monotonic() < _shared_down_until:
                return fn(*args)
            try:
                stored = cache.get(key)
            except Exception as exc:
                _shared_failed("reading", key, exc)
                return fn(*args)
            if stored is not None:
                _record("hit")
                value = stored[0]
            else:
                _record("miss")
                value = fn(*args)
                try:
                    cache.set(key, (value,))  # a tuple, so a None result is cached too
                except Exception as exc:
                    _shared_failed("storing", key, exc)
                    return value
            recent.put(args, value)
            return value

        memoized.uncached = fn
        memoized.local = recent
        return memoized
    return decorate


def clear() -> None:
    """Forget every cached result, in this worker and in the shared backend."""
    for recent in _locals:
        recent.clear()
    cache.clear()


def add_cache_header(server: Flask) -> None:
    """Answer every request that used cached data with ``X-Atlas-Cache: hit|miss``."""

    @server.after_request
    def cache_header(response):
        seen = g.get("atlas_cache")
        if seen:
            response.headers[HEADER] = "miss" if "miss" in seen else "hit"
        return response
