"""The read-only data API, in-process: same filters as the page, honest meta, safe CSV, HTTP caching."""
from __future__ import annotations

import csv
import io

import pytest

from dashboard.export import CITY_FIELDS, csv_cell, to_csv
from dashboard.facets import Filters
from dashboard.urls import from_query
from tests.reference import count

QUERIES = ["", "region=europe", "tier=high&covid=inclusive-social", "tier=bogus,high&foo=1",
           "strategy=yes&team=yes&pop=1m-5m,gt5m", "country=ita,ESP&confirmed=yes", "region=nowhere"]


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("query", QUERIES)
def test_city_counts_match_the_store_for_the_same_url_filters(flask_client, store, query):
    filters = from_query(query)
    n = count(store, filters)
    body = flask_client.get(f"/api/cities.json?{query}").get_json()
    assert body["meta"]["count"] == len(body["rows"]) == n
    assert body["meta"]["filters"] == filters.to_query()
    assert [r["id"] for r in body["rows"]] == [p.id for p in store.city_points(filters)]
    assert len(_csv_rows(flask_client.get(f"/api/cities.csv?{query}").get_data(as_text=True))) == n + 1
    assert len(flask_client.get(f"/api/cities.geojson?{query}").get_json()["features"]) == n


def test_malformed_values_are_ignored_like_on_the_page(flask_client, store):
    bogus = flask_client.get("/api/cities.json?tier=bogus,high&foo=1")
    clean = flask_client.get("/api/cities.json?tier=high")
    assert bogus.status_code == 200
    assert bogus.get_json() == clean.get_json()
    assert bogus.headers["ETag"] == clean.headers["ETag"]
    assert bogus.get_json()["meta"]["filters"] == {"tier": "high"}
    assert bogus.get_json()["meta"]["count"] == count(store, Filters(tier=("high",))) > 0


def test_values_the_data_does_not_know_are_ignored_like_on_the_page(flask_client, store):
    """A country no city has is dropped as the map page drops it (data.known_filters): the answer
    is the rest of the address's, and meta.filters says what was applied."""
    for query, filters in (("country=ZZZ", Filters()), ("country=ZZZ,ITA", Filters(country=("ITA",))),
                           ("country=ZZZ&wave=1999,2018", Filters(wave=("2018",)))):
        answer = flask_client.get(f"/api/cities.json?{query}")
        clean = flask_client.get(f"/api/cities.json?{filters.canonical}")
        assert answer.status_code == 200 and answer.get_json() == clean.get_json()
        assert answer.headers["ETag"] == clean.headers["ETag"]
        assert answer.get_json()["meta"]["filters"] == filters.to_query()
        assert answer.get_json()["meta"]["count"] == count(store, filters) > 0


def test_meta_names_source_licence_build_time_and_the_estimate(flask_client, store):
    meta = flask_client.get("/api/cities.json?region=europe").get_json()["meta"]
    assert meta["generated_at"] == store.build_info()["built_at"]
    assert meta["source"]["sources"] == "/about#sources" and "OECD" in meta["source"]["title"]
    assert meta["source"]["url"].startswith("https://")
    for needed in ("GeoNames", "CC BY 4.0", "Natural Earth", "public domain", "OECD"):
        assert needed in meta["licence"]
    assert "estimate" in meta["note"] and "official" in meta["note"]
    assert meta["filters"] == {"region": "europe"}


def test_city_rows_carry_facts_sources_and_honest_scores(flask_client, store):
    rows = flask_client.get("/api/cities.json").get_json()["rows"]
    assert all(list(r) == list(CITY_FIELDS) for r in rows)
    by_id = {r["id"]: r for r in rows}
    bologna = by_id["bologna-ita"]
    assert bologna["city_path"] == "/city/bologna-ita" and bologna["source_url"].startswith("http")
    assert bologna["psi_source"] == "estimate" and bologna["psi_tier"] in ("high", "low")
    assert {r["psi_source"] for r in rows} <= {"estimate", "official", None}
    assert all((r["psi_index"] is None) == (r["psi_tier"] == "unknown") for r in rows)
    assert {r["strategy"] for r in rows} <= {"yes", "no", "unknown"}
    inclusive = {r["id"] for r in rows if "inclusive-social" in r["covid"]}
    assert len(inclusive) == count(store, Filters(covid=("inclusive-social",)))


def test_csv_is_utf8_with_a_header_and_an_attachment_name(flask_client, store):
    r = flask_client.get("/api/cities.csv?region=latin-america")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.headers["Content-Disposition"] == 'attachment; filename="city-innovation-atlas-cities.csv"'
    rows = _csv_rows(r.data.decode("utf-8"))
    assert rows[0] == list(CITY_FIELDS)
    names = [dict(zip(rows[0], row))["name"] for row in rows[1:]]
    assert "Medellín" in names  # non-ASCII survives
    assert len(rows) - 1 == count(store, Filters(region=("latin-america",)))


@pytest.mark.parametrize("value,cell", [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Bologna", "Bologna"), ("São Paulo", "São Paulo"), ("a=b", "a=b"),
    ("", ""), (None, ""), (True, "true"), (False, "false"), (["co-creation", "=x"], "co-creation;=x"),
    (["=x"], "'=x"),
])
def test_csv_cell_escapes_formulas_and_leaves_data_alone(value, cell):
    assert csv_cell(value) == cell


