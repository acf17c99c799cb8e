"""Logic of the map page as plain functions (called by thin callbacks and tests).

The page's whole state lives in the URL (see README, "URL parameters"):
filters, the selected city and the map view. ``url_state`` reads it,
``permalink`` writes it, and ``sync`` decides what changes on the page when a
filter, the city or the URL (browser back/forward) changes.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlencode

from dashboard import config, data
from dashboard.facets import FACET_BY_KEY, Filters, from_query, query_mapping, search_key
from dashboard.i18n import _, current_lang

# facets shown as checklists on the map page, in order; the country facet is a dropdown
CHECKLIST_FACETS = ("region", "tier", "covid", "strategy", "funding", "team", "pop", "wave", "confirmed")
MAP_FACETS = ("country", *CHECKLIST_FACETS)

DEFAULT_ZOOM, CITY_ZOOM, MIN_ZOOM, MAX_ZOOM = 2, 6, 1, 14
_CITY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


# the words for each facet's values (functions: the words follow the request's language)
VALUE_LABELS = {
    "region": lambda: {"north-america": _("North America"), "latin-america": _("Latin America"),
                       "europe": _("Europe"), "middle-east": _("Middle East"), "africa": _("Africa"),
                       "asia": _("Asia"), "oceania": _("Oceania")},
    "tier": lambda: {"high": _("High"), "low": _("Low"), "unknown": _("Not published")},
    "covid": lambda: {"situational-awareness": _("Situational awareness and prevention"),
                      "inclusive-social": _("Inclusive social programmes"), "co-creation": _("Co-creating solutions"),
                      "recovery-resilience": _("Recovery and resilience")},
    "confirmed": lambda: {"yes": _("Confirmed survey respondent"), "no": _("Brochure example, not confirmed")},
    "pop": lambda: {"lt100k": _("Under 100,000"), "100k-500k": _("100,000 to 500,000"),
                    "500k-1m": _("500,000 to 1 million"), "1m-5m": _("1 to 5 million"), "gt5m": _("Over 5 million"),
                    "unknown": _("Not known")},
    "wave": lambda: {"2018": _("2018"), "2020": _("2020"), "unknown": _("Not stated")},
    "strategy": lambda: yes_no_labels(), "funding": lambda: yes_no_labels(), "team": lambda: yes_no_labels(),
    "country": lambda: country_names(),
}


def yes_no_labels() -> dict[str, str]:
    return {"yes": _("Yes"), "no": _("No"), "unknown": _("Not published")}


def value_label(key: str, value: str) -> str:
    return labels(key).get(value, value) if key in VALUE_LABELS else value


def labels(key: str) -> dict[str, str]:
    """The words for each value of a facet in the request's language. Built once per language
    and data version (tables and filter options ask for them thousands of times); do not change
    the dict you get."""
    return _labels(key, current_lang(), data.version())


@lru_cache(maxsize=256)
def _labels(key: str, lang: str, data_version: str) -> dict[str, str]:
    # lang and data_version only key the cache: VALUE_LABELS words follow the request's language
    return VALUE_LABELS[key]()


def facet_title(key: str) -> str:
    return {"region": _("World region"), "tier": _("Innovation-capacity tier"),
            "covid": _("COVID-19 response"), "confirmed": _("Survey participation"), "country": _("Country"),
            "strategy": _("Explicit innovation strategy"), "funding": _("Dedicated innovation funding"),
            "team": _("Innovation team"), "pop": _("Population (GeoNames)"), "wave": _("Survey wave")}.get(key, key)


def country_names() -> dict[str, str]:
    return {c["iso3"]: c["country"] for c in data.countries()}


def facet_values(key: str) -> tuple[str, ...]:
    if key == "country":
        return tuple(country_names())
    return FACET_BY_KEY[key].values


def options(key: str, counts: dict[str, int]) -> list[dict]:
    """Options with the count each value would give, e.g. "Europe (23)"."""
    words = labels(key)
    return [{"label": f"{words.get(v, v)} ({counts.get(v, 0)})", "value": v} for v in facet_values(key)]


WORLD_BOUNDS = [[-45.0, -130.0], [65.0, 180.0]]


def bounds(extent: list[float] | None, pad: float = 2.0) -> list[list[float]]:
    """South-west and north-east corners around a selection's extent ([south, west, north,
    east], see ``data.selection``), padded; the world when the selection is empty."""
    if not extent:
        return WORLD_BOUNDS
    south, west, north, east = extent
    return [[max(south - pad, -85), max(west - pad, -180)], [min(north + pad, 85), min(east + pad, 180)]]


def center(box: list[list[float]]) -> list[float]:
    (south, west), (north, east) = box
    return [round((south + north) / 2, 2), round((west + east) / 2, 2)]


def map_state(filters: Filters) -> dict:
    """What the map and the filter controls show for a selection: ``selection`` is the filters'
    canonical query string, by which the browser picks the map's cities from its point table
    (see layers/cities.py); ``count`` how many they are."""
    selected = data.selection(filters)
    counts = data.facet_counts(filters)
    return {
        "selection": data.canonical(filters),
        "count": selected["count"],
        "options": {k: options(k, counts[k]) for k in MAP_FACETS},
    }


# ------------------------------------------------------------------ URL state

@dataclass(frozen=True)
class View:
    """The map view in the URL: zoom and centre; None where not given."""
    zoom: int | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def has_center(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class UrlState:
    filters: Filters = field(default_factory=Filters)
    city: str | None = None
    view: View = field(default_factory=View)


def _number(raw, low: float, high: float) -> float | None:
    try:
        value = float(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and low <= value <= high else None


def wrap_lon(lon: float) -> float:
    return ((lon + 180.0) % 360.0) - 180.0


def parse_view(query) -> View:
    """z / lat / lon from the URL; each malformed or out-of-range value is dropped."""
    query = query_mapping(query)
    zoom = _number(query.get("z"), MIN_ZOOM, MAX_ZOOM)
    lat, lon = _number(query.get("lat"), -85, 85), _number(query.get("lon"), -180, 180)
    if lat is None or lon is None:
        lat = lon = None
    return View(None if zoom is None else int(round(zoom)), lat, lon)


def parse_city(raw) -> str | None:
    """A city id from the URL or a control, if such a city is in the store."""
    if not isinstance(raw, str) or not _CITY_ID.match(raw.strip().lower()):
        return None
    city_id = raw.strip().lower()
    return city_id if data.city(city_id) else None


def url_state(query) -> UrlState:
    query = query_mapping(query)
    return UrlState(from_query(query), parse_city(query.get("city")), parse_view(query))


def view_from_map(zoom, center_prop) -> View:
    """The view as the map reports it (center as [lat, lon] or {"lat", "lng"})."""
    z = _number(zoom, MIN_ZOOM, MAX_ZOOM)
    lat = lon = None
    if isinstance(center_prop, dict):
        lat, lon = center_prop.get("lat"), center_prop.get("lng")
    elif isinstance(center_prop, (list, tuple)) and len(center_prop) == 2:
        lat, lon = center_prop
    lat = _number(lat, -90, 90)
    lon = _number(lon, -1e6, 1e6)
    if lat is None or lon is None:
        return View(None if z is None else int(round(z)))
    return View(None if z is None else int(round(z)), round(max(-85.0, min(85.0, lat)), 2), round(wrap_lon(lon), 2))


def permalink(state: UrlState) -> str:
    """The query string for a state ("" when nothing is set), keys in a stable order."""
    pairs = list(state.filters.to_query().items())
    if state.city:
        pairs.append(("city", state.city))
    if state.view.zoom is not None:
        pairs.append(("z", str(state.view.zoom)))
    if state.view.has_center:
        pairs += [("lat", f"{state.view.lat:.2f}"), ("lon", f"{state.view.lon:.2f}")]
    return "?" + urlencode(pairs, safe=",") if pairs else ""


def initial_view(state: UrlState) -> tuple[list[float], int, list[list[float]] | None]:
    """Centre, zoom and bounds to fit when a page opens: the URL's view, else the
    selected city, else the selection's bounds (fitted to the screen by the browser)."""
    city = data.city(state.city) if state.city else None
    zoom = state.view.zoom if state.view.zoom is not None else (CITY_ZOOM if city else DEFAULT_ZOOM)
    if state.view.has_center:
        return [state.view.lat, state.view.lon], zoom, None
    if city:
        return [city["lat"], city["lon"]], zoom, None
    box = bounds(data.selection(state.filters)["extent"])
    return center(box), zoom, (None if state.view.zoom is not None else box)


