"""The read-only data API: every selection of the map as JSON, CSV and GeoJSON.

Modelled on Datasette: the endpoints take the same filter parameters as the
page URL (README, "URL parameters"; malformed values are ignored, never an
error), answer GET and HEAD only, allow any origin (CORS), and carry an ETag
made from the store's sources hash, so a conditional request gets 304 until
the data changes. No SQL here: rows come from ``dashboard.data``.
"""
from __future__ import annotations

import hashlib
import json

from flask import Blueprint, Response, request
from werkzeug.exceptions import MethodNotAllowed

from dashboard import data, i18n, urls
from dashboard.export import CITY_FIELDS, feature_collection, to_csv
from dashboard.i18n import _
from dashboard.web.responses import cacheable

bp = Blueprint("api", __name__, url_prefix="/api")

API_VERSION = "1"  # part of every ETag: a change of the response shape must bump it
CACHE_SECONDS = 300
CSV_FILENAME = "city-innovation-atlas-cities.csv"

SOURCE_URL = "https://www.oecd-ilibrary.org/sites/3889c44a-en/index.html?itemId=/content/component/3889c44a-en"


def meta(filters: dict[str, str], count) -> dict:
    """What every JSON answer says about itself. ``generated_at`` is the store's build time, not now.

    Its wording is English, or the language the address asks for with ``lang=`` (an export link
    of a French page): never the visitor's cookie or browser, so one address is one answer."""
    with i18n.language(answer_lang()):
        return {
            "source": {"title": _("OECD / Bloomberg Philanthropies Survey on Innovation Capacity in Cities (2018, "
                                  "2020); OECD (2021), Innovation and Data Use in Cities; OECD (2021), Embracing "
                                  "Local Impact"),
                       "url": SOURCE_URL, "sources": urls.SOURCES_URL},
            "licence": _("City coordinates and populations: GeoNames (CC BY 4.0). Country borders: Natural Earth "
                         "(public domain). Survey facts: OECD / Bloomberg Philanthropies publications and the other "
                         "sources cited in each row's source_url; cite them with the facts; OECD material is (c) "
                         "OECD under its terms. The atlas's compilation and texts: CC BY 4.0. Licence file: /LICENSE. "
                         "Every source: /about#sources."),
            "generated_at": data.build_info()["built_at"], "filters": filters, "count": count,
            "note": _("psi_index and psi_tier are the atlas's own estimate from the answers published on each "
                      "city's OECD profile unless psi_source is 'official'; the OECD has not published its per-city "
                      "index. null means not published. Method: /about#method."),
        }


def answer_lang() -> str:
    """The language of an answer's wording: the address's ``lang=``, else English."""
    return i18n.requested_lang() or i18n.SOURCE_LANG


def etag(*parts: str) -> str:
    key = "\x1f".join((API_VERSION, data.version(), answer_lang(), *parts))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _json_text(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)


def _error(status: int, message: str) -> Response:
    response = Response(_json_text({"error": message, "ok": False}), status=status, mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/cities.<any(json, csv, geojson):fmt>")
def cities(fmt: str) -> Response:
    filters = data.read_filters(request.args)

    def body() -> str:
        query, records = filters.to_query(), [city_record(r) for r in data.city_rows(filters)]
        if fmt == "csv":
            return to_csv([(k, k) for k in CITY_FIELDS], records)
        if fmt == "geojson":
            return _json_text({**feature_collection(records), "meta": meta(query, len(records))})
        return _json_text({"meta": meta(query, len(records)), "rows": records})

    return cacheable(body, MIMETYPES[fmt], etag("cities", fmt, filters.canonical), CACHE_SECONDS,
                     CSV_FILENAME if fmt == "csv" else None)


def city_record(row) -> dict:
    """A store row (``Store.city_rows``) as the API's city: ``export.CITY_FIELDS``, in order."""
    return {key: urls.city_url(row["id"], lang=None) if key == "city_path" else row.get(key) for key in CITY_FIELDS}


MIMETYPES = {"json": "application/json", "csv": "text/csv", "geojson": "application/geo+json"}


@bp.get("/cities/<city_id>.json")
def city(city_id: str) -> Response:
    profile = data.city(city_id)
    if profile is None:
        return _error(404, f"no city with id {city_id[:100]!r}; /api/cities.json lists every id")
    record = {**profile, "city_path": urls.city_url(profile["id"], lang=None)}
    return cacheable(lambda: _json_text({"meta": meta({}, 1), "city": record}),
                     "application/json", etag("city", city_id), CACHE_SECONDS)


@bp.get("/findings.json")
def findings() -> Response:
    tables = data.findings()
    counts = {name: len(rows) for name, rows in tables.items()}
    return cacheable(lambda: _json_text({"meta": meta({}, counts), **tables}), "application/json", etag("findings"),
                     CACHE_SECONDS)


@bp.get("/<path:_rest>")
def unknown(_rest: str) -> Response:
    return _error(404, "no such API endpoint; see the README, section \"Data API\"")


@bp.app_errorhandler(MethodNotAllowed)
def method_not_allowed(exc: MethodNotAllowed):
    """JSON 405 under /api/ (routing errors never reach a blueprint's own handlers)."""
    if not request.path.startswith(bp.url_prefix + "/"):
        return exc
    response = _error(405, "the data API is read-only: use GET or HEAD")
    response.headers["Allow"] = "GET, HEAD"
    return response