@pytest.mark.parametrize("number", [0, -2, 741636, 8.8, -34.92866])
def test_numbers_stay_numbers(number):
    assert csv_cell(number) == number
    assert _csv_rows(to_csv([("n", "n")], [{"n": number}]))[1] == [repr(number)]


def test_to_csv_escapes_hostile_text_cells():
    text = to_csv([("name", "Name"), ("n", "=N")], [{"name": "=HYPERLINK(\"http://x\")", "n": -1}, {"name": "ok"}])
    assert _csv_rows(text) == [["Name", "'=N"], ["'=HYPERLINK(\"http://x\")", "-1"], ["ok", ""]]


def test_geojson_features_are_points_with_plain_properties(flask_client, store):
    r = flask_client.get("/api/cities.geojson?region=oceania")
    assert r.headers["Content-Type"] == "application/geo+json"
    geo = r.get_json()
    assert geo["type"] == "FeatureCollection" and geo["meta"]["count"] == len(geo["features"])
    assert len(geo["features"]) == count(store, Filters(region=("oceania",)))
    f = geo["features"][0]
    assert f["geometry"]["type"] == "Point"
    assert f["geometry"]["coordinates"] == [f["properties"]["lon"], f["properties"]["lat"]]
    assert list(f["properties"]) == list(CITY_FIELDS)
    assert "<" not in r.get_data(as_text=True)


def test_city_profile_with_sources(flask_client, store):
    body = flask_client.get("/api/cities/bologna-ita.json").get_json()
    city = body["city"]
    assert body["meta"]["count"] == 1
    expected = store.city("bologna-ita")
    assert city["name"] == "Bologna" and city["psi_source"] == "estimate"
    assert city["profile"]["profile_url"] == expected["profile"]["profile_url"]
    assert city["items"] == expected["items"]
    assert len(city["covid_responses"]) == len(expected["covid_responses"])
    assert all(r["source_url"].startswith("http") for r in city["covid_responses"] + city["case_studies"])
    assert {"strategy_points", "components_answered", "official_source_url"} <= set(city)


@pytest.mark.parametrize("path", ["/api/cities/nowhere-xyz.json", "/api/nothing.json"])
def test_unknown_ids_and_endpoints_are_404_json(flask_client, path):
    r = flask_client.get(path)
    assert r.status_code == 404 and r.headers["Content-Type"] == "application/json"
    assert r.get_json()["ok"] is False and r.get_json()["error"]
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_findings_and_gaps_with_confidence_and_sources(flask_client, store):
    body = flask_client.get("/api/findings.json").get_json()
    assert body["meta"]["count"] == {"findings": len(body["findings"]), "wellbeing_gaps": len(body["wellbeing_gaps"])}
    assert len(body["findings"]) == store.rows("SELECT count(*) n FROM findings")[0]["n"]
    assert len(body["wellbeing_gaps"]) == store.rows("SELECT count(*) n FROM wellbeing_gaps")[0]["n"]
    assert {"confidence", "source_title", "source_url"} <= set(body["findings"][0])
    assert {"source_title", "source_url"} <= set(body["wellbeing_gaps"][0])
    ambiguous = [f for f in body["findings"] if f["confidence"] == "ambiguous"]
    assert ambiguous and all(f["share_pct"] is None for f in ambiguous)


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_api_is_read_only(flask_client, method):
    r = getattr(flask_client, method)("/api/cities.json")
    assert r.status_code == 405 and r.get_json()["ok"] is False
    assert r.headers["Allow"] == "GET, HEAD"


def test_head_answers_headers_only(flask_client):
    r = flask_client.head("/api/cities.csv?region=europe")
    assert r.status_code == 200 and r.data == b"" and r.headers["ETag"]


@pytest.mark.parametrize("path", ["/api/cities.json?region=europe", "/api/cities.csv", "/api/cities.geojson",
                                  "/api/cities/bologna-ita.json", "/api/findings.json"])
def test_etag_gives_304_and_cache_headers(flask_client, path):
    r = flask_client.get(path)
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "public, max-age=300"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    again = flask_client.get(path, headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert flask_client.get(path).headers["ETag"] == r.headers["ETag"]  # stable: no clock in the tag


def test_a_compressed_copy_s_etag_also_gives_304(flask_client):
    r = flask_client.get("/api/cities.json?tier=high", headers={"Accept-Encoding": "gzip"})
    assert r.headers["Content-Encoding"] == "gzip" and r.headers["ETag"].endswith(':gzip"')
    again = flask_client.get("/api/cities.json?tier=high", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_etag_differs_by_selection_and_format(flask_client):
    tags = {flask_client.get(p).headers["ETag"] for p in (
        "/api/cities.json", "/api/cities.json?region=europe", "/api/cities.csv", "/api/cities.geojson")}
    assert len(tags) == 4
    r = flask_client.get("/api/cities.json?region=europe", headers={"If-None-Match": '"something-else"'})
    assert r.status_code == 200


def test_json_is_served_gzipped(flask_client):
    r = flask_client.get("/api/cities.json", headers={"Accept-Encoding": "gzip"})
    assert r.headers["Content-Encoding"] == "gzip"
    csv_response = flask_client.get("/api/cities.csv", headers={"Accept-Encoding": "gzip"})
    assert csv_response.headers["Content-Encoding"] == "gzip"
