"""The URL codec: every query string the atlas accepts is read here, and every internal link
is built here (as datasette's ``Urls`` does).

Query parameters are a public interface (README, "URL parameters"): ``PARAMETERS``
lists every one the atlas accepts, and a test checks that the README documents
each. Parsing is lenient and bounded: unknown keys and malformed values are
dropped (the rest of the URL still applies), a repeated key counts once with
its values joined, and long inputs are cut by documented limits
(``MAX_QUERY_CHARS`` characters of a query string, ``facets.MAX_VALUES`` values a
facet, ``MAX_COMPARE`` compare ids), so no request costs more than a few
microseconds a parameter.

Links are built from parsed values only, in one canonical form: keys in the
order of ``PARAMETERS``, values comma-joined with commas kept readable.
Whether a city id names a city of the store is ``dashboard.data.known_city``, and
whether a country or a survey wave is one of the data's ``dashboard.data.known_filters``;
here only their form is checked.

The interface language travels with the links (``link_lang``): a link built
while a page is shown in a language other than the atlas's default carries
``lang=``, so a copied permalink, an export or a page opened where the
language cookie does not exist shows the same language. Links in the default
language carry nothing.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode

from dashboard import i18n
from dashboard.facets import FACETS, MAX_VALUES, Filters, clean_values

MAX_QUERY_CHARS = 4000  # longer query strings are cut here before parsing
MAX_COMPARE = 4  # cities a comparison shows
MAX_COMPARE_RAW = 50  # ids read from ?cities= before the first MAX_COMPARE valid ones are kept
DEFAULT_ZOOM, CITY_ZOOM, MIN_ZOOM, MAX_ZOOM = 2, 6, 1, 14
VIEW_DIGITS = 2  # decimals of lat/lon in a map URL
_CITY_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")

# The self-assessment's answers (``/self-assessment``), by URL name: ``text`` (one value, cut at
# ``MAX_TEXT_CHARS``) or ``list`` (value codes in the given order, each of the form of ``_CODE``,
# repeated ones dropped, at most ``facets.MAX_VALUES``). Which codes a list allows, and whether
# the answers fit together, is the page's validation (``dashboard/views/self_assessment.py``).
SELF_ASSESSMENT: dict[str, tuple[str, str]] = {
    "name": ("text", "city name"),
    "nation": ("text", "ISO3 code of the city's country"),
    "residents": ("text", "population"),
    "popyear": ("text", "year of the population figure"),
    "explicit": ("text", "explicit innovation strategy: yes / no"),
    "approach": ("text", "approach to innovation"),
    "policies": ("list", "policy areas"),
    "iteam": ("text", "dedicated innovation team: yes / no"),
    "roles": ("list", "innovation roles"),
    "nroles": ("text", "number of innovation roles"),
    "teamplace": ("text", "where the team sits"),
    "teamsize": ("text", "team size"),
    "budget": ("text", "dedicated funding for innovation capacity: yes / no"),
    "activities": ("list", "most common innovation activities, most common first"),
    "terms": ("list", "terms most associated with innovation"),
    "aims": ("list", "what innovation is helping to do"),
    "factors": ("list", "critical success factors"),
}
MAX_TEXT_CHARS = 200  # a self-assessment text answer is cut here
_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")

# Every query parameter the atlas accepts: (name, pages that read it, values). The README's
# "URL parameters" table documents each (tests/test_docs.py).
PARAMETERS: tuple[tuple[str, str, str], ...] = (
    *((f.key, "/, /table, /findings, /api/cities.*", "facet") for f in FACETS),
    ("city", "/, /present", "a city id"),
    ("z", "/", "map zoom"),
    ("lat", "/", "map centre latitude"),
    ("lon", "/", "map centre longitude"),
    ("cities", "/compare", "city ids"),
    ("diff", "/compare", "1: only the rows where the cities differ"),
    ("sort", "/table", "a column key, - in front for descending"),
    ("columns", "/table", "column keys"),
    *((name, "/self-assessment", what) for name, (_kind, what) in SELF_ASSESSMENT.items()),
    (SELF_ASSESSMENT_SENT := "sent", "/self-assessment",
     "1: the form was sent (its fields move to the answers' own address)"),
    ("slide", "/present", "slide number, from 1"),
    ("chart", "/findings", "one chart (with embed=1)"),
    ("embed", "/, /city/<id>, /compare, /findings", "1: the view for a frame on another site"),
    ("lang", "every page", "interface language"),
    ("theme", "every page", "colour theme: light or dark"),
)
PARAMETER_NAMES = tuple(name for name, _, _ in PARAMETERS)

# Fixed addresses.
MAP_PATH, TABLE_PATH, COMPARE_PATH, FINDINGS_PATH, ABOUT_PATH = "/", "/table", "/compare", "/findings", "/about"
SELF_ASSESSMENT_PATH = "/self-assessment"
PRESENT_PATH = "/present"
EMBEDDABLE = ("/", "/city/", "/compare", "/findings")  # pages (or their prefixes) that answer ?embed=1
SELF_ASSESSMENT_CSV = SELF_ASSESSMENT_PATH + "/answers.csv"  # the answers in the ingest format
SELF_ASSESSMENT_JSON = SELF_ASSESSMENT_PATH + "/answers.json"
POINTS_URL = "/data/cities.json"  # every city as a point table (?v= the data version)
COUNTRIES_URL = "/data/countries.geojson"  # the base map's borders
BORDERS_URL = "/data/borders/<int:zoom>.svg"  # the borders drawn at one zoom, for the map's first view
PLOTLY_JS_URL = "/vendor/plotly-basic.min.js"  # plotly.js's partial bundle, for the charts (?v= its version)
SOURCES_URL = ABOUT_PATH + "#sources"
METHOD_URL = ABOUT_PATH + "#method"


# ------------------------------------------------------------------ reading

def parameters(query) -> dict[str, str]:
    """The atlas's parameters from a query string (``"?a=1&a=2&b=3"``) or a mapping (Flask's
    ``request.args``, Dash Pages' layout keywords, a dict): ``{"a": "1,2", "b": "3"}``.

    Only names in ``PARAMETERS`` are kept; a repeated name (or a list value) is joined with
    commas; values that are not text are dropped.
    """
    pairs: Iterable[tuple[str, object]]
    if isinstance(query, str):
        pairs = parse_qsl(query[:MAX_QUERY_CHARS].lstrip("?"), keep_blank_values=False)
    elif hasattr(query, "lists"):  # werkzeug MultiDict
        pairs = ((k, v) for k, values in query.lists() for v in values[:MAX_COMPARE_RAW])
    elif isinstance(query, Mapping):
        pairs = query.items()
    else:
        return {}
    out: dict[str, list[str]] = {}
    for name, value in pairs:
        if name not in PARAMETER_NAMES:
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values[:MAX_COMPARE_RAW]:
            if isinstance(v, str) and v:
                out.setdefault(name, []).append(v[:MAX_QUERY_CHARS])
    return {k: ",".join(v)[:MAX_QUERY_CHARS] for k, v in out.items()}


def from_query(query) -> Filters:
    """The filters of a query string or mapping; malformed values are dropped. Pages and the API
    read theirs with ``dashboard.data.read_filters``, which also drops values the data does not know."""
    params = parameters(query)
    return Filters({f.key: clean_values(f.key, params.get(f.key)) for f in FACETS})


def city_id(raw) -> str | None:
    """A city id's form (``bologna-ita``): lower-case letters, digits and hyphens. Whether such
    a city exists is ``dashboard.data.known_city``."""
    if not isinstance(raw, str):
        return None
    value = raw.strip().lower()
    return value if _CITY_ID.fullmatch(value) else None


def city_ids(raw) -> list[str]:
    """The ids of a ``cities=`` list in their given order, each in the form of ``city_id`` or
    None where it is not one (the compare page names what it ignored); at most
    ``MAX_COMPARE_RAW`` are read."""
    if isinstance(raw, str):
        items = raw[:MAX_QUERY_CHARS].split(",")
    elif isinstance(raw, (list, tuple)):
        items = list(raw)
    else:
        return []
    return [city_id(item) if isinstance(item, str) else None
            for item in items[:MAX_COMPARE_RAW] if not isinstance(item, str) or item.strip()]


def _number(raw, low: float, high: float) -> float | None:
    if isinstance(raw, bool):
        return None
    try:
        value = float(str(raw).strip()[:40])
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and low <= value <= high else None


@dataclass(frozen=True)
class View:
    """The map view: zoom and centre; None where not given."""
    zoom: int | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def has_center(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class MapState:
    """What the map page's URL holds: the filters, the chosen city and the view."""
    filters: Filters = field(default_factory=Filters)
    city: str | None = None
    view: View = field(default_factory=View)


