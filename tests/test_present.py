"""The presentation's source (data/slides.csv: validated by the build), its slides built from the store,
and the URL codec's slide / embed / chart parameters."""
from __future__ import annotations

import csv
import io

import pytest

from dashboard import urls
from dashboard.store import build
from dashboard.store.sources import BuildError, read_sources

HEADER = "number,kind,subject,finding,chart,cities,filters,notes\n"


def _slides(data_copy, *rows: str) -> list:
    """The problems of data/ with slides.csv holding only ``rows`` (line 2 on)."""
    (data_copy / "slides.csv").write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    _data, problems = read_sources(data_copy)
    return [p for p in problems if p.file == "slides.csv"]


def test_the_shipped_slides_are_valid(data_copy):
    _data, problems = read_sources(data_copy)
    assert problems == []
    rows = list(csv.DictReader(io.StringIO((data_copy / "slides.csv").read_text(encoding="utf-8"))))
    assert 12 <= len(rows) <= 16


@pytest.mark.parametrize("row, column, says", [
    ("1,city,no-such-city-zzz,,,,,", "subject", "'no-such-city-zzz' is not known for a city slide"),
    ("1,component,strategy,f01,,no-such-city-zzz,,", "cities", "refers to city id 'no-such-city-zzz'"),
    ("1,chart,,,f999,,,", "chart", "'f999' is not a chart key"),
    ("1,chart,,,wellbeing-nothing,,,", "chart", "not a chart key"),
    ("1,chart,,,f36,,,", "chart", "is not charted"),  # an ambiguous finding: printed, never drawn
    ("1,chart,,,,,,", "chart", "a chart slide needs a chart"),
    ("1,component,strategy,,,,,", "finding", "must come from a source"),  # a share without its source
    ("1,component,strategy,f999,,,,", "finding", "would have no source"),
    ("1,component,leadership,f01,,,,", "subject", "'leadership' is not known for a component slide"),
    ("1,recommendations,,,,,,", "subject", "a recommendations slide needs one"),
    ("1,title,bologna-ita,,,,,", "subject", "a title slide has no subject"),
    ("1,covid,,,,,tier=excellent,", "filters", "'excellent' is not a value of tier"),
    ("1,covid,,,,,mood=happy,", "filters", "'mood=happy' is not a filter"),
    ("1,poster,,,,,,", "kind", "is not an allowed value"),
    ("99,title,,,,,,", "number", "out of range"),
])
def test_a_bad_slide_is_a_build_error_with_file_line_and_fix(data_copy, row, column, says):
    problems = _slides(data_copy, "1,title,,,,,,", row.replace("1,", "2,", 1) if row.startswith("1,") else row)
    assert problems, row
    p = problems[0]
    assert (p.file, p.line, p.column) == ("slides.csv", 3, column)
    assert says in p.message and p.fix
    assert str(p).startswith("slides.csv:3: column ")


def test_a_repeated_slide_number_is_refused(data_copy):
    problems = _slides(data_copy, "1,title,,,,,,", "1,explore,,,,,,")
    assert [(p.line, p.column) for p in problems] == [(3, "number")]


def test_a_recommendations_layer_without_rows_has_no_source(data_copy):
    rec = data_copy / "recommendations.csv"
    kept = [line for line in rec.read_text(encoding="utf-8").splitlines(keepends=True) if ",tools," not in line]
    rec.write_text("".join(kept), encoding="utf-8")
    problems = _slides(data_copy, "1,recommendations,tools,,,,,")
    assert len(problems) == 1 and "no source" in problems[0].message


