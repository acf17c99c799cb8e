"""HTTP behaviour of the app, in-process."""
from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import DATA, ROOT, free_port
from tests.layouts import expanded, layout_text
from tests.reference import count


def test_home_answers_200(flask_client):
    r = flask_client.get("/")
    assert r.status_code == 200 and b"City Innovation Atlas" in r.data


def test_unknown_page_is_404(flask_client):
    assert flask_client.get("/no-such-page").status_code == 404
    assert flask_client.get("/about").status_code == 200


def test_countries_geojson_is_served_compressed_and_cacheable(flask_client):
    r = flask_client.get("/data/countries.geojson", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    assert "public" in r.headers["Cache-Control"] and r.headers["ETag"]  # (lifetimes: test_cache_lifetimes)
    geo = json.loads(gzip.decompress(r.data))
    assert len(geo["features"]) > 150
    again = flask_client.get("/data/countries.geojson",
                             headers={"If-None-Match": r.headers["ETag"], "Accept-Encoding": "gzip"})
    assert again.status_code == 304


def test_countries_are_served_with_every_border_and_no_properties(flask_client):
    source = json.loads((DATA / "countries.geojson").read_bytes())
    served = flask_client.get("/data/countries.geojson")
    geo = json.loads(served.data)
    assert [f["geometry"] for f in geo["features"]] == [f["geometry"] for f in source["features"]]
    assert all(f["properties"] == {} for f in geo["features"])
    assert len(served.data) < 0.85 * (DATA / "countries.geojson").stat().st_size


def test_country_names_come_with_the_borders_inside_their_country(flask_client):
    """Each country's name has a point on its own land (the map writes the names there), largest first."""
    from tests.conftest import DATA

    source = {f["properties"]["name"]: f["geometry"] for f in json.loads((DATA / "countries.geojson").read_bytes())["features"]}
    labels = json.loads(flask_client.get("/data/countries.geojson").data)["labels"]
    assert sorted(name for name, *_ in labels) == sorted(source)
    assert labels[0][0] == "Russia" and [row[3] for row in labels] == sorted(row[3] for row in labels)
    assert {row[0]: row[4] for row in labels}["Italy"] == "ITA"  # the code names it in the page's language
    for name, lat, lon, zoom, _iso3 in labels:
        geometry = source[name]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        inside = 0
        for poly in polygons:  # even-odd rule along the label's latitude
            ring = poly[0]
            inside += sum(1 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])
                          if ((y0 <= lat < y1) or (y1 <= lat < y0)) and x0 + (lat - y0) * (x1 - x0) / (y1 - y0) > lon)
        assert inside % 2 == 1, name
    by_name = {name: zoom for name, _, _, zoom, _ in labels}
    assert by_name["Canada"] == 2 and by_name["Italy"] == 3 and by_name["Luxembourg"] >= 4


def test_the_first_paint_is_the_atlas_not_dash_loading(flask_client):
    page = flask_client.get("/").get_data(as_text=True)
    assert "Loading..." not in page
    entry = page.split('<div id="react-entry-point">', 1)[1]
    assert entry.index("City Innovation Atlas") < entry.index("Loading the atlas") < entry.index("</main>")


def _page_text(flask_client, path: str) -> str:
    """The rendered layout of a page, as JSON text (what Dash sends the browser)."""
    import dash

    from dashboard.i18n import _  # noqa: F401  (request-bound translation)

    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    import app as app_module

    with app_module.server.test_request_context(path):
        layout = page["layout"]()
        return layout_text(layout)


def test_about_lists_every_source_and_the_method(flask_client, store):
    text = _page_text(flask_client, "/about")
    for row in store.source_urls():
        assert row["source_url"] in text
    for needed in ("GeoNames", "CC BY 4.0", "Natural Earth", "without prejudice to the status",
                   "Outcome evaluation", "estimate", "Jerusalem"):
        assert needed in text


def test_home_layout_shows_count_and_filters(flask_client, store):
    text = _page_text(flask_client, "/")
    assert f'"children": "{count(store)} cities shown", "id": "selection-count"' in text
    assert "Europe (" in text


@pytest.mark.parametrize("path", ["/healthz"])
def test_health(flask_client, path):
    assert flask_client.get(path).get_json()["status"] == "ok"


