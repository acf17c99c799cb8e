"""Logic of the map page as plain functions (called by thin callbacks and tests).

The page's whole state lives in the URL (README, "URL parameters"), read and
written by the URL codec (``dashboard/urls.py``). ``page_state`` says what the
page shows for a state; ``sync`` decides what changes after an event (a filter,
the reset button, a city, back/forward) as a ``Changes`` object whose fields
the page's callbacks turn into their outputs.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from dashboard import config, data, urls, vocabulary
from dashboard.facets import FACETS, Filters, search_key
from dashboard.i18n import current_lang, number, number_format, separators
from dashboard.urls import CITY_ZOOM, DEFAULT_ZOOM, MapState, View
from layers.cities import CLUSTER_OPTIONS
from layers.firstmap import Supercluster, bounds_zoom, cluster_ring, cluster_size, layer_point
from layers.style import RING_COLOR, TIER_ORDER, radius

# the facets on the map page, in order: the country first (a dropdown), then the checklists and the
# long lists of the profiles (dropdowns)
MAP_FACETS = ("country", *(f.key for f in FACETS if f.key != "country"))
WORLD_BOUNDS = [[-45.0, -130.0], [65.0, 180.0]]
# a selection's bounds: its extent, padded (degrees) and kept within Web Mercator's latitudes and the
# date line; the browser fits the map to a new selection by the same rule (``FIT``, atlas_map.js map.fit)
FIT_PAD = 2.0
FIT_LIMITS = [[-85.0, -180.0], [85.0, 180.0]]
FIT = {"pad": FIT_PAD, "limits": FIT_LIMITS, "world": WORLD_BOUNDS}
LIST_MAX = 30  # a selection of at most this many cities is listed by name beside the map


# a filter option: the value's words and the count it would give, "Europe (23)" (the browser writes
# the same labels from this pattern, ``browser_words``)
OPTION_LABEL = "{label} ({count})"


def options(key: str, counts: dict[str, int]) -> list[dict]:
    """Options with the count each value would give, e.g. "Europe (23)"."""
    count = number_format()
    return [{"label": OPTION_LABEL.format(label=word, count=count(counts.get(v, 0))), "value": v}
            for v, word in option_words(key)]


def browser_words() -> dict:
    """What the browser needs to write the count line and the filter options itself after a
    change (assets/atlas_map.js ``filterPanel``), in the request's language: each map facet's
    values in display order with their words, the count line's plural forms
    (``vocabulary.plural_forms``), the options' pattern and the digit grouping. The same for
    every page of a language and data version: made once (do not change what you get)."""
    return _browser_words(current_lang(), data.version())


@lru_cache(maxsize=8)
def _browser_words(lang: str, data_version: str) -> dict:
    # lang and data_version only key the cache: the words follow the request's language
    return {"facets": [[key, [[v, word] for v, word in option_words(key)]] for key in MAP_FACETS],
            "count": vocabulary.plural_forms(vocabulary.cities_shown), "option": OPTION_LABEL,
            "group": separators()[1:]}


def option_words(key: str) -> list[tuple[str, str]]:
    words = vocabulary.value_words(key)
    return [(v, words.get(v, v)) for v in vocabulary.facet_values(key)]


def bounds(extent: list[float] | None, pad: float = FIT_PAD) -> list[list[float]]:
    """South-west and north-east corners around a selection's extent ([south, west, north,
    east], see ``data.selection``), padded; the world when the selection is empty."""
    if not extent:
        return WORLD_BOUNDS
    south, west, north, east = extent
    (low_lat, low_lon), (high_lat, high_lon) = FIT_LIMITS
    return [[max(south - pad, low_lat), max(west - pad, low_lon)],
            [min(north + pad, high_lat), min(east + pad, high_lon)]]


def center(box: list[list[float]]) -> list[float]:
    (south, west), (north, east) = box
    return [round((south + north) / 2, 2), round((west + east) / 2, 2)]


@dataclass(frozen=True)
class Selection:
    """What the map and the filter controls show for a selection: ``query`` is the filters'
    canonical query string, by which the browser picks the map's cities from its point table;
    ``count`` how many they are; ``options`` each facet's options with counts (computed when
    asked: after a change the browser writes the count and the options itself)."""
    filters: Filters
    query: str
    count: int
    listed: tuple[dict, ...] | None = None  # the cities by name (``listed``), None above LIST_MAX
    fit: list[list[float]] | None = None  # the selection's bounds (the world when it is empty)

    @property
    def count_text(self) -> str:
        return vocabulary.cities_shown(self.count)

    @cached_property
    def options(self) -> dict[str, list[dict]]:
        counts = data.facet_counts(self.filters)
        return {k: options(k, counts[k]) for k in MAP_FACETS}


def listed(filters: Filters) -> tuple[dict, ...] | None:
    """The selection's cities by name, for the list beside the map: name, country, tier in words
    and the score ("7.5", None when not published), ordered by name; None above LIST_MAX."""
    rows = data.city_list(filters, LIST_MAX)
    return None if rows is None else tuple(
        {"id": r["id"], "name": r["name"], "country": vocabulary.country_name(r["country"]), "tier": r["psi_tier"],
         "tier_text": vocabulary.tier_words(r["psi_tier"], r["psi_source"]),
         "score": None if r["psi_index"] is None else number(r["psi_index"], 1)} for r in rows)


def selection(filters: Filters) -> Selection:
    chosen = data.selection(filters)
    return Selection(filters, filters.canonical, chosen["count"], listed(filters), bounds(chosen["extent"]))


def known(state: MapState) -> MapState:
    """The state with its filters and its city checked against the store: values the data does not
    know (``data.known_filters``) and an unknown id (``data.known_city``) are dropped."""
    return MapState(data.known_filters(state.filters), data.known_city(state.city), state.view)


def read_url(query) -> MapState:
    """The map page's state from its URL (``urls.parse_map``), checked against the store (``known``)."""
    return known(urls.parse_map(query))


