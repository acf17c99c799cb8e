"""The data cache: Redis when configured, a key prefix naming the data version,
two tiers (worker memory in front of the shared backend), the X-Atlas-Cache
header; data only, never layouts."""
from __future__ import annotations

import dataclasses

import pytest
from flask import Flask, g

from dashboard.data import cache as atlas_cache
from dashboard import config
from dashboard.data.cache import HEADER, cache_config, key_prefix, memoize


def test_key_prefix_follows_the_served_data_version(flask_client, store):
    prefix = key_prefix("atlas:{version}:")
    assert callable(prefix)
    assert prefix() == f"atlas:{store.build_info()['sources_hash'][:12]}:"
    assert key_prefix("staging:") == "staging:"


def test_redis_only_when_configured():
    settings = config.load()
    simple = cache_config(dataclasses.replace(settings, cache_redis_url=""))
    assert simple["CACHE_TYPE"] == "SimpleCache" and "CACHE_KEY_PREFIX" not in simple
    shared = cache_config(dataclasses.replace(settings, cache_redis_url="redis://127.0.0.1:6379/0",
                                              cache_key_prefix="prod:"))
    assert shared["CACHE_TYPE"] == "RedisCache" and shared["CACHE_KEY_PREFIX"] == "prod:"


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


class Backend:
    """A stand-in shared backend that counts calls and can fail like an unreachable Redis."""

    def __init__(self):
        self.items, self.gets, self.sets, self.down = {}, 0, 0, False

    def get(self, key):
        self.gets += 1
        if self.down:
            raise ConnectionError("no route to redis")
        return self.items.get(key)

    def set(self, key, value):
        self.sets += 1
        if self.down:
            raise ConnectionError("no route to redis")
        self.items[key] = value


@pytest.fixture()
def backend(monkeypatch):
    fake = Backend()
    monkeypatch.setattr(atlas_cache, "cache", fake)
    monkeypatch.setattr(atlas_cache, "_shared_down_until", 0.0)
    return fake


def outcome(fn, *args):
    """(result, what the request's X-Atlas-Cache would record)."""
    with Flask(__name__).app_context():
        result = fn(*args)
        return result, g.get("atlas_cache", set())


def test_memory_tier_answers_repeats_and_the_shared_tier_other_workers(backend):
    calls = []

    @memoize(local=2)
    def square(version: str, n: int) -> int:
        calls.append(n)
        return n * n

    assert outcome(square, "v1", 3) == (9, {"miss"})
    assert backend.items == {"tests.test_cache.test_memory_tier_answers_repeats_and_the_shared_tier_other_workers."
                             "<locals>.square('v1', 3)": (9,)}
    assert outcome(square, "v1", 3) == (9, {"hit"}) and backend.gets == 1  # from memory: no backend call
    square.local.clear()  # as in another worker: found in the shared tier
    assert outcome(square, "v1", 3) == (9, {"hit"}) and backend.gets == 2 and calls == [3]
    for n in (4, 5, 6):  # the memory tier keeps the last two
        square("v1", n)
    assert list(square.local.items) == [("v1", 5), ("v1", 6)]


def test_none_is_a_result_like_any_other(backend):
    calls = []

    @memoize()
    def nothing(version: str) -> None:
        calls.append(version)

    assert outcome(nothing, "v") == (None, {"miss"})
    nothing.local.clear()
    assert outcome(nothing, "v") == (None, {"hit"}) and calls == ["v"]


def test_an_unreachable_shared_cache_costs_one_failure_and_caches_nothing(backend, caplog):
    calls = []

    @memoize()
    def double(version: str, n: int) -> int:
        calls.append(n)
        return 2 * n

    backend.down = True
    assert outcome(double, "v", 1) == (2, set())  # computed; the header claims neither
    assert outcome(double, "v", 1) == (2, set()) and backend.gets == 1  # left alone for RETRY_AFTER seconds
    assert calls == [1, 1] and not double.local.items
    assert "shared cache unavailable" in caplog.text
    assert [r.levelname for r in caplog.records] == ["WARNING"] and not caplog.records[0].exc_info  # no traceback
    backend.down = False
    atlas_cache._shared_down_until = 0.0  # the retry time has passed
    assert outcome(double, "v", 1) == (2, {"miss"}) and outcome(double, "v", 1) == (2, {"hit"})


def test_cached_data_is_never_changed_by_its_callers(flask_client):
    """The memory tier hands out the cached objects themselves: after pages, callbacks and the
    API have used them, each must still equal a fresh computation."""
    import dash

    from dashboard import data
    from dashboard.urls import from_query
    from dashboard.urls import MapState as UrlState
    from dashboard.views.map_view import sync

    pages = {page["module"].rsplit(".", 1)[-1]: page["layout"] for page in dash.page_registry.values()}
    for module, query in (("home", {"region": "europe", "city": "bologna-ita"}), ("home", {}),
                          ("table", {"tier": "high"}), ("findings", {"region": "asia"}),
                          ("city", {"city_id": "bologna-ita"}), ("compare", {"cities": "bologna-ita,medellin-col"}),
                          ("about", {})):
        with flask_client.application.test_request_context("/"):
            pages[module](**query)
            sync("filters", UrlState(from_query("covid=co-creation")))
            sync("city", UrlState(from_query("tier=low"), "medellin-col"))
    for path in ("/api/cities.json?covid=co-creation", "/api/cities.csv?region=europe", "/api/cities.geojson",
                 "/api/cities/bologna-ita.json", "/api/findings.json", "/data/cities.json"):
        assert flask_client.get(path).status_code == 200, path
    memoized = [f for f in vars(data).values() if hasattr(f, "local")]
    checked = 0
    for fn in memoized:
        for args, value in list(fn.local.items.items()):
            assert value == fn.uncached(*args), (fn.__name__, args)
            checked += 1
    assert checked >= 15, checked


def test_answers_kept_only_in_memory_never_reach_the_shared_backend(backend):
    calls = []

    @memoize(shared=False)
    def facet(version: str, query: str) -> str:
        calls.append(query)
        return query.upper()

    assert outcome(facet, "v", "region=asia") == ("REGION=ASIA", set())  # computed: not a shared-cache miss
    assert outcome(facet, "v", "region=asia") == ("REGION=ASIA", {"hit"})
    assert calls == ["region=asia"] and backend.gets == backend.sets == 0


def test_no_memory_tier_reads_the_shared_tier_each_time(backend):
    @memoize(local=0)
    def rows(version: str) -> list:
        return [1, 2, 3]

    assert outcome(rows, "v") == ([1, 2, 3], {"miss"})
    assert outcome(rows, "v") == ([1, 2, 3], {"hit"}) and backend.gets == 2 and not rows.local.items
