"""The map page's logic, called directly (as its callback does)."""
from __future__ import annotations

import pytest

from dashboard.filters import Filters


@pytest.fixture()
def ctx(flask_client):
    import app as app_module

    with app_module.server.test_request_context("/"):
        yield


def test_map_state_matches_store(ctx, store):
    from dashboard.views.map_view import map_state

    f = Filters(region=("europe",), tier=("high",), covid=("inclusive-social",))
    state = map_state(f)
    assert state["count"] == store.count(f) == len(state["geojson"]["features"])
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


def test_update_map_callback(ctx, store):
    from dashboard.pages.home import update_map

    from dashboard.views.map_view import MAP_FACETS

    values = [["europe"] if k == "region" else [] for k in MAP_FACETS]
    out = update_map(*values)
    assert out[1] == str(store.count(Filters(region=("europe",))))
    assert len(out[0]["features"]) == int(out[1])


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