def focus(city: dict, current: View, animate: bool) -> dict:
    """Where the map goes when a city is chosen (the page skips the animation for reduced motion)."""
    zoom = max(current.zoom or DEFAULT_ZOOM, CITY_ZOOM)
    return {"center": [city["lat"], city["lon"]], "zoom": zoom, "animate": animate}


def entry_view(state: UrlState, current: View) -> dict:
    """Where the map goes for a history entry: its view, else its city, else its selection fitted."""
    if state.view.has_center:
        return {"center": [state.view.lat, state.view.lon], "zoom": state.view.zoom or current.zoom or DEFAULT_ZOOM,
                "animate": False}
    city = data.city(state.city) if state.city else None
    if city:
        return focus(city, View(state.view.zoom), animate=False)
    return {"bounds": bounds(data.selection(state.filters)["extent"]), "animate": False}


def sync(trigger: str, current: UrlState, search: str | None = None) -> dict:
    """What changes on the map page after an event.

    ``trigger`` is "filters", "reset", "city" or "url" (back/forward: the
    URL in ``search`` is applied). Returns only the parts that change:
    ``filters`` (a new Filters for the controls), ``map`` (see map_state),
    ``city`` (id or None, for the panel), ``focus`` (a view to move to) and
    ``search`` (a query string to push to the browser history).
    """
    out: dict = {}
    if trigger == "reset":
        current = UrlState(Filters(), current.city, current.view)
        out["filters"] = current.filters
        out["map"] = map_state(current.filters)
    elif trigger == "filters":
        out["map"] = map_state(current.filters)
    elif trigger == "city":
        city = data.city(current.city) if current.city else None
        current = UrlState(current.filters, city["id"] if city else None, current.view)
        out["city"] = current.city
        if city:
            out["focus"] = focus(city, current.view, animate=True)
    elif trigger == "url":
        target = url_state(search or "")
        if target.filters != current.filters:
            out["filters"] = target.filters
            out["map"] = map_state(target.filters)
        if target.city != current.city:
            out["city"] = target.city
        if out or (target.view.has_center and target.view != current.view):
            # the entry's view; after back/forward the map may still be flying, so its reported view
            # is stale: move whenever the entry differs
            out["focus"] = entry_view(target, current.view)
        return out
    out["search"] = permalink(current)
    return out


def search_is_local() -> bool:
    """Whether the search box gets every city and filters in the browser (up to
    ATLAS_LOCAL_SEARCH_MAX cities) or asks the server as the user types."""
    return data.city_count() <= config.load().local_search_max


def city_options(text: str | None = None, selected: str | None = None) -> list[dict]:
    """Options of the type-ahead search box.

    Each option carries a ``search`` text folded like the store's search key,
    so the box's own filtering in the browser keeps "Medellín" when the user
    typed "medellin" (and "cornella" finds Cornellà de Llobregat). With few
    enough cities the box gets all of them once and filters in the browser
    (fetching options per keystroke can make Dash's dropdown drop keys typed
    while an answer is on its way); with more, it gets the server's matches
    for ``text`` plus the ``selected`` city.
    """
    if search_is_local():
        rows = data.city_index()
    else:
        rows = data.search(text, 20) if text and text.strip() else []
        city = data.city(selected) if selected else None
        if city and city["id"] not in {r["id"] for r in rows}:
            rows = [{"id": city["id"], "name": city["name"], "country": city["country"]}, *rows]
    return [{"label": f"{r['name']} ({r['country']})", "value": r["id"],
             "search": search_key(f"{r['name']} {r['country']}")} for r in rows]
