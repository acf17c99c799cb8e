"""The map page's logic, called directly (as its callback does)."""
from __future__ import annotations

import pytest

from dashboard.facets import FACETS, Filters
from tests.layouts import layout_json
from tests.reference import count


@pytest.fixture()
def ctx(flask_client):
    import app as app_module

    with app_module.server.test_request_context("/"):
        yield


def test_map_state_matches_store(ctx, store):
    from dashboard.views.map_view import selection

    f = Filters(region=("europe",), tier=("high",), covid=("inclusive-social",))
    shown = selection(f)
    assert shown.query == "region=europe&tier=high&covid=inclusive-social"
    assert shown.count == count(store, f)
    assert shown.count_text == f"{shown.count} cities shown" if shown.count != 1 else "1 city shown"
    labels = {o["value"]: o["label"] for o in shown.options["region"]}
    assert labels["europe"] == f"Europe ({shown.count})"


def test_the_new_facets_have_options_with_counts(ctx, store):
    from dashboard.views.map_view import selection

    shown = selection(Filters(region=("europe",)))
    for key, value in (("policy", "digital-governance"), ("role", "designer"), ("activity", "risk-taking")):
        labels = {o["value"]: o["label"] for o in shown.options[key]}
        n = count(store, Filters(region=("europe",), **{key: (value,)}))
        assert n > 0 and labels[value].endswith(f"({n})"), (key, labels[value])
        assert labels["unknown"].startswith("Not published")


def test_the_survey_waves_offered_are_the_datas(ctx, store):
    """An open vocabulary: the years the cities carry (a new wave's year appears once ingested), then
    "Not stated"; no year that no city has."""
    from dashboard.views.map_view import selection

    labels = {o["value"]: o["label"] for o in selection(Filters()).options["wave"]}
    assert list(labels) == [*(w for w in store.waves() if w != "unknown"), "unknown"] and "2020" not in labels
    assert labels["2018"] == f"2018 ({count(store, Filters(wave=('2018',)))})"
    assert labels["unknown"].startswith("Not stated")


def test_features_carry_tier_words_and_escape_text(ctx):
    from dashboard.vocabulary import map_labels
    from layers.cities import feature

    f = feature({"id": "x-abc", "name": "<b>X</b>", "country": "Y & Z", "lat": 1.0, "lon": 2.0,
                 "population": None, "psi_index": None, "psi_source": None, "psi_tier": "unknown",
                 "respondent": False}, map_labels())
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
    from dashboard.vocabulary import tier_label

    assert tier_label(tier, source, score) == words


def run_callback(func, trigger: str, **kwargs):
    """Call a Dash callback function directly, as if ``trigger`` (an "id.prop") fired it."""
    from contextvars import copy_context

    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    def run():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": trigger, "value": None}]))
        return func(**kwargs)

    return copy_context().run(run)


def sync(trigger: str, values=None, city=None, request=None, entry=None, zoom=2, center=(10.0, 20.0),
         search_query=None) -> dict:
    from dashboard.pages.home import sync_page
    from dashboard.views.map_view import MAP_FACETS

    values = {k: (values or {}).get(k, []) for k in MAP_FACETS}
    return run_callback(sync_page, trigger, values=values, reset=None, city=city, request=request, entry=entry,
                        zoom=zoom, center=list(center) if isinstance(center, tuple) else center,
                        search_query=search_query or {"local": True})


