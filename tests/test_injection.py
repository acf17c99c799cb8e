"""Injection: SQL through every filter and search parameter changes nothing; hostile texts in the
data (tests/hostile.py) reach pages only as text and exports only as inert cells."""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import pytest
import requests

from bench.fuzz import envelope
from dashboard.facets import FACETS
from tests.hostile import FORMULAS, IMG, NAMES, SCRIPT
from tests.layouts import layout_text
from tests.reference import count
from tests.test_app import _components

SQL = ("'; DROP TABLE cities; --", "' OR '1'='1", "1); DELETE FROM city_facts; --", "europe' --",
       "\" OR 1=1 --", "ITA'); DROP TABLE city_scores; --", "%' OR 1=1 --", "\\'; SELECT * FROM build_info; --",
       "' UNION SELECT id, name, country FROM cities --")
FILTER_PARAMS = [f.key for f in FACETS] + ["city", "cities", "z", "lat", "lon"]
CALLBACK = "/_dash-update-component"


def callback_body(app, output_prefix: str, values: dict) -> str:
    return json.dumps(envelope(app.callback_map, output_prefix, values))


def run_callback(client_post, output_prefix: str, values: dict) -> dict:
    import app as app_module

    response = client_post(callback_body(app_module.app, output_prefix, values))
    assert response.status_code == 200, response
    return response.json() if callable(getattr(response, "json", None)) else json.loads(response.get_data())


def table_download(client_post, query: dict, columns: list[str]) -> list[list[str]]:
    answer = run_callback(client_post, "table-download.data", {
        ("table-download-button", "n_clicks"): 1, ("table-query", "data"): query, ("table-columns", "value"): columns})
    return list(csv.reader(io.StringIO(answer["response"]["table-download"]["data"]["content"])))


def _store_state(store) -> tuple:
    tables = store.rows("SELECT table_name FROM information_schema.tables ORDER BY table_name")
    return tuple(r["table_name"] for r in tables), store.summary(), count(store)


# --- SQL ---------------------------------------------------------------------------------

def test_sql_in_every_filter_parameter_changes_no_answer_and_no_table(flask_client, store):
    before = _store_state(store)
    for fmt in ("json", "csv", "geojson"):
        base = flask_client.get(f"/api/cities.{fmt}").get_data()
        europe = flask_client.get(f"/api/cities.{fmt}?region=europe").get_data()
        for key in FILTER_PARAMS:
            for payload in SQL:
                answer = flask_client.get(f"/api/cities.{fmt}?{key}={quote(payload)}")
                assert answer.status_code == 200 and answer.get_data() == base, (fmt, key, payload)
                both = flask_client.get(f"/api/cities.{fmt}?region=europe&{key}={quote(payload)}")
                if key != "region":
                    assert both.get_data() == europe, (fmt, key, payload)
    assert _store_state(store) == before


def test_sql_in_ids_and_searches_is_a_miss_not_a_query(flask_client, store):
    def post(body):
        return flask_client.post(CALLBACK, data=body, content_type="application/json")

    before = _store_state(store)
    full_table = table_download(post, {}, ["name", "country"])
    for payload in SQL:
        assert flask_client.get(f"/api/cities/{quote(payload, safe='')}.json").status_code == 404
        assert flask_client.get(f"/city/{quote(payload, safe='')}").status_code == 404
        assert flask_client.get(f"/compare?cities={quote(payload)}").status_code == 200
        assert store.search(payload) == []
        lookup = run_callback(post, "city-lookup-results.children", {("city-lookup", "value"): payload})
        assert "No city name contains" in json.dumps(lookup)
        run_callback(post, "city-search.options", {("city-search-query", "data"): {"text": payload}})
        assert table_download(post, {k: payload for k in FILTER_PARAMS}, ["name", "country"]) == full_table
    assert _store_state(store) == before


# --- hostile texts in the data -----------------------------------------------------------

HOSTILE_PAGES = ["/?city=bologna-ita", "/city/bologna-ita", "/city/madrid-esp", "/city/amsterdam-nld",
                 "/compare?cities=bologna-ita,madrid-esp,amsterdam-nld", "/table", "/findings", "/about"]


def _layout(url: str, page: str) -> dict:
    import app as app_module

    path, _, search = page.partition("?")
    body = callback_body(app_module.app, ".._pages_content.children", {
        ("_pages_location", "pathname"): path, ("_pages_location", "search"): "?" + search if search else ""})
    response = requests.post(url + CALLBACK, data=body, headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("page", HOSTILE_PAGES)
def test_hostile_texts_reach_pages_only_as_text(hostile_url, flask_client, page):
    layout = _layout(hostile_url, page)
    # the static parts' HTML as a browser reads it: a hostile text there is text, never an element
    text = layout_text(layout)
    assert any(p in text for p in (json.dumps(SCRIPT)[1:-1], json.dumps(IMG)[1:-1])) or page in ("/findings", "/about")
    for c in _components(layout):
        props = c["props"]
        assert c["type"] not in ("Markdown", "Iframe", "Script", "ObjectEl", "Embed", "Img"), (page, c["type"])
        assert not props.get("dangerously_allow_html"), page
        assert not [k for k in props if k.lower().startswith("on")], (page, c)
        for key in ("href", "src", "data"):
            value = props.get(key)
            assert not (isinstance(value, str) and value.strip().lower().startswith("javascript:")), (page, c)


def test_the_data_api_keeps_hostile_texts_exactly_and_csv_cells_never_run(hostile_url):
    rows = requests.get(hostile_url + "/api/cities.json", timeout=30).json()["rows"]
    names = {r["id"]: r["name"] for r in rows}
    assert {k: names[k] for k in NAMES} == NAMES  # data honesty: the JSON carries the text as it is
    table = list(csv.DictReader(io.StringIO(requests.get(hostile_url + "/api/cities.csv", timeout=30).text)))
    exported = {r["id"]: r["name"] for r in table}
    for city_id, name in NAMES.items():
        assert exported[city_id] == ("'" + name if name.startswith(("=", "+", "-", "@", "\t", "\r")) else name)


def test_the_table_download_never_exports_a_formula(hostile_url):
    def post(body):
        return requests.post(hostile_url + CALLBACK, data=body, headers={"Content-Type": "application/json"},
                             timeout=30)

    rows = table_download(post, {}, ["name", "country", "region"])
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + FORMULAS[0] in cells and "'" + FORMULAS[1] in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_a_javascript_link_in_a_url_column_is_refused_at_build(data_copy, tmp_path):
    from dashboard.store import build
    from dashboard.store.sources import BuildError

    path = data_copy / "case_studies.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",javascript:alert(1)"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BuildError, match="source_url"):
        build(data_copy, tmp_path / "x.duckdb")
