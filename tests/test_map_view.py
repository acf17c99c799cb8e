"""The map page's logic, called directly (as its callback does)."""
from __future__ import annotations

import pytest

from dashboard.facets import Filters


@pytest.fixture()
def ctx(flask_client):
    import app as app_module

    with app_module.server.test_request_context("/"):
        yield


def selected_ids(selection: str) -> list[str]:
    """The cities the browser shows for a selection's query string, worked out here from the
    point table's facet columns by the rule of assets/atlas_map.js (independently of the app)."""
    from urllib.parse import parse_qs

    import app as app_module

    table = app_module.server.test_client().get("/data/cities.json").get_json()
    keep = set(range(len(table["id"])))
    for key, (raw,) in parse_qs(selection).items():
        column, wanted = table["facets"][key], raw.split(",")
        if key == "covid":
            mask = sum(1 << j for j, v in enumerate(column["values"]) if v in wanted)
            keep &= {i for i, bits in enumerate(column["bits"]) if bits & mask}
        else:
            keep &= {i for i, code in enumerate(column["codes"]) if column["values"][code] in wanted}
    return [table["id"][i] for i in sorted(keep)]


def test_map_state_matches_store(ctx, store):
    from dashboard.views.map_view import map_state

    f = Filters(region=("europe",), tier=("high",), covid=("inclusive-social",))
    state = map_state(f)
    assert state["selection"] == "region=europe&tier=high&covid=inclusive-social"
    assert state["count"] == store.count(f) == len(selected_ids(state["selection"]))
    labels = {o["value"]: o["label"] for o in state["options"]["region"]}
    assert labels["europe"] == f"Europe ({state['count']})"


def test_features_carry_tier_words_and_escape_text(ctx):
    from layers.cities import feature

    f = feature({"id": "x-abc", "name": "<b>X</b>", "country": "Y & Z", "lat": 1.0, "lon": 2.0,
                 "population": None, "psi_index": None, "psi_source": None, "psi_tier": "unknown",
                 "respondent": False})
    tip = f["properties"]["tooltip"]
    assert "&lt;b&gt;X&lt;/b&gt;" in tip and "Y &amp; Z" in tip
    assert "not published" in tip and "not confirmed" in tip
    assert f["geometry"]["coordinates"] == [2.0, 1.0]


@pytest.mark.parametrize("tier,source,score,words", [
    ("high", "estimate", None, "Innovation capacity: high (estimate)"),
    ("low", "estimate", None, "Innovation capacity: low (estimate)"),
    ("high", "official", None, "Innovation capacity: high (official OECD score)"),
    ("low", "official", None, "Innovation capacity: low (official OECD score)"),
    ("high", "estimate", 7.5, "Innovation capacity: high, 7.5 of 10 (estimate)"),
    ("low", "official", 4.0, "Innovation capacity: low, 4.0 of 10 (official OECD score)"),
    ("unknown", None, None, "Innovation capacity: not published"),
    ("unknown", "estimate", None, "Innovation capacity: not published"),
    ("unknown", "official", None, "Innovation capacity: not published"),
])
def test_tier_label_words_tier_score_and_source(ctx, tier, source, score, words):
    from layers.cities import tier_label

    assert tier_label(tier, source, score) == words


def run_callback(func, trigger: str, *args):
    """Call a Dash callback function directly, as if ``trigger`` (an "id.prop") fired it."""
    from contextvars import copy_context

    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    def run():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": trigger, "value": None}]))
        return func(*args)

    return copy_context().run(run)


def test_sync_callback_filters_and_city(ctx, store):
    from dash import no_update

    from dashboard.pages.home import sync_page
    from dashboard.views.map_view import MAP_FACETS

    n = len(MAP_FACETS)
    values = [["europe"] if k == "region" else [] for k in MAP_FACETS]
    out = run_callback(sync_page, "filter-region.value", *values, None, None, None, None, 2, [10.0, 20.0])
    europe = store.count(Filters(region=("europe",)))
    selection, count, links = out[2 * n], out[2 * n + 1], str(out[2 * n + 3])
    assert selection == "region=europe"  # the same few bytes whatever the number of cities
    assert count == str(europe) == str(len(selected_ids(selection)))
    assert "/api/cities.csv?region=europe" in links and "/table?region=europe" in links
    assert out[-1] == "?region=europe&z=2&lat=10.00&lon=20.00"  # pushed to the history
    assert out[0] is no_update  # the controls keep what the user set

    out = run_callback(sync_page, "city-search.value", *values, None, "bologna-ita", None, None, 2, [10.0, 20.0])
    assert out[2 * n] is no_update  # the map data is not sent again for a city change
    panel_class, focus, search = out[2 * n + 6], out[-2], out[-1]
    assert panel_class == "city-panel open" and "Bologna" in str(out[2 * n + 7])
    assert focus["animate"] is True and focus["zoom"] == 6
    assert search == "?region=europe&city=bologna-ita&z=2&lat=10.00&lon=20.00"