def test_sync_callback_filters_and_city(ctx, store):
    from dash import no_update

    from dashboard.pages.home import OUTPUTS

    out = sync("filter-region.value", {"region": ["europe"]})
    assert set(out) == set(OUTPUTS)  # every output by name
    # the selection, the count line and the options are the browser's (atlas_map.js filterPanel)
    assert not {"selection", "count", "toolbar_count", "options"} & set(out)
    assert "europe (" not in str(out).lower()  # no option labels with counts in the answer
    links = str(out["data_links"])
    assert "/api/cities.csv?region=europe" in links and "/table?region=europe" in links
    assert out["url"] == "?region=europe&z=2&lat=10.00&lon=20.00"  # pushed to the history
    assert set(out["values"].values()) == {no_update}  # the controls keep what the user set

    out = sync("city-search.value", {"region": ["europe"]}, city="bologna-ita")
    assert out["list"] is no_update and out["fit"] is no_update  # a city change leaves the selection
    assert out["panel_class"] == "city-panel open" and "Bologna" in str(out["panel_body"])
    assert out["focus"]["animate"] is True and out["focus"]["zoom"] == 6
    assert out["url"] == "?region=europe&city=bologna-ita&z=2&lat=10.00&lon=20.00"


def test_a_small_selection_is_listed_by_name_and_the_map_fits_it(ctx, store):
    from dash import no_update

    from dashboard.views.map_view import LIST_MAX, selection

    f = Filters(region=("europe",), tier=("high",))
    shown = selection(f)
    rows = store.city_rows(f)
    assert 0 < shown.count <= LIST_MAX
    assert [r["id"] for r in shown.listed] == [r["id"] for r in rows]
    bologna = next(r for r in shown.listed if r["id"] == "bologna-ita")
    assert bologna["name"] == "Bologna" and bologna["country"] == "Italy"
    score = next(r["psi_index"] for r in rows if r["id"] == "bologna-ita")
    assert bologna["tier_text"] == "High (estimate)" and bologna["score"] == f"{score:.1f}"
    (south, west), (north, east) = shown.fit
    assert all(south <= r["lat"] <= north and west <= r["lon"] <= east for r in rows)
    assert selection(Filters()).listed is None  # above LIST_MAX: the table, not a list

    out = sync("filter-region.value", {"region": ["europe"], "tier": ["high"]})
    assert out["fit"] == shown.fit
    items = layout_json(out["list"])[0]["props"]["children"]  # sent as one static element: as a browser reads it
    link = items[0]["props"]["children"][0]
    assert len(items) == shown.count and link["props"]["children"] == rows[0]["name"]
    assert link["props"]["data-city"] == rows[0]["id"]
    assert f"see the {count(store)} cities in the table" in str(sync("filter-region.value", {})["list"])
    # a city choice does not refit the map
    assert sync("city-search.value", {"region": ["europe"]}, city="bologna-ita")["fit"] is no_update


def test_the_compare_tray_names_the_chosen_cities(ctx, store):
    from dashboard.pages.home import show_compare_tray

    assert show_compare_tray(None) == ([], "compare-tray empty")
    assert show_compare_tray(["<script>", 3]) == ([], "compare-tray empty")
    children, css = show_compare_tray(["bologna-ita"])
    assert css == "compare-tray" and "1 city to compare:" in str(children) and "Add one more city" in str(children)
    children, css = show_compare_tray(["bologna-ita", "madrid-esp", "bologna-ita"])
    link = next(c for c in children if getattr(c, "href", None))
    assert "2 cities to compare:" in str(children) and link.href == "/compare?cities=bologna-ita,madrid-esp"


def test_sync_callback_survives_values_of_the_wrong_type(ctx, store):
    out = sync("filter-region.value", {"region": {"a": 1}, "tier": [None, 3, "high"]}, city=["x"], request="oops",
               entry=[1], zoom="big", center="here")
    assert out["url"] == "?tier=high"


def test_profile_fact_filters(ctx, store):
    from dashboard.views.map_view import selection

    f = Filters(strategy=("yes",), team=("yes",))
    shown = selection(f)
    assert shown.count == count(store, f) > 0
    labels = {o["value"]: o["label"] for o in shown.options["strategy"]}
    assert labels["yes"] == f"Yes ({shown.count})"


