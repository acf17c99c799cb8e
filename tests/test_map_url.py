"""The map page's URL (a public interface), its sync logic, search, panel and summary."""
from __future__ import annotations

import pytest

from dashboard import ids, urls
from dashboard.facets import Filters
from tests.reference import count


@pytest.fixture()
def ctx(flask_client):
    import app as app_module

    with app_module.server.test_request_context("/"):
        yield


EXAMPLE = "?region=europe&tier=high&covid=inclusive-social&city=bologna-ita&z=4&lat=48&lon=10"


def test_the_documented_example_round_trips(ctx):
    from dashboard.urls import MapState, View, map_query
    from dashboard.views.map_view import read_url as url_state

    state = url_state(EXAMPLE)
    assert state == MapState(Filters(region=("europe",), tier=("high",), covid=("inclusive-social",)),
                             "bologna-ita", View(4, 48.0, 10.0))
    canonical = map_query(state)
    assert canonical == "?region=europe&tier=high&covid=inclusive-social&city=bologna-ita&z=4&lat=48.00&lon=10.00"
    assert url_state(canonical) == state
    assert map_query(url_state("")) == ""


@pytest.mark.parametrize("query, expected", [
    ("z=abc&lat=48&lon=10", "?lat=48.00&lon=10.00"),
    ("z=99&lat=nan&lon=10", ""),
    ("z=3&lat=inf&lon=1e400", "?z=3"),
    ("z=3&lat=48", "?z=3"),  # a centre needs both coordinates
    ("z=-2&lat=-91&lon=181", ""),
    ("city=<script>alert(1)</script>", ""),
    ("city=no-such-city-xyz", ""),
    ("city=' OR 1=1 --", ""),
    ("city=BOLOGNA-ITA", "?city=bologna-ita"),
    ("region=mars,europe&tier=HIGH&foo=bar", "?region=europe&tier=high"),
    ("region=europe&region=asia", "?region=europe,asia"),
    ("region=europe');DROP TABLE cities;--&country=ita,XX,I T A", "?country=ITA"),
    ("covid=%00&pop=" + "x" * 5000, ""),
])
def test_malformed_and_hostile_values_are_dropped_and_the_rest_applies(ctx, query, expected):
    from dashboard.urls import map_query
    from dashboard.views.map_view import read_url

    assert map_query(read_url(query)) == expected


# values of an open facet (countries, survey waves) that no city of the store has are dropped as the
# address is read, as an unknown city id is: the rest of the address applies (data.known_filters)
@pytest.mark.parametrize("query, expected", [
    ("country=ZZZ", ""),
    ("country=ZZZ,ITA", "?country=ITA"),
    ("country=zzz,ita,XYZ&region=europe", "?region=europe&country=ITA"),
    ("country=ZZZ&city=bologna-ita", "?city=bologna-ita"),
    ("wave=1999", ""),
    ("wave=1999,2018", "?wave=2018"),
    ("wave=unknown", "?wave=unknown"),  # offered by the map whatever the data (vocabulary.value_words)
])
def test_values_the_data_does_not_know_are_dropped_like_an_unknown_city(ctx, query, expected):
    from dashboard.urls import map_query
    from dashboard.views.map_view import read_url

    assert map_query(read_url(query)) == expected


def test_the_known_values_of_a_facet_are_the_ones_its_control_offers(ctx, store):
    """One rule (data.facet_values) says which values the data knows: the map's options are those,
    so a value the address keeps is one its control can show."""
    from dashboard import data
    from dashboard.facets import FACETS
    from dashboard.views.map_view import option_words

    for facet in FACETS:
        assert [v for v, _ in option_words(facet.key)] and \
            {v for v, _ in option_words(facet.key)} == set(data.facet_values(facet.key)), facet.key
    assert set(data.facet_values("country")) == {r["iso3"] for r in store.rows("SELECT DISTINCT iso3 FROM cities")}
    every = Filters(country=("ZZZ", "ITA"), wave=("1999", "2018"), region=("europe",), policy=("health",))
    assert data.known_filters(every) == Filters(country=("ITA",), wave=("2018",), region=("europe",),
                                                policy=("health",))
    assert data.known_filters(Filters(country=("ZZZ",))) == Filters()
    assert data.read_filters("?country=ZZZ,ITA&bogus=1") == Filters(country=("ITA",))