def test_python_app_py_builds_a_missing_store_and_serves(tmp_path):
    """`python app.py` on a fresh checkout: no store yet, PORT overrides 8050."""
    import time
    import urllib.request

    port, db = free_port(), tmp_path / "fresh" / "atlas.duckdb"
    env = {**os.environ, "PORT": str(port), "ATLAS_DB": str(db), "ATLAS_AUTO_BUILD": "1"}
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and status is None:
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).status
            except OSError:
                time.sleep(0.3)
        assert status == 200
        assert db.is_file()
    finally:
        proc.terminate()
        proc.wait(10)


def _find(node, pred):
    """Every component of a Dash layout (as plotly JSON) for which ``pred`` holds."""
    if isinstance(node, dict):
        if pred(node):
            yield node
        for value in node.values():
            yield from _find(value, pred)
    elif isinstance(node, list):
        for value in node:
            yield from _find(value, pred)


def test_about_cites_the_brochure_beside_the_index_ranges(flask_client):
    import csv

    import app as app_module
    from dashboard.pages.about import method_section

    with (DATA / "recommendations.csv").open(encoding="utf-8") as fh:
        brochure = {r["source_url"] for r in csv.DictReader(fh)}
    assert len(brochure) == 1  # the project cites the brochure by this one address
    with app_module.server.test_request_context("/about"):
        section = json.loads(json.dumps(method_section().to_plotly_json(),
                                        cls=__import__("plotly").utils.PlotlyJSONEncoder))
    ranges = [n for n in _find(section, lambda n: n.get("type") == "P")
              if "from 0 to 10" in json.dumps(n) and "from 0 to 38" in json.dumps(n)]
    assert len(ranges) == 1
    links = [n["props"]["href"] for n in _find(ranges[0], lambda n: n.get("type") == "A")]
    assert links == list(brochure)


def test_the_licence_file_is_served_and_linked(flask_client):
    served = flask_client.get("/LICENSE")
    assert served.status_code == 200 and served.mimetype == "text/plain"
    text = served.get_data(as_text=True)
    assert text == (ROOT / "LICENSE").read_text(encoding="utf-8")
    for needed in ("MIT", "CC BY 4.0", "(c) OECD", "owner of", "GeoNames", "Natural Earth", "Public domain"):
        assert needed in text, needed
    assert '"href": "/LICENSE"' in _page_text(flask_client, "/about")
    assert "](LICENSE)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_city_pages_answer_200_and_unknown_cities_404(flask_client):
    assert flask_client.get("/city/bologna-ita").status_code == 200
    assert flask_client.get("/city/no-such-city").status_code == 404
    assert flask_client.get("/city/bologna-ita/more").status_code == 404


def test_city_layout_cites_its_sources(flask_client, store):
    import dash

    import app as app_module

    page = next(p for p in dash.page_registry.values() if p.get("path_template") == "/city/<city_id>")
    city = store.city("bologna-ita")
    with app_module.server.test_request_context("/city/bologna-ita"):
        text = json.dumps(page["layout"](city_id="bologna-ita").to_plotly_json(),
                          cls=__import__("plotly").utils.PlotlyJSONEncoder)
        missing = json.dumps(page["layout"](city_id="no-such-city").to_plotly_json(),
                             cls=__import__("plotly").utils.PlotlyJSONEncoder)
    assert "Bologna" in text and "not an OECD score" in text and "/about#method" in text
    # Bologna's data-use answers are not published in full: said beside the criteria, never scored 0
    assert "not counted</strong>)" in text and "0 of 2 points" not in text
    for url in [city["profile"]["profile_url"], "https://www.geonames.org/3181928"] + [
            r["source_url"] for r in city["covid_responses"] + city["case_studies"]]:
        assert url in text
    assert "City not found" in missing and '"id": "city-lookup"' in missing


GRID_SCRIPT = "/dash_ag_grid/"  # (its bundle loads chunks: at its folder's versioned address)


@pytest.mark.parametrize("path", ["/", "/city/bologna-ita", "/findings", "/compare", "/about", "/no-such-page"])
def test_pages_without_the_grid_leave_its_script_out(flask_client, path):
    assert not re.search(r"<script\b[^>]*" + GRID_SCRIPT, flask_client.get(path).get_data(as_text=True))