def test_tiles_only_when_configured(ctx, monkeypatch):
    import dataclasses

    from dashboard import config
    from dashboard.pages import home

    assert "TileLayer" not in str(home.layout().to_plotly_json())
    tiles = dataclasses.replace(config.load(), tile_url="https://tiles.example.org/{z}/{x}/{y}.png")
    monkeypatch.setattr(config, "load", lambda: tiles)
    assert "tiles.example.org" in str(home.layout().to_plotly_json())


def test_a_marker_click_request_selects_the_city(ctx):
    out = sync("city-request.data", request={"id": "medellin-col", "at": 1}, zoom=3, center={"lat": 5.0, "lng": -75.0})
    assert out["url"] == "?city=medellin-col&z=3&lat=5.00&lon=-75.00"
    out = sync("city-request.data", city="medellin-col", request={"id": None, "at": 2}, zoom=3,
               center={"lat": 5.0, "lng": -75.0})
    assert out["url"] == "?z=3&lat=5.00&lon=-75.00"  # closed: the city leaves the URL
    assert out["panel_class"] == "city-panel"


def test_back_and_forward_reach_the_callback_through_the_history_store(ctx, store):
    from dash import no_update

    out = sync("map-history.data", entry={"search": "?tier=high&city=bologna-ita", "at": 5})
    assert out["values"]["tier"] == ["high"] and out["values"]["region"] == []  # the controls follow the entry
    # (the browser counts the entry's selection when the controls change: filterPanel)
    assert f"see the {count(store, Filters(tier=('high',)))} cities in the table" in str(out["list"])
    assert "Bologna" in str(out["panel_body"])
    assert out["url"] is no_update  # applying an entry never pushes a new one


def test_point_table_has_every_city_once_in_map_order(flask_client, store):
    r = flask_client.get("/data/cities.json", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    import gzip
    import json

    table = json.loads(gzip.decompress(r.data))
    assert table["id"] == [p.id for p in store.city_points()]
    facets = table.pop("facets")
    assert {len(column) for column in table.values()} == {count(store)}
    assert set(facets) == {f.key for f in FACETS}
    assert {len(c["codes"]) for c in facets.values()} == {count(store)}
    assert "<" not in json.dumps(table["tier"]) and set(table["tier"]) <= {"high", "low", "unknown"}
    again = flask_client.get("/data/cities.json", headers={"If-None-Match": r.headers["ETag"].split(":")[0].strip('"')})
    assert again.status_code == 304
    # the compressed copy's tag ("<tag>:gzip"), as the browser sends it back, is current too
    assert r.headers["ETag"].endswith(':gzip"')
    again = flask_client.get("/data/cities.json", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_the_browser_gets_the_count_wording_from_the_catalogue(flask_client):
    """The count line's forms handed to the browser give, for any count, what the server writes."""
    import app as app_module
    from dashboard import vocabulary
    from dashboard.i18n import number
    from dashboard.views.map_view import browser_words

    for lang in ("en", "fr"):
        with app_module.server.test_request_context(f"/?lang={lang}"):
            words = browser_words()
            forms = words["count"]
            for n in (0, 1, 2, 5, 99, 100, 101, 121, 199, 200, 201, 1000, 12345, 100001):
                form = forms["index"][n if n < len(forms["index"]) else 100 + n % 100]
                group = words["group"]
                digits = f"{n:,}".replace(",", group)
                assert forms["forms"][form].replace("{count}", digits) == vocabulary.cities_shown(n) \
                    and digits == number(n), (lang, n)
            region = dict(words["facets"])["region"]
            assert [v for v, _ in region] == list(vocabulary.facet_values("region"))
            assert dict(region)["europe"] == vocabulary.value_label("region", "europe")
            assert [k for k, _ in words["facets"]][0] == "country"
    with app_module.server.test_request_context("/?lang=fr"):
        assert browser_words()["count"]["forms"] != []
        assert "ville" in browser_words()["count"]["forms"][0]