@pytest.mark.parametrize("query, filters", [("ZZZ,ITA", Filters(country=("ITA",))), ("ZZZ", Filters())])
def test_an_unknown_country_is_dropped_by_every_part_of_the_map_page(ctx, store, query, filters):
    """The first view, the count line, the dropdown and the page's links all show the valid selection
    (the dropdown would drop an unknown value by itself once Dash starts)."""
    import json

    from dashboard import ids, urls
    from dashboard.pages.home import first_view, layout
    from dashboard.views.map_view import first_map, read_url
    from tests.browser.helpers import count_text
    from tests.layouts import components, layout_json

    text = count_text(count(store, filters))
    first = first_view({"country": query})
    assert f'<p class="selection-line first-count">{text}</p>' in first
    assert first_map(read_url({"country": query})).count == count(store, filters)
    page = list(components(layout_json(layout(country=query))))
    by_id = {c["props"].get("id"): c["props"] for c in page if isinstance(c["props"].get("id"), str)}
    assert by_id[ids.SELECTION_COUNT]["children"] == by_id[ids.TOOLBAR_COUNT]["children"] == text
    assert by_id[ids.filter_id("country")]["value"] == list(filters["country"])
    assert by_id[ids.MAP_SELECTION]["data"] == filters.canonical
    links = json.dumps(by_id[ids.MAP_DATA_LINKS]) + json.dumps(page)
    assert "ZZZ" not in links and urls.api_cities_url("csv", filters) in links and urls.table_url(filters) in links
    assert urls.map_url(filters) in links  # the share tools' permalink


def test_every_leaflet_map_takes_the_zoom_floor_of_the_url_codec(ctx, monkeypatch):
    """One owner of the zoom floor (urls.MIN_ZOOM, which also bounds z= in an address): every
    dl.Map of every page's layout, and the city page's mini map (drawn by a callback), take it
    (read from urls as the page is made: another floor there is every map's)."""
    import dash
    import dash_leaflet as dl

    from dashboard import data
    from dashboard.pages.city import mini_map
    from tests.layouts import components, layout_json

    monkeypatch.setattr(urls, "MIN_ZOOM", urls.MIN_ZOOM + 1)
    maps = []
    for page in dash.page_registry.values():
        layout = page["layout"]
        args = {"city_id": "bologna-ita"} if "<city_id>" in (page.get("path_template") or "") else {}
        shown = layout(**args) if callable(layout) else layout
        maps += [c for c in components(layout_json(shown)) if c.get("type") == dl.Map.__name__]
    maps += [c for c in components(layout_json(mini_map(data.city("bologna-ita")))) if c.get("type") == dl.Map.__name__]
    assert {c["props"]["id"] for c in maps} >= {ids.MAP, ids.PRESENT_MAP, ids.CITY_MAP}
    assert all(c["props"].get("minZoom") == urls.MIN_ZOOM for c in maps), \
        {c["props"]["id"]: c["props"].get("minZoom") for c in maps}


def test_view_from_the_map_wraps_longitude_and_rounds(ctx):
    from dashboard.urls import View, view_from_map

    assert view_from_map(4.0, {"lat": 48.123, "lng": 370.0}) == View(4, 48.12, 10.0)
    assert view_from_map(3, [10, -190]) == View(3, 10.0, 170.0)
    assert view_from_map(None, None) == View()
    assert view_from_map("x", "y") == View()