def opens_on_city(state: MapState) -> bool:
    """Whether the page opens on its chosen city without a view in the address: in the middle of the
    map, which the browser moves above a phone's bottom sheet (assets/atlas_map.js ``aboveSheet``)."""
    return bool(data.city(state.city)) and not state.view.has_center


def initial_view(state: MapState) -> tuple[list[float], int, list[list[float]] | None]:
    """Centre, zoom and bounds to fit when a page opens: the URL's view, else the
    selected city, else the selection's bounds (fitted to the screen by the browser)."""
    city = data.city(state.city)
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


def entry_view(state: MapState, current: View) -> dict:
    """Where the map goes for a history entry: its view, else its city, else its selection fitted."""
    if state.view.has_center:
        return {"center": [state.view.lat, state.view.lon], "zoom": state.view.zoom or current.zoom or DEFAULT_ZOOM,
                "animate": False}
    city = data.city(state.city)
    if city:
        return focus(city, View(state.view.zoom), animate=False)
    return {"bounds": bounds(data.selection(state.filters)["extent"]), "animate": False}



@dataclass(frozen=True)
class Changes:
    """What changes on the map page after an event; each field is None when that part stays.

    ``filters``: new values for the filter controls; ``selection``: the map's new selection
    (count, options, summary and data links follow it); ``city``: the chosen city (``""``
    when the panel closes); ``focus``: a view to move to; ``search``: a query string to push
    to the browser history."""
    filters: Filters | None = None
    selection: Selection | None = None
    city: str | None = None
    focus: dict | None = None
    search: str | None = None
    state: MapState = field(default_factory=MapState)  # the page's state after the event
    fit: bool = False  # fit the map to the new selection (unless the visitor moved it: the browser knows)