def test_an_invalid_slides_file_leaves_the_store_as_it_was(data_copy, tmp_path):
    db = tmp_path / "atlas.duckdb"
    build(data_copy, db)
    before = db.read_bytes()
    (data_copy / "slides.csv").write_text(HEADER + "1,city,atlantis-xxx,,,,,\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(data_copy, db)
    assert "slides.csv:2: column 'subject'" in str(err.value) and "Fix:" in str(err.value)
    assert db.read_bytes() == before


# ------------------------------------------------------------------ slides from the store

@pytest.fixture()
def present(request_ctx):
    from dashboard.views import present_view

    return present_view


def test_every_slide_is_built_from_its_row_and_the_store(present):
    from dashboard import data

    rows = data.slides()
    slides = present.slides()
    assert [s.number for s in slides] == list(range(1, len(rows) + 1))
    assert [s.kind for s in slides] == [r["kind"] for r in rows]
    for s in slides:
        assert s.title and s.explore.startswith("/")
        for line in s.lines:  # every figure with its source, or the atlas's own count
            assert line["source"] is None or line["source"]["url"].startswith("http")


def test_a_component_slide_shows_its_finding_with_its_source_and_highlights_the_selection(present):
    from dashboard import data
    from dashboard.facets import Filters

    row = next(r for r in data.slides() if r["kind"] == "component" and r["finding"] == "f01")
    finding = next(f for f in data.findings()["findings"] if f["id"] == "f01")
    s = present.slide(row, 4)
    assert "49.7" in s.lead
    assert any(line["source"] and line["source"]["url"] == finding["source_url"] for line in s.lines)
    selected = {r["id"] for r in data.city_rows(urls.from_query(row["filters"]))}
    ids = [p["id"] for p in s.highlight]  # the selection and the example city, each once
    assert len(ids) == len(set(ids)) and set(ids) == selected | {"las-vegas-usa"}
    assert [p["name"] for p in s.highlight if p["named"]] == ["Las Vegas"]
    assert s.explore == urls.map_url(Filters({"strategy": ["yes"]}), "las-vegas-usa")
    assert "bounds" in s.view  # the selection is fitted, not one city


def test_a_city_slide_flies_to_the_city_and_shows_it_big(present):
    s = present.city_spotlight("helsingborg-swe")
    assert s.title == "Helsingborg" and s.view["center"] == [56.0467, 12.6944]
    assert s.city["spotlight"]["title"] == "Helsingborg rewards an instructive 'Failure of the Year'"
    assert s.city["score"]["tier_text"] and len(s.highlight) == 1
    assert present.city_spotlight("no-such-city-zzz") is None


def test_recommendation_slides_name_the_brochure_example_cities(present):
    from dashboard import data

    row = next(r for r in data.slides() if r["kind"] == "recommendations" and r["subject"] == "components")
    s = present.slide(row, 10)
    text = " ".join(line["text"] for line in s.lines)
    assert "Hillsboro's 'Eureka!' teams" in text and "Las Vegas" in text
    assert {p["name"] for p in s.highlight} >= {"Hillsboro", "Las Vegas", "Curridabat"}


def test_a_chart_slide_draws_the_findings_page_chart_larger(present):
    from dashboard import data
    from dashboard.views import findings_view

    chart = next(c for c in findings_view.finding_charts(data.findings()["findings"])
                 if any(r["id"] == "f19" for r in c.rows))
    page = findings_view.finding_figure(chart)
    drawn = present.chart_figure("f19")[0]
    assert [t["x"] for t in drawn["data"]] == [t["x"] for t in page["data"]]  # the same values
    assert present.big_figure(drawn)["layout"]["font"]["size"] == present.CHART_FONT
    assert present.chart_figure("f36") is None  # ambiguous: never drawn


# ------------------------------------------------------------------ the URL codec

@pytest.mark.parametrize("raw, n", [("4", 4), ("1", 1), ("15", 15), ("99", 15), ("0", 1), ("-3", 1), ("4.0", 4),
                                    ("4.5", 1), ("abc", 1), ("", 1), (None, 1), ("1e400", 1), ("nan", 1)])
def test_slide_numbers_clamp_and_malformed_ones_open_the_first(raw, n):
    assert urls.slide_number(raw, 15) == n


def test_present_and_embed_addresses(request_ctx):
    assert urls.present_url(4) == "/present?slide=4"
    assert urls.present_url(city="bologna-ita") == "/present?city=bologna-ita"
    assert urls.present_url(city="<script>") == "/present"
    assert urls.parameters("?slide=3&embed=1&chart=f19&x=1") == {"slide": "3", "embed": "1", "chart": "f19"}
    assert urls.is_embed("?embed=1") and not urls.is_embed("?embed=yes") and not urls.is_embed("")
    assert urls.embed_url("/", "z=4&region=europe&embed=1") == "/?region=europe&z=4&embed=1"
    assert urls.full_url("/", "region=europe&embed=1&lang=fr") == "/?region=europe&lang=fr"
    assert urls.findings_url(chart="F19", embed=True) == "/findings?chart=f19&embed=1"
    assert urls.chart_key("<img>") is None
    assert [urls.embeddable(p) for p in ("/", "/city/bologna-ita", "/compare", "/findings", "/table", "/present")] == \
        [True, True, True, True, False, False]


def test_a_presentation_without_slides_says_so(request_ctx, monkeypatch):
    from dashboard.pages import present
    from dashboard.views import present_view

    monkeypatch.setattr(present_view, "slides", lambda: [])
    assert "There are no slides." in str(present.layout(slide="3"))


def test_the_embed_code_is_the_views_embed_form_with_its_title_as_text(request_ctx):
    from dashboard.ui.share import embed_code

    code = embed_code('Bologna" onload="alert(1)<script>', "/city/bologna-ita?lang=fr", 720)
    assert code == ('<iframe src="http://localhost/city/bologna-ita?embed=1&amp;lang=fr" '
                    'title="City Innovation Atlas: Bologna&quot; onload=&quot;alert(1)&lt;script&gt;" width="100%" '
                    'height="720" style="border:0" loading="lazy"></iframe>')


# ------------------------------------------------------------------ the first view's drawing of the map

def test_a_slides_map_is_drawn_in_the_page_with_its_cities_ringed_and_named(flask_client, present):
    """The page's first HTML draws the slide's map: every city at each zoom its fit may give (quarter steps,
    the room for the names left free), the slide's cities ringed at their places and the named ones named;
    Leaflet is not in the page, and the map's box in the first paint is empty (the drawing goes above it)."""
    import re

    from dashboard import data
    from dashboard.facets import Filters
    from layers.firstmap import layer_point
    from tests.test_first_view import drawn

    n = next(s.number for s in present.slides() if len(s.highlight) > 1 and any(p["named"] for p in s.highlight))
    slide = present.slides()[n - 1]
    page = flask_client.get(f"/present?slide={n}").get_data(as_text=True)
    drawing = re.search(r'<div class="first-map present-first" aria-hidden="true" hidden[^>]*>', page)[0]
    assert 'data-snap="0.25"' in drawing and 'data-pad="[[20, 20], [180, 20], 0.25]"' in drawing
    assert 'data-done="#present-map .leaflet-marker-pane .atlas-cluster, #present-map path.city-marker"' in drawing
    zooms = drawn(page)
    assert zooms and set(zooms.values()) == {data.selection(Filters())["count"]}  # every city, at each zoom
    for zoom in zooms:
        layer = page.split(f'data-z="{zoom}"', 1)[1].split('<div class="first-zoom"', 1)[0]
        rings = re.findall(r'<circle class="first-ring" cx="(\d+)" cy="(\d+)" r="(\d+)"', layer)
        assert sorted((int(x), int(y)) for x, y, _r in rings) == sorted(
            layer_point(p["lat"], p["lon"], zoom) for p in slide.highlight)
        names = re.findall(r'<div class="first-name highlight" [^>]*>([^<]*)</div>', layer)
        assert sorted(names) == sorted(p["name"] for p in slide.highlight if p["named"])
    assert '<div class="present-map" aria-label="Map of the slide&#x27;s cities"></div>' in page
    assert not re.search(r'<script[^>]+src="[^"]*/dash_leaflet/', page)  # Leaflet loads on use


def test_a_citys_spotlight_is_drawn_at_the_citys_zoom_around_it(flask_client, present):
    import re

    from layers.firstmap import layer_point
    from tests.test_first_view import drawn

    page = flask_client.get("/present?city=bologna-ita").get_data(as_text=True)
    bologna = present.city_spotlight("bologna-ita").highlight[0]
    assert list(drawn(page)) == [present.CITY_ZOOM] and "data-fit" not in page and "data-pad" in page
    x, y = layer_point(bologna["lat"], bologna["lon"], present.CITY_ZOOM)
    assert f'<circle class="first-ring" cx="{x}" cy="{y}" r="13" fill="#111418" fill-opacity="0.25"' in page
    assert re.findall(r'<div class="first-name highlight" [^>]*>([^<]*)</div>', page) == ["Bologna"]


def test_the_drawings_names_are_text_never_markup(request_ctx):
    from html import unescape

    from dashboard.ui.first_map import drawing
    from dashboard.views.map_view import FirstMap

    hostile = 'Bologna<script>alert(1)</script><img src=x onerror="alert(2)">&amp;'
    html = drawing(FirstMap(1, {2: ((), ())}, center=[0, 0], zoom=2, highlight={2: ((10, 20, hostile), (30, 40, None))}),
                   "present-map", ".present-map", "present-first", hostile)
    assert "<script>alert" not in html and "<img" not in html
    assert [unescape(t) for t in __import__("re").findall(r'<div class="first-name highlight" [^>]*>([^<]*)</div>',
                                                         html)] == [hostile]
    assert unescape(html.split('<p class="first-credit">', 1)[1].split("</p>", 1)[0]) == hostile
    assert html.count('class="first-ring"') == 2  # the unnamed city ringed too, without a name


def test_a_fit_in_quarter_steps_with_room_for_the_names_is_one_of_the_zooms_drawn(present):
    """The zoom the browser's fit gives a slide's bounds in a map box from a phone's to a full-HD projector's,
    less the room kept free (Leaflet's getBoundsZoom at zoomSnap 0.25), falls on a zoom the drawing has."""
    import math

    from dashboard.views.map_view import first_zooms
    from layers.firstmap import bounds_zoom

    for slide in present.slides():
        fit = slide.view.get("bounds")
        if not fit:
            continue
        zooms = first_zooms(fit, 2, present.FIT_PADDING, present.ZOOM_SNAP)
        (left, top), (right, bottom), share = present.FIT_PADDING
        for w, h in ((390, 287), (656, 800), (921, 1033)):
            z = bounds_zoom(fit, w - left - min(right, w * share), h - top - bottom, 1, from_zoom=2, snap=0.25)
            assert z * 4 == int(z * 4) and math.floor(z) in zooms, (slide.number, w, h, z, zooms)


def test_get_bounds_zoom_at_a_zoom_snap():
    """Leaflet's rule: the scale's zoom, on a snap level when within 1 % of it, else the snap level below."""
    from layers.firstmap import TILE, bounds_zoom

    band = [[-1, -180], [1, 180]]  # the world's width: TILE pixels at zoom 0
    assert bounds_zoom(band, TILE * 2 ** 1.6, 5000, snap=0.25) == 1.5
    assert bounds_zoom(band, TILE * 2 ** 1.749, 5000, snap=0.25) == 1.75  # within 1 % of a step
    assert bounds_zoom(band, TILE * 2 ** 1.74, 5000, snap=0.25) == 1.5
    assert bounds_zoom(band, TILE * 2 ** 1.6, 5000) == 1 and isinstance(bounds_zoom(band, 600, 600), int)


def test_a_citys_country_is_named_in_the_pages_language():
    import app as app_module
    from dashboard.views import present_view

    with app_module.server.test_request_context("/present?lang=fr"):
        assert present_view.city_spotlight("bologna-ita").city["country"] == "Italie"
        example = next(s for s in present_view.slides() if s.kind == "component" and "Las Vegas" in s.lines[1]["text"])
        assert example.lines[1]["text"] == "Exemple\u202f: Las Vegas (États-Unis)"