def test_sync_from_the_url_changes_only_what_differs(ctx, store):
    from dashboard import data
    from dashboard.urls import MapState, View
    from dashboard.views.map_view import bounds, read_url as url_state, sync

    same = url_state(EXAMPLE)
    nothing = sync("url", same, EXAMPLE.replace("lat=48", "lat=48.00"))
    assert (nothing.filters, nothing.selection, nothing.city, nothing.focus, nothing.search) == (None,) * 5
    changes = sync("url", MapState(view=View(2, 0.0, 0.0)), EXAMPLE)
    assert changes.filters == same.filters and changes.selection.count == count(store, same.filters)
    assert changes.city == "bologna-ita"
    assert changes.focus == {"center": [48.0, 10.0], "zoom": 4, "animate": False}
    assert changes.search is None  # applying the URL never pushes a new history entry
    # an entry without a view: its city, else its selection fitted to the screen
    back_to_start = sync("url", same, "")
    assert back_to_start.filters == Filters() and back_to_start.city == ""
    points = data.city_points(Filters())
    extent = [min(p["lat"] for p in points), min(p["lon"] for p in points),
              max(p["lat"] for p in points), max(p["lon"] for p in points)]
    assert back_to_start.focus == {"bounds": bounds(extent), "animate": False}
    assert sync("url", same, "?city=medellin-col").focus["center"] == [6.245, -75.57151]


def test_reset_clears_filters_but_keeps_city_and_view(ctx, store):
    from dashboard.views.map_view import read_url as url_state, sync

    changes = sync("reset", url_state(EXAMPLE))
    assert changes.filters == Filters() and changes.selection.count == count(store)
    assert changes.search == "?city=bologna-ita&z=4&lat=48.00&lon=10.00"


def test_choosing_an_unknown_city_closes_the_panel(ctx):
    from dashboard.urls import MapState
    from dashboard.views.map_view import sync

    changes = sync("city", MapState(city="nowhere-xyz"))
    assert (changes.city, changes.search, changes.focus) == ("", "", None)


def browser_match(option: dict, typed: str) -> bool:
    """How the search box filters options: every typed word is part of a word of the label or search text."""
    words = (option["label"].lower() + " " + option["search"]).split()
    return all(any(token in word for word in words) for token in typed.lower().split())


@pytest.mark.parametrize("typed, expected", [
    ("medellin", "Medellín"), ("MEDELLÍN", "Medellín"), ("cornella", "Cornellà de Llobregat"),
    ("cornellà llob", "Cornellà de Llobregat"), ("  bologna ", "Bologna"),
])
def test_search_options_are_accent_and_case_insensitive(ctx, typed, expected):
    from dashboard.views.map_view import city_options

    found = [o for o in city_options() if browser_match(o, typed)]
    assert [o["label"].split(" (")[0] for o in found] == [expected]


def test_above_the_local_limit_the_server_searches(ctx, monkeypatch):
    import dataclasses

    from dashboard import config
    from dashboard.views.map_view import city_options, search_is_local

    few = dataclasses.replace(config.load(), local_search_max=10)
    monkeypatch.setattr(config, "load", lambda: few)
    assert not search_is_local()
    assert [o["value"] for o in city_options("medellin", None)] == ["medellin-col"]
    assert [o["value"] for o in city_options("cornellà", "bologna-ita")] == ["bologna-ita", "cornella-de-llobregat-esp"]
    assert city_options(None, None) == [] and city_options("  ", None) == []


def test_the_search_box_starts_with_the_chosen_city_only_and_gets_every_city_when_asked(ctx, store):
    """Indexing every city held up the map's start: the box starts with the chosen city's name, the
    full list comes when the visitor reaches for it (search_cities), and a city chosen on the map
    gives the box its name only while the box does not hold every city."""
    from dash import no_update

    import dashboard.pages.home as home
    from dashboard.views.map_view import Changes, MapState, chosen_option, sync

    assert chosen_option(None) == [] and chosen_option("no-such-city") == []
    assert [o["value"] for o in chosen_option("bologna-ita")] == ["bologna-ita"]
    dropdown = _find(home.layout(city="bologna-ita"), "city-search")
    assert [o["value"] for o in dropdown.options] == ["bologna-ita"]
    assert _find(home.layout(), "city-search").options == []
    assert len(home.search_cities({"local": True, "loaded": True}, None)) == count(store)
    chose = sync("city", MapState(Filters(), "medellin-col", urls.view_from_map(None, None)), None)
    assert isinstance(chose, Changes) and chose.city == "medellin-col"
    assert [o["value"] for o in home.render(chose)["search_options"]] == ["medellin-col"]
    assert home.render(chose, listed=True)["search_options"] is no_update


