"""The map's first view (layers/firstmap.py, map_view.first_map, home.first_map): Leaflet's projection
and fitBounds zoom, the supercluster port on cases worked out by hand, the borders as Leaflet
simplifies them, and the served HTML drawing every city of the selection."""
from __future__ import annotations

import math
import re
from html import unescape

import pytest

from layers.firstmap import (Supercluster, border_paths, bounds_zoom, cluster_ring, cluster_size, js_round, layer_point,
                             project, simplify)
from dashboard.facets import Filters
from layers.style import RING_COLOR, TIER_ORDER
from tests.reference import count

# pixels per degree of longitude at zoom 2 (a 1,024-pixel world)
PX2 = 1024 / 360


def test_the_projection_is_leaflets_web_mercator():
    assert project(0, 0, 0) == pytest.approx((128, 128))
    assert project(0, 180, 1) == pytest.approx((512, 256))
    x, y = project(85.0511287798, -180, 3)  # Leaflet's corner of the square world
    assert x == pytest.approx(0) and y == pytest.approx(0, abs=1e-6)
    assert project(89.9, 0, 0) == project(85.0511287798, 0, 0)  # clamped as Leaflet clamps
    mercator = math.log(math.tan(math.pi / 4 + math.radians(51.5) / 2))
    assert project(51.5, -0.12, 4)[1] == pytest.approx(2 ** 4 * 256 * (0.5 - mercator / (2 * math.pi)), rel=1e-12)
    assert layer_point(0, 90, 2) == (768, 512)
    assert js_round(2.5) == 3 and js_round(-2.5) == -2  # Math.round, not Python's round


def test_fit_zoom_is_leaflets_get_bounds_zoom():
    world = [[-43.28664, -151.90028], [67.01236, 176.77557]]
    # read off Leaflet (dash-leaflet 1.1.3) in Chromium: the map's box on a desktop and on a phone
    assert bounds_zoom(world, 1056, 764, min_zoom=1, from_zoom=2) == 2
    assert bounds_zoom(world, 390, 636, min_zoom=1, from_zoom=2) == 1  # 0 below the map's minZoom
    assert bounds_zoom(world, 390, 636, min_zoom=0, from_zoom=2) == 0
    # a box 256 pixels wide at zoom 0 fills a 512-pixel container at zoom 1; Leaflet first rounds the
    # zoom to a hundredth, so a container up to 1% short still gets that zoom
    box = [[-10, -180], [10, 180]]
    assert bounds_zoom(box, 512, 2000) == 1 and bounds_zoom(box, 511, 2000) == 1
    assert bounds_zoom(box, 505, 2000) == 0 and bounds_zoom(box, 1023, 2000) == 1 + 1
    assert bounds_zoom(box, 1018, 2000) == 1 and bounds_zoom(box, 1021, 2000) == 2


def line(order: tuple[int, ...]) -> list[tuple[float, float]]:
    """Three cities on the equator 40 pixels apart at zoom 2 (the cluster radius is 46)."""
    points = [(0.0, 0.0), (40 / PX2, 0.0), (80 / PX2, 0.0)]
    return [points[i] for i in order]


def test_supercluster_merges_in_the_order_it_gets_the_points():
    index = Supercluster(radius=46, extent=256, max_zoom=9).load(line((0, 1, 2)))
    at3 = index.clusters(3)  # 80 and 160 pixels apart: three single cities
    assert sorted(c["count"] for c in at3) == [1, 1, 1]
    at2 = sorted(index.clusters(2), key=lambda c: c["lon"])
    # the first city takes the second (40 px); the third is 40 px from the second, already taken
    assert [c["count"] for c in at2] == [2, 1] and sorted(at2[0]["members"]) == [0, 1]
    assert at2[0]["lon"] == pytest.approx(20 / PX2) and at2[1]["lon"] == pytest.approx(80 / PX2)
    at1 = index.clusters(1)  # the pair (at 10 px) and the third (at 40 px) are 30 px apart
    assert [c["count"] for c in at1] == [3] and at1[0]["lon"] == pytest.approx(40 / PX2)
    # the same cities given the other way round: the third takes the second
    other = sorted(Supercluster(radius=46, extent=256, max_zoom=9).load(line((2, 1, 0))).clusters(2),
                   key=lambda c: c["lon"])
    assert [c["count"] for c in other] == [1, 2] and other[1]["lon"] == pytest.approx(60 / PX2)