def parse_view(params: Mapping[str, str]) -> View:
    """z / lat / lon; each malformed or out-of-range value is dropped (lat and lon go together)."""
    zoom = _number(params.get("z"), MIN_ZOOM, MAX_ZOOM)
    lat, lon = _number(params.get("lat"), -85, 85), _number(params.get("lon"), -180, 180)
    if lat is None or lon is None:
        lat = lon = None
    return View(None if zoom is None else int(round(zoom)), lat, lon)


def parse_map(query) -> MapState:
    """The map page's state from its URL; ``city`` is checked for its form only."""
    params = parameters(query)
    return MapState(from_query(params), city_id(params.get("city")), parse_view(params))


def parse_self_assessment(query) -> dict[str, str | tuple[str, ...]]:
    """The self-assessment's answers from its URL, by name: text as given (stripped, cut at
    ``MAX_TEXT_CHARS``), lists as tuples of lower-case codes in their given order. Absent or
    empty answers are left out; an item that is not a code is dropped."""
    params = parameters(query)
    out: dict[str, str | tuple[str, ...]] = {}
    for name, (kind, _what) in SELF_ASSESSMENT.items():
        raw = params.get(name)
        if not raw:
            continue
        if kind == "text":
            value = raw.strip()[:MAX_TEXT_CHARS]
            if value:
                out[name] = value
            continue
        codes: dict[str, None] = {}
        for item in raw[:MAX_QUERY_CHARS].split(","):
            code = item.strip().lower()
            if _CODE.fullmatch(code):
                codes[code] = None
                if len(codes) >= MAX_VALUES:
                    break
        if codes:
            out[name] = tuple(codes)
    return out