def _find(node, component_id):
    if getattr(node, "id", None) == component_id:
        return node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json") and (found := _find(child, component_id)) is not None:
            return found
    return None


def test_search_lists_every_city_once(ctx, store):
    from dashboard.views.map_view import city_options

    values = [o["value"] for o in city_options()]
    assert len(values) == len(set(values)) == count(store)
    assert not [o for o in city_options() if browser_match(o, "zzzzqqq")]


def test_panel_says_where_the_score_comes_from(ctx, store):
    from dashboard import data
    from dashboard.ui.city_panel import panel_body
    from dashboard.views.city_view import score
    from dashboard.vocabulary import tier_label

    rows = store.rows("SELECT c.id, s.psi_tier, s.psi_index, s.components_answered, c.respondent FROM cities c "
                      "JOIN city_scores s ON s.city_id = c.id ORDER BY c.id")
    estimated = next(r for r in rows if r["psi_tier"] != "unknown")
    missing = next(r for r in rows if r["psi_tier"] == "unknown")
    brochure_only = next(r for r in rows if not r["respondent"])

    city = data.city(estimated["id"])
    text = str(panel_body(city))
    words = next(c.children for c in panel_body(city) if "score" in (getattr(c, "className", None) or "").split())
    assert words == tier_label(city["psi_tier"], "estimate", city["psi_index"]) and words.endswith(" of 10 (estimate)")
    # the city page words the same tier the same way, its score shown apart
    assert words.startswith(score(city)["tier_text"].removesuffix(" (estimate)") + ", ")
    assert f"from {estimated['components_answered']} of 5 components" in text and "/about#method" in text
    assert f"/city/{estimated['id']}" in text and f"cities={estimated['id']}" in text

    text = str(panel_body(data.city(missing["id"])))
    assert "Innovation capacity: not published" in text and "too few for an estimate" in text
    assert "Survey participation not confirmed" in str(panel_body(data.city(brochure_only["id"])))
    assert "outside the current filters" in str(panel_body(data.city(estimated["id"]), in_selection=False))


def test_panel_text_is_never_html(ctx):
    from dashboard import data
    from dashboard.ui.city_panel import panel_body

    city = {**data.city("bologna-ita"), "name": "<img src=x onerror=alert(1)>"}
    title = panel_body(city)[0]
    assert title.children == "<img src=x onerror=alert(1)>"  # a text child: React escapes it


def test_summary_shares_match_independent_counts(ctx, store):
    from dashboard import data

    f = Filters(region=("europe",))
    stats = data.profile_facts(f)
    assert stats["cities"] == count(store, f)
    for fact in ("strategy", "funding", "team"):
        yes = count(store, Filters(region=("europe",), **{fact: ("yes",)}))
        no = count(store, Filters(region=("europe",), **{fact: ("no",)}))
        assert (stats["facts"][fact]["yes"], stats["facts"][fact]["no"]) == (yes, no)
    assert stats["scored"] == count(store, f) - count(store, Filters(region=("europe",), tier=("unknown",)))


def test_summary_block_shows_n_and_sources(ctx, store):
    from dashboard.ui.summary import selection_summary

    text = str(selection_summary(Filters(region=("europe",))))
    yes = count(store, Filters(region=("europe",), strategy=("yes",)))
    known = yes + count(store, Filters(region=("europe",), strategy=("no",)))
    assert f"Selection: {round(100 * yes / known)}% ({yes} of {known})" in text
    assert "/about#sources" in text and "The OECD has not published per-city scores" in text