@pytest.mark.parametrize("path", ["/", "/table", "/city/bologna-ita", "/findings", "/compare", "/about"])
def test_no_page_loads_the_unused_datatable_and_dash_extensions_scripts(flask_client, path):
    html = flask_client.get(path).get_data(as_text=True)
    assert "/dash_table/" not in html and "/_dash-component-suites/dash_extensions/" not in html
    assert "/dash/dcc/dash_core_components" in html


def test_the_table_page_loads_the_grid_script_on_use_only(flask_client):
    """The table page has no script tag for the grid: its addresses (versioned, with the chunk the
    grid asks for at once) are in the page's client config, for assets/atlas_on_use.js."""
    html = flask_client.get("/table?region=europe").get_data(as_text=True)
    assert not re.search(r"<script\b[^>]*dash_ag_grid", html) and not LEAFLET_TAG.search(html)
    config = json.loads(re.search(r'<script id="atlas-client" type="application/json">(.*?)</script>', html)[1])
    grid = config["onUse"]["dash_ag_grid"]
    assert len(grid["scripts"]) == 1 and re.fullmatch(r"/bundles/[0-9a-f]{16}/dash_ag_grid/dash_ag_grid\.min\.js",
                                                      grid["scripts"][0])
    assert grid["chunks"] == [grid["scripts"][0].replace("dash_ag_grid.min.js", "async-community.js")]
    assert flask_client.get(grid["scripts"][0]).status_code == 200
    assert flask_client.get(grid["chunks"][0]).status_code == 200
    # the place that loads it; other pages can load it too (a link may lead to the table) but hold no such place
    assert 'data-on-use="dash_ag_grid"' in html
    other = flask_client.get("/compare").get_data(as_text=True)
    assert '"dash_ag_grid":{"scripts"' in other and "data-on-use" not in other


LEAFLET_SCRIPT = "/dash_leaflet/dash_leaflet"
LEAFLET_TAG = re.compile(r'<script[^>]+src="[^"]*' + LEAFLET_SCRIPT)  # a script the page loads with itself


def _client_config(page: str) -> dict:
    return json.loads(re.search(r'<script id="atlas-client" type="application/json">(.*?)</script>', page).group(1))


@pytest.mark.parametrize("path", ["/", "/city/bologna-ita", "/present", "/present?city=bologna-ita"])
def test_pages_with_a_map_name_leaflet_for_their_script_to_load_on_use(flask_client, path):
    """The map page's and the presentation's first views and the city page's top show without Leaflet: it
    is not a script of the page, but its addresses are in the page's config (the same on every page), and
    the map page and the presentation mark the place whose use loads it."""
    page = flask_client.get(path).get_data(as_text=True)
    assert not LEAFLET_TAG.search(page)
    later = _client_config(page)["onUse"]["dash_leaflet"]
    assert later["scripts"] and any(LEAFLET_SCRIPT in src for src in later["scripts"])
    for src in later["scripts"]:
        response = flask_client.get(src)
        assert response.status_code == 200 and "javascript" in response.mimetype
    # any other page can load it on use (a link may lead to a city)
    findings = flask_client.get("/findings").get_data(as_text=True)
    assert _client_config(findings)["onUse"]["dash_leaflet"] == later


@pytest.mark.parametrize("path", ["/findings", "/compare?cities=bologna-ita,paris-fra", "/table", "/about",
                                  "/self-assessment", "/no-such-page"])
def test_pages_without_a_map_leave_leaflet_out(flask_client, path):
    assert not LEAFLET_TAG.search(flask_client.get(path).get_data(as_text=True))


# a representative call of every page's layout, by path or path template
LAYOUT_ARGS = {"/": {}, "/table": {}, "/city/<city_id>": {"city_id": "bologna-ita"},
               "/compare": {"cities": "bologna-ita,paris-fra"}, "/findings": {}, "/about": {}, "/404": {},
               "/present": {"slide": "3"},
               "/self-assessment": {"name": "Lyon", "nation": "FRA", "explicit": "yes", "iteam": "yes",
                                    "roles": "designer", "budget": "no"}}