def slide_number(raw, count: int) -> int:
    """The slide to show (1 to ``count``) for a ``slide=`` value: a whole number is clamped into the
    range; anything else (missing, malformed) is the first slide."""
    value = _number(raw, -1e9, 1e9)
    if value is None or value != int(value):
        return 1
    return max(1, min(max(count, 1), int(value)))


def is_embed(query) -> bool:
    """Whether a page is asked for as an embed (``embed=1``): no header, footer or navigation."""
    return parameters(query).get("embed") == "1"


def embeddable(path: str) -> bool:
    """Whether the page at ``path`` has an embed form (``EMBEDDABLE``)."""
    return any(path == p or (p.endswith("/") and p != "/" and path.startswith(p)) for p in EMBEDDABLE)


def chart_key(raw) -> str | None:
    """A chart's key from ``chart=`` (its form only; which charts exist is the findings page's)."""
    value = raw.strip().lower() if isinstance(raw, str) else ""
    return value if _KEY_CHART.fullmatch(value) else None


_KEY_CHART = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


def wrap_lon(lon: float) -> float:
    return ((lon + 180.0) % 360.0) - 180.0


def view_from_map(zoom, center) -> View:
    """The view as the map reports it (centre as [lat, lon] or {"lat", "lng"})."""
    z = _number(zoom, MIN_ZOOM, MAX_ZOOM)
    lat = lon = None
    if isinstance(center, dict):
        lat, lon = center.get("lat"), center.get("lng")
    elif isinstance(center, (list, tuple)) and len(center) == 2:
        lat, lon = center
    lat, lon = _number(lat, -90, 90), _number(lon, -1e6, 1e6)
    zoom_out = None if z is None else int(round(z))
    if lat is None or lon is None:
        return View(zoom_out)
    return View(zoom_out, round(max(-85.0, min(85.0, lat)), VIEW_DIGITS), round(wrap_lon(lon), VIEW_DIGITS))


# ------------------------------------------------------------------ writing

CURRENT = "current"  # ``lang=`` of a builder: the language of the request being answered (``link_lang``)


def link_lang(lang: str | None = CURRENT) -> str | None:
    """The ``lang=`` value a link carries: for ``CURRENT`` the request's language when it is not
    the atlas's default (outside a request: none); a language of the atlas as given; None for
    none (the data API's own links, which must not vary with the visitor)."""
    if lang == CURRENT:
        current = i18n.current_lang()
        return current if current != i18n.default_lang() else None
    return lang if lang in i18n.available() else None