def sync(trigger: str, current: MapState, search: str | None = None) -> Changes:
    """What changes on the map page after an event.

    ``trigger`` is "filters", "reset", "city" or "url" (back/forward: the URL in ``search``
    is applied). ``current`` is the page's state as its controls show it after the event.
    """
    current = known(current)
    if trigger == "url":
        target = read_url(search or "")
        moved = target.filters != current.filters
        changes = Changes(filters=target.filters if moved else None,
                          selection=selection(target.filters) if moved else None,
                          city=(target.city or "") if target.city != current.city else None, state=target)
        if moved or changes.city is not None or (target.view.has_center and target.view != current.view):
            # the entry's view; after back/forward the map may still be flying, so its reported view
            # is stale: move whenever the entry differs
            changes = Changes(**{**changes.__dict__, "focus": entry_view(target, current.view)})
        return changes
    if trigger == "reset":
        state = MapState(Filters(), current.city, current.view)
        return Changes(filters=state.filters, selection=selection(state.filters), search=urls.map_query(state),
                       state=state, fit=True)
    if trigger == "city":
        city = data.city(current.city)
        return Changes(city=current.city or "", focus=focus(city, current.view, animate=True) if city else None,
                       search=urls.map_query(current), state=current)
    return Changes(selection=selection(current.filters), search=urls.map_query(current), state=current, fit=True)


def search_is_local() -> bool:
    """Whether the search box gets every city and filters in the browser (up to
    ATLAS_LOCAL_SEARCH_MAX cities) or asks the server as the user types."""
    return data.city_count() <= config.load().local_search_max


def chosen_option(selected: str | None) -> list[dict]:
    """The search box's options before the visitor reaches for it: the chosen city's alone (so the
    box shows its name), or none; ``city_options`` gives the rest when asked (``search_cities``)."""
    city = data.city(selected)
    return [_city_option(city)] if city else []


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
        return list(_every_city_option(data.version(), current_lang()))
    rows = data.search(text, 20) if isinstance(text, str) and text.strip() else []
    chosen = [] if selected in {r["id"] for r in rows} else chosen_option(selected)
    return chosen + [_city_option(r) for r in rows]


def _city_option(row: dict) -> dict:
    # a city is found by its country's name in English and in the page's language
    country = vocabulary.country_name(row["country"])
    return {"label": f"{row['name']} ({country})", "value": row["id"],
            "search": search_key(f"{row['name']} {row['country']} {country}")}


@lru_cache(maxsize=8)
def _every_city_option(data_version: str, lang: str) -> tuple[dict, ...]:
    # the same for every page in one language: folded once per worker, data version and language
    # (do not change them); the arguments only key the cache
    return tuple(_city_option(r) for r in data.city_index())


# -- the first view: the map drawn into the page's first HTML (pages/home.py first_view) --------

# the containers the map may get (width, height in pixels: a small phone to a 4K screen): the zooms
# fitting the selection's bounds in them are the ones the first view draws
CONTAINER_RANGE = ((240, 200), (3840, 2160))
FIRST_ZOOMS_MAX = 4  # at most this many zooms drawn (a fit outside them shows no first markers)
FIRST_VIEW_MAX = 2_000  # above this many cities the page draws no first markers (the port clusters about
# 10,000 cities a second: 0.2 s at most, once per worker and selection)


@dataclass(frozen=True)
class FirstMap:
    """What Leaflet will draw when the page opens, for each zoom it may open at: ``layers`` maps a
    zoom to its single markers ``(x, y, radius, tier)`` and its clusters ``(x, y, size, count,
    ring, mix)`` in whole world pixels (``layers.firstmap``); no markers for an empty selection (the
    borders alone). The view is ``fit`` (bounds the browser fits to the container, leaving
    ``padding`` free, at a multiple of ``snap``) or else ``center`` and ``zoom``; the map opens at
    ``center`` and ``zoom`` before it fits (Leaflet pans rather than redraws when the zoom stays).
    Between two whole zooms the browser shows the lower one's layer, its places scaled.
    ``above_sheet``: a city opened without a view, which the browser
    moves above a phone's bottom sheet (assets/atlas_map.js ``aboveSheet``); ``selected``: the chosen
    city's world pixel at each zoom, where its ring goes (layers/cities.py ``selected_marker``), and
    ``selected_name`` its name, written beside it (text from data: the page escapes it);
    ``highlight``: cities ringed at each zoom, ``(x, y, name)`` with ``name`` None for a city not
    named (the presentation's, layers/cities.py ``HIGHLIGHT_RING``)."""
    count: int
    layers: dict
    fit: list | None = None
    center: list | None = None
    zoom: int = DEFAULT_ZOOM
    above_sheet: bool = False
    selected: dict | None = None
    selected_name: str | None = None
    snap: float = 1
    padding: list | None = None
    highlight: dict | None = None


