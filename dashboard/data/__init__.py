"""Cached data functions for pages and callbacks (no SQL here: see store).

Results are plain dicts/lists so they serialise into any cache backend. The
memoized functions take only strings: the data version and the filters in
their canonical query-string form, so a cache key is the same text in every
gunicorn worker and every instance sharing one Redis (see ``dashboard.data.cache``).
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict
from functools import lru_cache

from dashboard import config, urls
from dashboard.data.cache import memoize
from dashboard.data.facet_index import FacetIndex
from dashboard.facets import FACET_BY_KEY, FACETS, Filters, search_key
from dashboard.store import open_store
from dashboard.store.sources import COUNTRIES_FILE, country_names
from dashboard.urls import from_query
from layers.countries import served_geojson


def version() -> str:
    """Identifies the data: the store's sources hash (part of every cache key)."""
    return open_store().build_info()["sources_hash"]


# -- memoized: (data version, strings) -> plain data ------------------------------

# lists of cities (about 1 kB a row: 100 MB and more for 100,000 cities) are not kept in worker
# memory: each call reads a fresh copy from the shared tier. The map's filter answers come from
# the facet index, and city lookups from an id -> row index (_positions), instead.
@memoize(local=0)
def _city_points(data_version: str, query: str) -> list[dict]:
    return [asdict(p) for p in open_store().city_points(from_query(query))]


def facet_index() -> FacetIndex:
    """This worker's facet index of the served data (built on first use)."""
    return _facet_index(version())


@lru_cache(maxsize=2)
def _facet_index(data_version: str) -> FacetIndex:
    # built in each worker from one query (numpy arrays: not for the shared cache)
    return FacetIndex(open_store().facet_table())


# the map's filter answers come from the facet index: faster than a Redis round trip,
# so they are kept only in the worker's memory
@memoize(local=64, shared=False)
def _selection(data_version: str, query: str) -> dict:
    return _facet_index(data_version).selection(from_query(query))


@memoize(local=512, shared=False)
def _facet_counts(data_version: str, query: str) -> dict:
    return _facet_index(data_version).facet_counts(from_query(query))


@memoize(local=0)
def _city_rows(data_version: str, query: str) -> list[dict]:
    return open_store().city_rows(from_query(query))


@memoize(local=512, shared=False)
def _city_list(data_version: str, query: str, limit: int) -> list[dict] | None:
    positions = _facet_index(data_version).positions(from_query(query), limit)
    return None if positions is None else open_store().city_list(positions)


@memoize(local=512, shared=False)
def _profile_facts(data_version: str, query: str) -> dict:
    return _facet_index(data_version).profile_facts(from_query(query))


@memoize()
def _profile_item_counts(data_version: str, kind: str, query: str) -> dict:
    return open_store().profile_item_counts(kind, from_query(query))


@memoize()
def _summary(data_version: str) -> dict:
    return open_store().summary()


@memoize()
def _city(data_version: str, city_id: str) -> dict | None:
    return open_store().city(city_id)


@memoize()
def _city_index(data_version: str) -> list[dict]:
    return open_store().city_index()


@memoize()
def _findings(data_version: str) -> dict[str, list[dict]]:
    store = open_store()
    return {"findings": store.findings(), "wellbeing_gaps": store.wellbeing_gaps()}


@memoize()
def _recommendations(data_version: str) -> list[dict]:
    return open_store().recommendations()


@memoize()
def _slides(data_version: str) -> list[dict]:
    return open_store().slides()


@memoize()
def _profile_answers(data_version: str) -> list[dict]:
    return open_store().profile_answers()


@memoize()
def _search(data_version: str, text: str, limit: int) -> list[dict]:
    return open_store().search(text, limit)


# -- the functions pages and callbacks call ----------------------------------------

def city_points(filters: Filters = Filters()) -> list[dict]:
    return _city_points(version(), filters.canonical)


def point_ids() -> list[str]:
    """Ids of every city in the order of the map's point table (and of its selection bits)."""
    return [p["id"] for p in city_points()]


def selection(filters: Filters = Filters()) -> dict:
    """The selection's count, the number of all cities and the selection's extent
    (``FacetIndex.selection``)."""
    return _selection(version(), filters.canonical)


def city_count() -> int:
    return selection()["total"]


def facet_counts(filters: Filters = Filters()) -> dict:
    return _facet_counts(version(), filters.canonical)


def city_rows(filters: Filters = Filters()) -> list[dict]:
    """One row per city with its facts (see ``Store.city_rows``)."""
    return _city_rows(version(), filters.canonical)


def city_list(filters: Filters, limit: int) -> list[dict] | None:
    """id, name, country, tier and score of the selection's cities by name (``Store.city_list``),
    or None when they are more than ``limit``: the facet index picks them, not a query per facet."""
    return _city_list(version(), filters.canonical, limit)


def profile_facts(filters: Filters = Filters()) -> dict:
    """Selection size, published profiles, scores, and yes/no counts of strategy, team, funding
    (``Store.profile_facts``)."""
    return _profile_facts(version(), filters.canonical)


def profile_item_counts(kind: str, filters: Filters = Filters()) -> dict:
    """Cities listing each label of one profile list in the selection (``Store.profile_item_counts``)."""
    return _profile_item_counts(version(), kind, filters.canonical)


def summary() -> dict:
    return _summary(version())


def city(city_id: str | None) -> dict | None:
    """Everything the store holds about one city (None: no such city)."""
    known = known_city(city_id)
    return _city(version(), known) if known else None


def known_city(raw) -> str | None:
    """The one rule for city ids from URLs, paths and controls: the id when it has an id's form
    (``urls.city_id``) and names a city of the served store, else None."""
    city_id = urls.city_id(raw)
    return city_id if city_id is not None and city_id in _positions(version()) else None