def query(pairs: Iterable[tuple[str, str]], lang: str | None = CURRENT) -> str:
    """``?a=1&b=x,y`` for the pairs with a value, keys in the order of ``PARAMETERS``, with the
    link's language (``link_lang``); "" when none."""
    rank = {name: i for i, name in enumerate(PARAMETER_NAMES)}
    pairs = [*pairs, ("lang", link_lang(lang) or "")]
    kept = sorted(((k, v) for k, v in pairs if v), key=lambda kv: rank[kv[0]])
    return "?" + urlencode(kept, safe=",") if kept else ""


def _filter_pairs(filters: Filters | None) -> list[tuple[str, str]]:
    return list((filters or Filters()).to_query().items())


def map_query(state: MapState, lang: str | None = CURRENT) -> str:
    """The map page's query string for a state (the address bar's permalink)."""
    view = state.view
    pairs = [*_filter_pairs(state.filters), ("city", state.city or "")]
    if view.zoom is not None:
        pairs.append(("z", str(view.zoom)))
    if view.has_center:
        pairs += [("lat", f"{view.lat:.{VIEW_DIGITS}f}"), ("lon", f"{view.lon:.{VIEW_DIGITS}f}")]
    return query(pairs, lang)


def map_url(filters: Filters | None = None, city: str | None = None, view: View | None = None,
            lang: str | None = CURRENT) -> str:
    return MAP_PATH + map_query(MapState(filters or Filters(), city, view or View()), lang)


def city_url(city: str, lang: str | None = CURRENT) -> str:
    """A city's page."""
    return "/city/" + quote(city, safe="") + query((), lang)


def compare_query(cities: Iterable[str] = (), only_differences: bool = False, lang: str | None = CURRENT) -> str:
    return query([("cities", ",".join(cities)), ("diff", "1" if only_differences else "")], lang)


def compare_url(cities: Iterable[str] = (), only_differences: bool = False, lang: str | None = CURRENT) -> str:
    return COMPARE_PATH + compare_query(cities, only_differences, lang)


def only_differences(raw) -> bool:
    """The compare page's ``diff`` parameter: on only for "1"."""
    return parameters({"diff": raw}).get("diff") == "1"


@dataclass(frozen=True)
class TableView:
    """What the table page's URL holds besides the filters: the sort (a column key, descending
    when ``descending``) and the columns shown (keys in order; empty: the default). Which keys
    exist is the table's rule (``views.table_view``); here only their form is checked."""
    sort: str | None = None
    descending: bool = False
    columns: tuple[str, ...] = ()


_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


def parse_table(query) -> TableView:
    params = parameters(query)
    raw_sort = params.get("sort", "").split(",")[0].strip()
    descending = raw_sort.startswith("-")
    sort = raw_sort.lstrip("-")
    columns = tuple(dict.fromkeys(c.strip() for c in params.get("columns", "").split(",") if _KEY.fullmatch(c.strip())))
    return TableView(sort if _KEY.fullmatch(sort) else None, descending and bool(_KEY.fullmatch(sort)), columns)


def table_query(filters: Filters | None = None, view: TableView | None = None, lang: str | None = CURRENT) -> str:
    view = view or TableView()
    sort = ("-" if view.descending else "") + view.sort if view.sort else ""
    return query([*_filter_pairs(filters), ("sort", sort), ("columns", ",".join(view.columns))], lang)


def table_url(filters: Filters | None = None, view: TableView | None = None, lang: str | None = CURRENT) -> str:
    return TABLE_PATH + table_query(filters, view, lang)


def findings_url(filters: Filters | None = None, lang: str | None = CURRENT, chart: str | None = None,
                 embed: bool = False) -> str:
    """The findings page; ``chart`` with ``embed``: one chart of it, for a frame."""
    return FINDINGS_PATH + query([*_filter_pairs(filters), ("chart", chart_key(chart) or ""),
                                  ("embed", "1" if embed else "")], lang)


def present_url(slide: int | None = None, city: str | None = None, lang: str | None = CURRENT) -> str:
    """The presentation at a slide (from 1), or one city's spotlight (``city``)."""
    return PRESENT_PATH + query([("city", city_id(city) or ""), ("slide", str(slide) if slide else "")], lang)


def embed_url(path: str, query_string: str) -> str:
    """The embed form (``embed=1``) of the view at ``path`` with its query string: the address an
    embed code's frame opens. The view's parameters are kept, in canonical order."""
    pairs = [(k, v) for k, v in parameters(query_string).items() if k not in ("embed", "lang")]
    lang = parameters(query_string).get("lang")
    return path + query([*pairs, ("embed", "1")], lang if lang in i18n.available() else None)