def first_map(state: MapState) -> FirstMap | None:
    """The first view of the map page's address, or None where the page draws none: more than
    FIRST_VIEW_MAX cities."""
    state = known(state)
    center_, zoom, fit = initial_view(state)
    zooms = first_zooms(fit, zoom)
    drawn = first_cities(state.filters, zooms)
    if drawn is None:
        return None
    count, layers = drawn
    city = data.city(state.city)
    selected = {z: layer_point(city["lat"], city["lon"], z) for z in zooms} if city else None
    return FirstMap(count, layers, fit, center_, zoom, above_sheet=opens_on_city(state), selected=selected,
                    selected_name=city["name"] if city else None)


def first_zooms(fit: list | None, zoom: int, padding: list | None = None, snap: float = 1) -> range | tuple:
    """The whole zooms a first view draws: the view's own, or those the fit may give in the containers
    of CONTAINER_RANGE less ``padding`` ([[left, top], [right, bottom], right's largest share of the
    width], as pages/present.py ``FIT_PADDING_SCRIPT`` reads it; at most FIRST_ZOOMS_MAX). A fit between
    two zooms (``snap`` < 1) shows the lower one."""
    if not fit:
        return (zoom,)
    (left, top), (right, bottom), share = padding or ((0, 0), (0, 0), 0)
    low, high = (math.floor(bounds_zoom(fit, w - left - min(right, w * share), h - top - bottom, urls.MIN_ZOOM,
                                        from_zoom=zoom, snap=snap)) for w, h in CONTAINER_RANGE)
    return range(low, min(high, low + FIRST_ZOOMS_MAX - 1) + 1)


def first_cities(filters: Filters, zooms) -> tuple[int, dict] | None:
    """How many cities a selection has, and each zoom's single markers and clusters of them
    (``FirstMap.count`` and ``.layers``); None above FIRST_VIEW_MAX cities, where a page draws no first view."""
    count = data.selection(filters)["count"]
    if count > FIRST_VIEW_MAX:
        return None
    return count, {z: _first_layer(data.version(), filters.canonical, z) if count else ((), ()) for z in zooms}


@lru_cache(maxsize=64)
def _cluster_index(data_version: str, query: str) -> tuple[Supercluster, list[dict]]:
    # the layer gets the selection's cities in the point table's order, at its rounding
    # (layers/cities.py point_table); the arguments key the cache
    points = [{"lat": round(p["lat"], 5), "lon": round(p["lon"], 5), "tier": p["psi_tier"],
               "radius": radius(p["population"])} for p in data.city_points(urls.from_query(query))]
    options = CLUSTER_OPTIONS
    index = Supercluster(radius=options["radius"], extent=options["extent"], max_zoom=options["maxZoom"])
    return index.load([(p["lon"], p["lat"]) for p in points]), points


@lru_cache(maxsize=256)
def _first_layer(data_version: str, query: str, zoom: int) -> tuple[tuple, tuple]:
    index, points = _cluster_index(data_version, query)
    singles, clusters = [], []
    for item in index.clusters(zoom):
        if item["count"] == 1:
            p = points[item["members"][0]]
            singles.append((*layer_point(p["lat"], p["lon"], zoom), p["radius"], p["tier"]))
            continue
        tiers: dict[str, int] = {}
        for i in item["members"]:
            tiers[points[i]["tier"]] = tiers.get(points[i]["tier"], 0) + 1
        ring, mix = cluster_ring(tiers, TIER_ORDER, RING_COLOR)
        clusters.append((*layer_point(item["lat"], item["lon"], zoom), cluster_size(item["count"]), item["count"],
                         ring, mix))
    # Leaflet stacks marker icons by their height on the screen (the lower in front)
    return tuple(singles), tuple(sorted(clusters, key=lambda c: c[1]))