def _components(node):
    """Every component (as JSON: type, namespace, props) in a rendered layout, its static parts
    as the elements they hold."""
    yield from _walk(expanded(node))


def _walk(node):
    if isinstance(node, dict):
        if "namespace" in node and "props" in node:
            yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_on_demand_libraries_are_listed_by_every_page_that_renders_them(flask_client):
    """A page rendering a component of an on-demand library lists it, and its dcc.Links
    lead only to pages loading the same on-demand libraries (in-document navigation
    cannot load a script the first page left out)."""
    import dash
    import plotly

    import app as app_module

    def on_demand(page) -> set[str]:
        # loaded when the page is used (``on_use``)
        return set(page.get("on_use", {})) & set(app_module.ON_DEMAND_LIBRARIES)

    pages = list(dash.page_registry.values())
    assert {p.get("path_template") or p["path"] for p in pages} == set(LAYOUT_ARGS)
    for page in pages:
        key = page.get("path_template") or page["path"]
        with app_module.server.test_request_context(key):
            layout = json.loads(json.dumps(page["layout"](**LAYOUT_ARGS[key]), cls=plotly.utils.PlotlyJSONEncoder))
        components = list(_components(layout))
        rendered = {c["namespace"] for c in components} & set(app_module.ON_DEMAND_LIBRARIES)
        assert rendered <= on_demand(page), key
        for link in (c for c in components if c["type"] == "Link"):
            target = app_module.page_for(link["props"]["href"].split("?")[0].split("#")[0])
            assert target is not None and on_demand(target) == on_demand(page), (key, link["props"]["href"])
    assert {p.get("path_template") or p["path"] for p in pages if on_demand(p)} == {"/", "/city/<city_id>", "/present", "/table"}
    # the table's grid is drawn by a callback once its library has loaded on use (app.py on_use)
    assert {p.get("path_template") or p["path"]: set(p["on_use"]) for p in pages if p.get("on_use")} == {
        "/table": {"dash_ag_grid"}, "/city/<city_id>": {"dash_leaflet"}, "/": {"dash_leaflet"},
        "/present": {"dash_leaflet"}}
    assert all(set(p.get("on_use", ())) <= set(app_module.ON_DEMAND_LIBRARIES) for p in pages)


def test_the_favicon_is_the_atlas_pin_not_dashs_default(flask_client):
    html = flask_client.get("/").get_data(as_text=True)
    href = re.search(r'<link rel="icon"[^>]*href="([^"]+)"', html).group(1)
    assert href.startswith("/assets/favicon.ico?")
    icon = flask_client.get(href)
    assert icon.status_code == 200 and icon.data[:4] == b"\0\0\1\0" and len(icon.data) < 1024


def test_dash_is_set_up_before_the_first_request(app_env):
    """Dash collects its callbacks on the first request, not thread-safely: the app does it at
    start-up, so a threaded worker's first concurrent requests all find their callback."""
    code = ("import app; keys = list(app.app.callback_map); "
            "print(sum('filter-country.value' in k for k in keys), sum('_pages_content.children' in k for k in keys))")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, **app_env}, cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True)
    assert out.stdout.split() == ["1", "1"]