def facet_values(key: str) -> tuple[str, ...]:
    """The values of a facet the served data knows: a closed vocabulary's all (its specification's,
    ``facets.FACETS``); an open one's those of the store's cities (countries: their ISO3 codes;
    survey waves: the years, then "unknown", which the map always offers). The filter controls
    offer these (``vocabulary.facet_values``) and ``known_filters`` keeps only these."""
    facet = FACET_BY_KEY[key]
    if facet.values:
        return facet.values
    if key == "country":
        return tuple(c["iso3"] for c in countries())
    if key == "wave":
        return (*(w for w in waves() if w != "unknown"), "unknown")
    raise KeyError(f"no rule for the values of the open facet {key!r}")


def known_filters(filters: Filters) -> Filters:
    """The one rule for filters from URLs and controls, as ``known_city`` is for city ids: each
    facet's values that the data knows (``facet_values``); a value no city has of an open facet
    (``country=ZZZ``, a year of no survey) is dropped and the rest applies, so every part of a page
    (its first view, its controls, its links, the data API) shows the same selection. Values of a
    closed facet were checked by the URL codec (``urls.from_query``)."""
    open_keys = [key for key in filters if not FACET_BY_KEY[key].values]
    if not open_keys:
        return filters
    known = _known_values(version())
    kept = {key: tuple(v for v in filters[key] if v in known[key]) for key in open_keys}
    return filters if all(kept[key] == filters[key] for key in open_keys) else Filters({**filters, **kept})


def read_filters(query) -> Filters:
    """The filters of a page's or the API's address (a query string or mapping): the URL codec's
    (``urls.from_query``), with values the data does not know dropped (``known_filters``)."""
    return known_filters(from_query(query))


@lru_cache(maxsize=2)
def _known_values(data_version: str) -> dict[str, frozenset[str]]:
    # each open facet's values as a set, per worker and data version (not keyed by anything a URL says)
    return {f.key: frozenset(facet_values(f.key)) for f in FACETS if not f.values}


def in_selection(city_id: str, filters: Filters) -> bool:
    """Whether the city is one of the selection's."""
    pos = _positions(version()).get(city_id)
    return pos is not None and bool(facet_index().mask(filters)[pos])


@lru_cache(maxsize=2)
def _positions(data_version: str) -> dict[str, int]:
    # each city's row in the point table, derived in each worker (not in the shared cache, so
    # unknown ids from URLs never become cache keys)
    return {city_id: i for i, city_id in enumerate(point_ids())}


def city_index() -> list[dict]:
    """id, name and country of every city, by name."""
    return _city_index(version())


def findings() -> dict[str, list[dict]]:
    """The survey's published findings and the well-being gaps, each row with its source."""
    return _findings(version())


def recommendations() -> list[dict]:
    """The brochure's ten recommendations by number, each with its layer, its example cities of the
    store (``[{"id", "name", "country"}]``) and its source (``Store.recommendations``)."""
    return _recommendations(version())


def slides() -> list[dict]:
    """The presentation's slides in order (``Store.slides``)."""
    return _slides(version())


def profile_answers() -> list[dict]:
    return _profile_answers(version())


def search(text: str, limit: int = 10) -> list[dict]:
    """Cities whose name contains the text (accents and case ignored)."""
    return _search(version(), (text or "").strip()[:100], limit)


def build_info() -> dict[str, str]:
    """When and from which sources the store was built (``sources_hash``, ``built_at``)."""
    return open_store().build_info()


def source_urls() -> list[dict]:
    return open_store().source_urls()


def location_exceptions() -> list[dict]:
    return open_store().location_exceptions()


@memoize()
def _countries(data_version: str) -> list[dict]:
    return open_store().countries()


def countries() -> list[dict]:
    """Every country with cities in the store (iso3, name, how many cities)."""
    return _countries(version())


@memoize()
def _waves(data_version: str) -> list[str]:
    return open_store().waves()


def waves() -> list[str]:
    """Every survey wave of the store's cities ("2018", "2020", ... and "unknown" when a city has it)."""
    return _waves(version())


def world_countries() -> list[dict]:
    """Every country of the base map (iso3, country), named as the atlas's cities name it where it
    has some, else as Natural Earth does; by name. A new city's country must be one of these."""
    return _world_countries(version())


@lru_cache(maxsize=2)
def _world_countries(data_version: str) -> list[dict]:
    names = country_names(config.load().data_dir / COUNTRIES_FILE)
    names.update({c["iso3"]: c["country"] for c in countries()})
    return sorted(({"iso3": k, "country": v} for k, v in names.items()),
                  key=lambda c: (search_key(c["country"]), c["iso3"]))



# -- the map's borders, as served -------------------------------------------------------

@lru_cache(maxsize=1)
def borders() -> bytes:
    """The body of ``urls.COUNTRIES_URL``: data/countries.geojson as the map takes it, with a label
    point per country (``layers.countries.served_geojson``), made once per process. Raises
    OSError or ValueError when the file is unreadable (app.py then answers 503 for it alone)."""
    return served_geojson((config.load().data_dir / COUNTRIES_FILE).read_bytes())


@lru_cache(maxsize=1)
def borders_version() -> str | None:
    """A hash of the served borders, which their addresses name (``urls.countries_url``,
    ``urls.border_drawing_url``): a new body gets a new address, so browsers may keep one for a
    year. None when the file is unreadable. Made once per process, as the borders are."""
    try:
        return hashlib.sha256(borders()).hexdigest()[:16]
    except (OSError, ValueError, KeyError, TypeError):
        return None