def full_url(path: str, query_string: str) -> str:
    """The view of an embed in the full atlas: the same address without ``embed``."""
    pairs = [(k, v) for k, v in parameters(query_string).items() if k not in ("embed", "lang")]
    lang = parameters(query_string).get("lang")
    return path + query(pairs, lang if lang in i18n.available() else None)


def about_url(fragment: str = "", lang: str | None = CURRENT) -> str:
    """The About page, at ``fragment`` ("sources", "method") when given."""
    return ABOUT_PATH + query((), lang) + ("#" + fragment if fragment else "")


def lang_url(path: str, query_string: str, lang: str) -> str:
    """The address being shown (``path`` and its query string) in another language: the
    language switcher's links. Keeps the atlas's parameters, in canonical order."""
    pairs = [(k, v) for k, v in parameters(query_string).items() if k != "lang"]
    return path + query(pairs, lang)


def api_cities_url(fmt: str, filters: Filters | None = None, lang: str | None = CURRENT) -> str:
    """The selection as data: ``fmt`` is ``json``, ``csv`` or ``geojson``."""
    return f"/api/cities.{fmt}" + query(_filter_pairs(filters), lang)


def self_assessment_query(answers: Mapping[str, object], lang: str | None = None) -> str:
    """The query string of a self-assessment: ``answers`` by URL name (``SELF_ASSESSMENT``), text
    or a list of codes; what is empty or not a self-assessment name is left out. Parsing the result
    with ``parse_self_assessment`` gives the answers back (text cut at ``MAX_TEXT_CHARS``). ``lang``
    keeps the interface language the page was asked in; without it, the link follows ``link_lang``."""
    pairs = []
    for name, (kind, _what) in SELF_ASSESSMENT.items():
        value = answers.get(name)
        if kind == "text" and isinstance(value, (str, int)) and not isinstance(value, bool):
            pairs.append((name, str(value).strip()[:MAX_TEXT_CHARS]))
        elif kind == "list" and isinstance(value, (list, tuple)):
            pairs.append((name, ",".join(v for v in value if isinstance(v, str) and _CODE.fullmatch(v))))
    return query(pairs, lang if isinstance(lang, str) and _CODE.fullmatch(lang) else CURRENT)


def self_assessment_url(answers: Mapping[str, object] | None = None) -> str:
    """The shareable address of a self-assessment (its answers live in the URL, nowhere else)."""
    return SELF_ASSESSMENT_PATH + self_assessment_query(answers or {})


def self_assessment_download_url(fmt: str, answers: Mapping[str, object]) -> str:
    """The answers as a file in the ingest format: ``fmt`` is ``csv`` or ``json``."""
    path = {"csv": SELF_ASSESSMENT_CSV, "json": SELF_ASSESSMENT_JSON}[fmt]
    return path + self_assessment_query(answers)


def api_city_url(city: str, lang: str | None = CURRENT) -> str:
    return "/api/cities/" + quote(city, safe="") + ".json" + query((), lang)


def points_url(data_version: str) -> str:
    """The point table of a data version (a new version, a new URL: it is cached for long)."""
    return f"{POINTS_URL}?v={quote(data_version[:16])}"


def border_drawing_url(version: str | None) -> str:
    """The borders drawn at a zoom (an SVG file) at their version's address (``data.borders_version``,
    as ``countries_url``), with ``{z}`` for the zoom, which the map's first view fills in once it
    knows its size."""
    drawing = BORDERS_URL.replace("<int:zoom>", "{z}")
    return f"{drawing}?v={quote(version)}" if version else drawing


def countries_url(version: str | None) -> str:
    """The map's borders at their version's address (``data.borders_version``; without one, the
    plain address, revalidated)."""
    return f"{COUNTRIES_URL}?v={quote(version)}" if version else COUNTRIES_URL


def plotly_js_url(version: str) -> str:
    """The charts' plotly.js bundle of a version (a new version, a new URL: it is cached for long)."""
    return f"{PLOTLY_JS_URL}?v={quote(version)}"


def client() -> dict:
    """What the browser's code needs to write the atlas's URLs the same way (assets/atlas_map.js)."""
    return {"order": list(PARAMETER_NAMES), "viewDigits": VIEW_DIGITS, "map": MAP_PATH, "compare": COMPARE_PATH,
            "maxCompare": MAX_COMPARE, "present": PRESENT_PATH}