def test_importing_app_builds_nothing_and_the_first_create_app_builds(tmp_path):
    db = tmp_path / "var" / "atlas.duckdb"
    env = {**os.environ, "ATLAS_DB": str(db), "ATLAS_DATA_DIR": str(DATA), "ATLAS_AUTO_BUILD": "1",
           "PYTHONDONTWRITEBYTECODE": "1"}
    code = ("import pathlib, sys; import app; var = pathlib.Path(sys.argv[1]).parent; "
            "print(var.exists() and sorted(p.name for p in var.iterdir())); "
            "app.server; print(sorted(p.name for p in var.iterdir()))")
    out = subprocess.run([sys.executable, "-c", code, str(db)], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    after_import, after_create = out.stdout.splitlines()
    assert after_import == "False"  # not even var/ was made
    assert "atlas.duckdb" in after_create and "atlas.duckdb.backup" in after_create


def test_the_map_page_preloads_what_it_needs_first(flask_client):
    """The point table and the map's code-split chunks are fetched while Dash's bundles start."""
    from dashboard import data

    head = flask_client.get("/?region=europe").get_data(as_text=True).split("</head>")[0]
    links = re.findall(r'<link rel="preload" href="([^"]+)" as="(\w+)"', head)
    assert (f"/data/cities.json?v={data.version()[:16]}", "fetch") in links
    assert (f"/data/countries.geojson?v={data.borders_version()}", "fetch") in links  # the borders with the cities
    for href, kind in links:
        assert flask_client.get(href).status_code == 200, href  # a wrong URL would be a wasted fetch
    assert {kind for _, kind in links} == {"fetch", "script"}
    assert 'rel="preload"' not in flask_client.get("/table").get_data(as_text=True)


REGENERATOR_SHA256 = "7beda998b3fd277f3548e12b277bafc3037d243421f007032d38dffee412224c"  # npm's regenerator-runtime 0.14.1 runtime.js


@pytest.mark.parametrize("path", ["/", "/table", "/findings", "/city/bologna-ita", "/compare"])
def test_pages_load_the_regenerator_runtime_not_dashs_polyfill(flask_client, path):
    """Dash's @babel/polyfill is left out of every page; the one global its bundles need comes from
    the pinned regenerator runtime, loaded before Dash's renderer."""
    page = flask_client.get(path).get_data(as_text=True)
    assert "polyfill@" not in page
    runtime, renderer = page.find("/assets/vendor/regenerator-runtime.js"), page.find("dash_renderer.")
    assert 0 < runtime < renderer


def test_the_vendored_regenerator_runtime_is_the_pinned_one():
    import hashlib
    import json

    vendored = (ROOT / "assets" / "vendor" / "regenerator-runtime.js").read_bytes()
    assert json.loads((ROOT / "package.json").read_text())["devDependencies"]["regenerator-runtime"] == "0.14.1"
    assert hashlib.sha256(vendored).hexdigest() == REGENERATOR_SHA256
    installed = ROOT / "node_modules" / "regenerator-runtime" / "runtime.js"
    if installed.exists():  # (make test installs it with npm ci)
        assert installed.read_bytes() == vendored


def test_fingerprinted_files_are_kept_a_year(flask_client):
    """Every file the map page (and the findings page) asks for by an address naming its version is
    kept a year and never revalidated: Dash's bundles, the chunks they load (at their folder's
    versioned address), assets/ with ?m=, the point table, the borders and plotly.js; the same files
    at an address without their current version are revalidated (an ETag, no immutable)."""
    import app as app_module
    from dashboard import urls

    year = f"public, max-age={app_module.FINGERPRINTED_MAX_AGE}, immutable"
    page = flask_client.get("/").get_data(as_text=True)
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    preloads = re.findall(r'<link rel="preload" href="([^"]+)"', page)
    findings = re.findall(r'<link rel="preload" href="([^"]+)"', flask_client.get("/findings").get_data(as_text=True))
    chunks = [href for href in preloads if "/async-" in href]
    assert len(chunks) == 1 and all(href.startswith("/bundles/") for href in chunks)
    assert any(src.startswith("/bundles/") and src.endswith("/dash/dcc/dash_core_components.js") for src in scripts)
    for href in scripts + preloads + findings:
        r = flask_client.get(href)
        assert r.status_code == 200, href
        kept = r.headers["Cache-Control"].split(", ")
        assert set(kept) == set(year.split(", ")), (href, kept)
    stale = ["/assets/atlas_map.js", "/_dash-component-suites/dash/dcc/async-dropdown.js",
             "/_dash-component-suites/dash_leaflet/async-GeoJSON.js", urls.POINTS_URL, urls.POINTS_URL + "?v=old",
             urls.COUNTRIES_URL, urls.COUNTRIES_URL + "?v=old", urls.PLOTLY_JS_URL, app_module.LICENCE_URL]
    for href in stale:
        r = flask_client.get(href)
        assert r.status_code == 200 and r.headers["ETag"], href
        kept = r.cache_control
        assert not kept.immutable and (kept.no_cache or kept.max_age <= app_module.REVALIDATED_MAX_AGE), href
        again = flask_client.get(href, headers={"If-None-Match": r.headers["ETag"]})
        assert again.status_code == 304, href


def test_versioned_bundles_are_only_the_folders_own_files(flask_client):
    """/bundles/ answers a registered script of a folder with chunks under that folder's current
    hash, and nothing else."""
    page = flask_client.get("/").get_data(as_text=True)
    chunk = next(h for h in re.findall(r'<link rel="preload" href="([^"]+)"', page) if "async-dropdown" in h)
    digest = chunk.split("/")[2]
    assert flask_client.get(chunk).status_code == 200
    for wrong in (chunk.replace(digest, "0" * 16), chunk.replace("async-dropdown.js", "async-nothing.js"),
                  f"/bundles/{digest}/dash/deps/react@18.3.1.min.js", f"/bundles/{digest}/dash/dcc/../../app.py"):
        assert flask_client.get(wrong).status_code == 404, wrong


@pytest.mark.parametrize("path,key", [("/", "map"), ("/table", "table"), ("/compare", "compare"),
                                      ("/findings", "findings"), ("/about", "about"),
                                      ("/self-assessment", "self-assessment"), ("/city/bologna-ita", "city")])
def test_every_page_describes_itself_for_search_and_link_previews(flask_client, path, key):
    """A real description per page (meta and Open Graph, in the page's language) and the preview
    picture, which is served."""
    from html import unescape

    import app as app_module
    from dashboard import vocabulary

    for lang in ("en", "fr"):
        page = flask_client.get(f"{path}?lang={lang}").get_data(as_text=True)
        with app_module.server.test_request_context(f"/?lang={lang}"):
            # the city's country in the page's language too
            said = vocabulary.page_description(key, "Bologna", {"en": "Italy", "fr": "Italie"}[lang])
        described = re.search(r'<meta name="description" content="([^"]*)"', page)
        og = re.search(r'<meta property="og:description" content="([^"]*)"', page)
        assert described and og and unescape(described[1]) == unescape(og[1]) == said, (path, lang)
        assert len(said) > 60 and ("Bologna" in said) == (key == "city")
    image = re.search(r'<meta property="og:image" content="([^"]*)"', page)[1]
    assert image.startswith("/assets/preview.png")
    served = flask_client.get(image)
    assert served.status_code == 200 and served.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(served.data[16:20], "big"), int.from_bytes(served.data[20:24], "big")) == (1200, 630)