def test_supercluster_options_and_zoom_limits():
    index = Supercluster(radius=46, extent=256, max_zoom=9, min_points=3).load(line((0, 1, 2)))
    assert sorted(c["count"] for c in index.clusters(2)) == [1, 1, 1]  # a pair is not enough
    many = Supercluster(radius=46, extent=256, max_zoom=9).load([(0.001 * i, 0.0) for i in range(50)])
    assert [c["count"] for c in many.clusters(9)] == [50]
    assert len(many.clusters(10)) == 50 == len(many.clusters(16))  # above maxZoom: every city alone
    assert many.clusters(0.7) == many.clusters(0) and many.limit_zoom(-3) == 0
    for zoom in range(0, 11):  # every city counted once at every zoom
        assert sum(c["count"] for c in many.clusters(zoom)) == 50


def test_supercluster_keeps_a_lone_point_where_it_was_loaded():
    index = Supercluster(radius=46, extent=256, max_zoom=9).load([(151.20732, -33.86785), (-58.37723, -34.61315)])
    lone = {c["members"]: c for c in index.clusters(2)}
    assert lone[(0,)]["lat"] == pytest.approx(-33.86785, abs=1e-4) and lone[(1,)]["lon"] == pytest.approx(-58.37723)


def test_cluster_icons_as_cluster_to_layer_draws_them():
    assert [cluster_size(n) for n in (2, 9, 10, 34, 1000)] == [32, 37, 37, 41, 51]
    ring, mix = cluster_ring({"high": 1, "low": 1}, TIER_ORDER, RING_COLOR)
    assert ring == "#0072B2 0.0deg 180.0deg,#E69F00 180.0deg 360.0deg" and mix == "high:1,low:1"
    ring, mix = cluster_ring({"unknown": 2, "high": 1}, TIER_ORDER, RING_COLOR)
    assert ring == "#0072B2 0.0deg 120.0deg,#a3a3a3 120.0deg 360.0deg" and mix == "high:1,unknown:2"
    # toFixed(1) rounds a half up (0.25 -> "0.3"), as JavaScript does
    assert cluster_ring({"high": 1, "low": 1439}, TIER_ORDER, RING_COLOR)[0].startswith("#0072B2 0.0deg 0.3deg")