def test_profile_fact_filters(ctx, store):
    from dashboard.views.map_view import map_state

    f = Filters(strategy=("yes",), team=("yes",))
    state = map_state(f)
    assert state["count"] == store.count(f) > 0
    labels = {o["value"]: o["label"] for o in state["options"]["strategy"]}
    assert labels["yes"] == f"Yes ({state['count']})"


def test_tiles_only_when_configured(ctx, monkeypatch):
    import dataclasses

    from dashboard import config
    from dashboard.pages import home

    assert "TileLayer" not in str(home.layout().to_plotly_json())
    tiles = dataclasses.replace(config.load(), tile_url="https://tiles.example.org/{z}/{x}/{y}.png")
    monkeypatch.setattr(config, "load", lambda: tiles)
    assert "tiles.example.org" in str(home.layout().to_plotly_json())


def test_a_marker_click_request_selects_the_city(ctx):
    from dashboard.pages.home import sync_page
    from dashboard.views.map_view import MAP_FACETS

    values = [[] for _ in MAP_FACETS]
    out = run_callback(sync_page, "city-request.data", *values, None, None, {"id": "medellin-col", "at": 1}, None, 3,
                       {"lat": 5.0, "lng": -75.0})
    assert out[-1] == "?city=medellin-col&z=3&lat=5.00&lon=-75.00"
    out = run_callback(sync_page, "city-request.data", *values, None, "medellin-col", {"id": None, "at": 2}, None, 3,
                       {"lat": 5.0, "lng": -75.0})
    assert out[-1] == "?z=3&lat=5.00&lon=-75.00"  # closed: the city leaves the URL


def test_back_and_forward_reach_the_callback_through_the_history_store(ctx, store):
    from dash import no_update

    from dashboard.pages.home import sync_page
    from dashboard.views.map_view import MAP_FACETS

    values = [[] for _ in MAP_FACETS]
    entry = {"search": "?tier=high&city=bologna-ita", "at": 5}
    out = run_callback(sync_page, "map-history.data", *values, None, None, None, entry, 2, [10.0, 20.0])
    n = len(MAP_FACETS)
    assert out[MAP_FACETS.index("tier")] == ["high"]  # the controls follow the entry
    assert out[2 * n + 1] == str(store.count(Filters(tier=("high",))))
    assert "Bologna" in str(out[2 * n + 7])
    assert out[-1] is no_update  # applying an entry never pushes a new one


def test_the_point_table_selects_exactly_the_store_s_cities(ctx, store):
    """The facet columns the browser filters by give the store's answer for any selection."""
    from dashboard.views.map_view import map_state
    from tests.test_facet_index import random_filters

    for f in (Filters(), Filters(region=("asia",)), Filters(tier=("unknown",), confirmed=("no",)),
              Filters(country=("ZZZ",)), Filters(covid=("co-creation", "recovery-resilience"), pop=("1m-5m",)),
              *random_filters(store, 40, seed=3)):
        expected = [p.id for p in store.city_points(f)]
        assert sorted(selected_ids(map_state(f)["selection"])) == sorted(expected), f


def test_point_table_has_every_city_once_in_map_order(flask_client, store):
    r = flask_client.get("/data/cities.json", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    assert "max-age=604800" in r.headers["Cache-Control"]
    import gzip
    import json

    table = json.loads(gzip.decompress(r.data))
    assert table["id"] == [p.id for p in store.city_points()]
    facets = table.pop("facets")
    assert {len(column) for column in table.values()} == {store.count()}
    assert {len(c.get("codes", c.get("bits"))) for c in facets.values()} == {store.count()}
    assert "<" not in json.dumps(table["tier"]) and set(table["tier"]) <= {"high", "low", "unknown"}
    again = flask_client.get("/data/cities.json", headers={"If-None-Match": r.headers["ETag"].split(":")[0].strip('"')})
    assert again.status_code == 304
    # the compressed copy's tag ("<tag>:gzip"), as the browser sends it back, is current too
    assert r.headers["ETag"].endswith(':gzip"')
    again = flask_client.get("/data/cities.json", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
