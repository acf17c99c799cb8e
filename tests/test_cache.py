"""Cache configuration: Redis when configured, a key prefix naming the data
version, signals on for the X-Atlas-Cache header; data only, never layouts."""
from __future__ import annotations

import dataclasses

from dashboard import config
from dashboard.cache import HEADER, cache_config, key_prefix


def test_key_prefix_follows_the_served_data_version(flask_client, store):
    prefix = key_prefix("atlas:{version}:")
    assert callable(prefix)
    assert prefix() == f"atlas:{store.build_info()['sources_hash'][:12]}:"
    assert key_prefix("staging:") == "staging:"


def test_redis_only_when_configured_and_keys_never_depend_on_source_text():
    settings = config.load()
    simple = cache_config(dataclasses.replace(settings, cache_redis_url=""))
    assert simple["CACHE_TYPE"] == "SimpleCache" and "CACHE_KEY_PREFIX" not in simple
    shared = cache_config(dataclasses.replace(settings, cache_redis_url="redis://127.0.0.1:6379/0",
                                              cache_key_prefix="prod:"))
    assert shared["CACHE_TYPE"] == "RedisCache" and shared["CACHE_KEY_PREFIX"] == "prod:"
    for cfg in (simple, shared):
        assert cfg["CACHE_ENABLE_SIGNALS"] is True and cfg["CACHE_SOURCE_CHECK"] is False


def test_memoized_functions_take_only_strings():
    """Arguments go into keys by repr: only strings and integers, whose repr is the same in every process."""
    import inspect

    from dashboard import data

    memoized = [f for name, f in vars(data).items() if hasattr(f, "uncached")]
    assert len(memoized) >= 6
    for f in memoized:
        params = inspect.signature(f.uncached).parameters.values()
        assert all(p.annotation in ("str", str, "int", int) for p in params), f.__name__


def test_health_says_which_cache_and_data_and_is_not_cached(flask_client, store):
    r = flask_client.get("/healthz")
    body = r.get_json()
    assert body["cache"] == "simple" and body["data_version"] == store.build_info()["sources_hash"][:12]
    assert HEADER not in r.headers