def test_borders_are_simplified_as_leaflet_does():
    assert simplify([(0, 0), (1, 0), (2, 0), (10, 0)]) == [(0, 0), (10, 0)]
    assert simplify([(0, 0), (1, 0), (1, 1), (0, 1)]) == [(0, 0), (0, 1)]  # nothing farther than a pixel
    assert simplify([(0, 0), (1, 0), (1, 1), (0, 1)], 0) == [(0, 0), (1, 0), (1, 1), (0, 1)]
    assert simplify([(0, 0), (5, 0.5), (10, 0)]) == [(0, 0), (10, 0)]
    assert simplify([(0, 0), (5, 3), (10, 0)]) == [(0, 0), (5, 3), (10, 0)]
    square = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [
        [[0, 0], [90, 0], [90, -45], [0, -45], [0, 0]]]}}
    assert border_paths([square], 0) == ["M128 128L192 128L192 164L128 164z"]  # the closing point dropped
    assert border_paths([{"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}}], 0) == []


# ------------------------------------------------------------------------------------------ HTML

def drawn(page: str) -> dict[int, int]:
    """Cities the first view draws at each of its zooms: single markers plus cluster counts."""
    out = {}
    for zoom, body in re.findall(r'<div class="first-zoom" data-z="(\d+)" hidden>(.*?)</div>'
                                 r'(?=<div class="first-zoom|<p class="first-credit")',
                                 page, re.S):
        singles = len(re.findall(r'<circle class="city-marker ', body))
        clusters = sum(int(n) for n in re.findall(r"<span>(\d+)</span>", body))
        out[int(zoom)] = singles + clusters
    return out


def test_the_served_map_page_draws_every_city_of_its_selection(flask_client, store):
    for query, filters in (("", Filters()), ("?tier=high", Filters(tier=("high",))),
                           ("?region=europe", Filters(region=("europe",)))):
        page = flask_client.get("/" + query).get_data(as_text=True)
        assert '<div class="first-map map-first" aria-hidden="true" hidden' in page
        zooms = drawn(page)
        assert zooms and set(zooms.values()) == {count(store, filters)}, (query, zooms)
        # decorative: nothing in it can take the focus
        first = page.split('<div class="first-map map-first"', 1)[1].split("<script>", 1)[0]
        assert not re.search(r"<(a|button|input|select|textarea)\b|tabindex", first)
    # a view in the address: that zoom only
    page = flask_client.get("/?z=4&lat=48&lon=10").get_data(as_text=True)
    assert list(drawn(page)) == [4] and 'data-center="[48.0, 10.0]"' in page and "data-fit" not in page
    assert "data-sheet" not in page and "selected-city" not in page


def test_a_city_without_a_view_draws_the_selection_around_it_with_its_ring(flask_client, store):
    from dashboard.urls import CITY_ZOOM

    city = store.city("bologna-ita")
    page = flask_client.get("/?city=bologna-ita").get_data(as_text=True)
    assert drawn(page) == {CITY_ZOOM: count(store, Filters())}
    assert f'data-center="[{city["lat"]}, {city["lon"]}]"' in page and "data-fit" not in page
    # moved above a phone's bottom sheet by the page's one rule, written before the drawing's script
    assert 'data-sheet="1"' in page and page.index("window.atlasSheetShift=") < page.index('class="first-map map-first"')
    x, y = layer_point(city["lat"], city["lon"], CITY_ZOOM)
    assert f'<circle class="selected-city" cx="{x}" cy="{y}" r="15" fill="none"' in page
    # its name beside it, where Leaflet's permanent tooltip goes (its offset from the city), below the ring
    # as Leaflet's tooltip is below its SVG
    name = f'<div class="first-name selected" style="left:{x}px;top:{y}px;margin:0px 0 0 {14 + 6}px">Bologna</div>'
    assert name in page and page.index(name) < page.index('<circle class="selected-city"')
    # with a view the city is where the view puts it: no move, the ring still drawn
    page = flask_client.get("/?city=bologna-ita&z=5&lat=40&lon=10").get_data(as_text=True)
    assert list(drawn(page)) == [5] and "data-sheet" not in page and 'class="selected-city"' in page


def test_the_selected_citys_name_is_text_never_markup(request_ctx, monkeypatch):
    """A city's name comes from data: the first view writes it escaped, whatever it holds."""
    from dashboard import data, urls
    from dashboard.pages import home

    hostile = 'Bologna<script>alert(1)</script><img src=x onerror="alert(2)">&amp;'
    real = data.city
    monkeypatch.setattr(data, "city", lambda city_id: {**real(city_id), "name": hostile} if real(city_id) else None)
    html = home.first_map(urls.parse_map({"city": "bologna-ita"}))
    written = re.search(r'<div class="first-name selected" style="[^"]*">([^<]*)</div>', html)
    assert written and unescape(written[1]) == hostile
    assert "<script>alert" not in html and "<img" not in html


def test_an_empty_selection_draws_the_borders_alone_at_the_world_view(flask_client):
    from dashboard import ids
    from dashboard.views.map_view import WORLD_BOUNDS

    page = flask_client.get("/?country=USA&region=europe").get_data(as_text=True)
    zooms = drawn(page)
    assert zooms and set(zooms.values()) == {0} and 'class="first-borders"' in page
    assert f'data-fit="{WORLD_BOUNDS}"' in page and "0 cities shown" in page
    # it goes when Leaflet's borders appear (no markers will)
    assert f'data-done="#{ids.MAP} .leaflet-countries-pane path"' in page


def test_the_borders_file_of_a_zoom(flask_client):
    served = flask_client.get("/data/borders/2.svg?v=x")
    assert served.status_code == 200 and served.mimetype == "image/svg+xml"
    body = served.get_data(as_text=True)
    assert body.startswith('<svg xmlns="http://www.w3.org/2000/svg"><g id="b"><path d="M')
    assert "max-age" in served.headers["Cache-Control"] and served.headers.get("ETag")
    assert len(body) < 60_000  # simplified at a pixel: small enough to fetch beside the page
    assert flask_client.get("/data/borders/99.svg").status_code == 404
    assert flask_client.get("/data/borders/x.svg").status_code == 404
    page = flask_client.get("/").get_data(as_text=True)
    url = unescape(re.search(r'data-borders="([^"]+)"', page)[1])
    assert url.startswith("/data/borders/{z}.svg?v=") and url.endswith("#b")
    # the drawing's address names the borders' own version (as the GeoJSON's does), so it is kept a year
    from dashboard import data

    assert url == f"/data/borders/{{z}}.svg?v={data.borders_version()}#b"
    current = flask_client.get(url.replace("{z}", "2").removesuffix("#b")).headers["Cache-Control"]
    assert "immutable" in current and "max-age=31536000" in current
    assert "immutable" not in served.headers["Cache-Control"]  # an old or unknown version: briefly


def test_only_large_selections_draw_no_first_view(request_ctx, monkeypatch):
    from dashboard import urls
    from dashboard.urls import CITY_ZOOM
    from dashboard.views import map_view

    state = map_view.read_url({})
    assert map_view.first_map(state) is not None
    monkeypatch.setattr(map_view, "FIRST_VIEW_MAX", 10)  # the page's first byte would wait for the clustering
    assert map_view.first_map(state) is None
    monkeypatch.undo()
    city = map_view.data.city(map_view.data.city_index()[0]["id"])
    # a city without a view: the selection at the city's zoom around it, moved above a phone's sheet
    shown = map_view.first_map(urls.parse_map({"city": city["id"]}))
    assert shown.layers.keys() == {CITY_ZOOM} and shown.fit is None and shown.above_sheet
    assert shown.center == [city["lat"], city["lon"]] and shown.zoom == CITY_ZOOM
    assert shown.selected == {CITY_ZOOM: layer_point(city["lat"], city["lon"], CITY_ZOOM)}
    with_view = map_view.first_map(urls.parse_map({"city": city["id"], "z": "5", "lat": "10", "lon": "10"}))
    assert with_view.layers.keys() == {5} and not with_view.above_sheet and with_view.selected.keys() == {5}
    # an empty selection: no markers, at the world's bounds as the page fits them
    for query in ({"country": "USA", "region": "europe"}, {"wave": "2018", "region": "oceania", "country": "USA"}):
        empty = map_view.first_map(urls.parse_map(query))
        assert empty.count == 0 and empty.fit == map_view.WORLD_BOUNDS and not empty.above_sheet
        assert empty.layers and set(empty.layers.values()) == {((), ())}
    # a country no city has is not a filter (data.known_filters): every city is drawn
    assert map_view.first_map(urls.parse_map({"country": "ZZZ"})).count == map_view.first_map(urls.parse_map({})).count


def _map_page_place(layout) -> dict:
    """The props of the map page's box (``.map-page``) in a layout, as the browser gets them."""
    import json

    import plotly

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("className") == "map-page":
                return props
            for value in node.values():
                found = walk(value)
                if found:
                    return found
        elif isinstance(node, list):
            for value in node:
                found = walk(value)
                if found:
                    return found
        return None
    return walk(json.loads(json.dumps(layout, cls=plotly.utils.PlotlyJSONEncoder)))


def test_leaflet_waits_for_the_visitor_while_the_first_view_is_on_the_page(request_ctx, flask_client, monkeypatch):
    """The map page loads Leaflet when the visitor first uses it (data-on-use), while the first
    view's drawing stands for the map (data-on-use-drawing); its HTML has one for a city without a
    view and an empty selection too, and none above FIRST_VIEW_MAX (where the page loads it at once)."""
    from dashboard import ids
    from dashboard.pages import home
    from dashboard.views import map_view

    place = _map_page_place(home.layout())
    assert place["data-on-use"] == "dash_leaflet" and place["data-on-use-store"] == ids.MAP_LIVE
    assert place["data-on-use-drawing"] == ".first-map"
    for query in ("", "?city=bologna-ita", "?country=USA&region=europe", "?country=ZZZ"):
        assert 'class="first-map map-first"' in flask_client.get("/" + query).get_data(as_text=True), query
    monkeypatch.setattr(map_view, "FIRST_VIEW_MAX", 10)
    assert 'class="first-map map-first"' not in flask_client.get("/").get_data(as_text=True)