def test_the_first_paint_shows_the_addresss_count_and_filters(flask_client, store):
    """Before any script runs, the map page's HTML already says how many cities the address selects
    and which filters are on, in the page's language (a visitor or a crawler without script sees it)."""
    from html import unescape

    import app as app_module
    from dashboard import vocabulary
    from dashboard.facets import Filters

    f = Filters(region=("europe",), tier=("high",))
    for lang in ("en", "fr"):
        page = flask_client.get(f"/?region=europe&tier=high&lang={lang}&junk=<b>").get_data(as_text=True)
        entry = unescape(page.split('<div id="react-entry-point">', 1)[1].split("</div></div>", 1)[0])
        with app_module.server.test_request_context(f"/?lang={lang}"):
            assert vocabulary.cities_shown(count(store, f)) in entry
            assert vocabulary.filters_in_words(f) in entry and vocabulary.facet_title("tier") in entry
    page = flask_client.get("/?lang=en").get_data(as_text=True)
    entry = page.split('<div id="react-entry-point">', 1)[1]
    assert f"{count(store):,} cities shown" in entry and "first-filters" not in entry
    assert "first-count" not in flask_client.get("/table").get_data(as_text=True)


def test_the_map_page_prefetches_leaflet_for_its_first_use(flask_client):
    """Leaflet's script and chunk are fetched at idle priority on the map page (not run: no script
    tag), at the addresses its first use loads; pages that do not ask for it prefetch nothing."""
    page = flask_client.get("/").get_data(as_text=True)
    wanted = _client_config(page)["onUse"]["dash_leaflet"]
    prefetched = re.findall(r'<link rel="prefetch" href="([^"]+)" as="script">', page)
    assert sorted(prefetched) == sorted(wanted["scripts"] + wanted["chunks"]) and prefetched
    assert not LEAFLET_TAG.search(page)
    for path in ("/city/bologna-ita", "/table", "/findings"):
        assert 'rel="prefetch"' not in flask_client.get(path).get_data(as_text=True), path
