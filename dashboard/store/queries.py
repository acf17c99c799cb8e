"""Read-only queries of a built store: the only module that reads it with SQL.

The app opens the store read-only; ``Store`` reopens when the file is swapped.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashboard import config
from dashboard.facets import FACETS, MULTI, Filters, search_key
from dashboard.store.files import ServedFile
from dashboard.store.schema import ITEM_KINDS

@dataclass(frozen=True)
class CityPoint:
    id: str
    name: str
    country: str
    region: str
    lat: float
    lon: float
    population: int | None
    psi_index: float | None
    psi_source: str | None
    psi_tier: str
    respondent: bool


class Store:
    """Read-only access to a built store. Reopens when the file is swapped, and survives a
    damaged or missing file where it can (see ``files.ServedFile``)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._file = ServedFile(self.path)
        # a web request reads one file from start to end (the app calls these around each request)
        self.begin_request, self.end_request, self.state = (self._file.begin_request, self._file.end_request,
                                                            self._file.state)

    def _cursor(self):
        return self._file.cursor()

    def rows(self, sql: str, params: list | tuple = ()) -> list[dict]:
        with self._cursor() as cur:
            cur.execute(sql, list(params))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r)) for r in cur.fetchall()]

    def _tuples(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        with self._cursor() as cur:
            return cur.execute(sql, list(params)).fetchall()

    def close(self) -> None:
        self._file.close()

    # -- filters ---------------------------------------------------------------
    @staticmethod
    def _where(filters: Filters, skip: str | None = None) -> tuple[str, list]:
        """The SQL condition on ``city_facts`` of the filters (every facet but ``skip``), derived
        from the facet specification: a single-valued facet tests its column, a multi-valued one
        the city's rows in ``facet_values``; values of one facet are alternatives, facets combine."""
        clauses, params = [], []
        for facet in FACETS:
            values = filters[facet.key]
            if facet.key == skip or not values:
                continue
            marks = ",".join("?" * len(values))
            if facet.multi:
                clauses.append(f"id IN (SELECT city_id FROM facet_values WHERE facet = ? AND value IN ({marks}))")
                params.append(facet.key)
            else:
                clauses.append(f"{facet.column} IN ({marks})")
            params.extend(values)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def city_points(self, filters: Filters = Filters()) -> list[CityPoint]:
        where, params = self._where(filters)
        # tuples straight into CityPoint (fields in the selected order): no dict per row
        rows = self._tuples("SELECT id, name, country, region, lat, lon, population, psi_index, psi_source, psi_tier, "
                            f"respondent FROM city_facts{where} ORDER BY pos", params)
        return [CityPoint(*r) for r in rows]

    def facet_table(self) -> dict:
        """What ``data.facet_index.FacetIndex`` answers from, one row per city in map order
        (``pos``): coordinates, each single-valued facet's column, score source and whether it has
        a profile; and ``multi``, the (pos, facet, value) rows of the multi-valued facets."""
        columns = dict.fromkeys(["lat", "lon", "psi_tier", *(f.column for f in FACETS if f.column)])
        with self._cursor() as cur:
            table = cur.execute(f"SELECT {', '.join(columns)}, coalesce(psi_source, '') AS psi_source, "
                                "id IN (SELECT city_id FROM profiles) AS has_profile FROM city_facts ORDER BY pos"
                                ).fetchnumpy()
            table["multi"] = cur.execute("SELECT f.pos, v.facet, v.value FROM facet_values v "
                                         "JOIN city_facts f ON f.id = v.city_id ORDER BY 1, 2, 3").fetchall()
        return table

    def city_rows(self, filters: Filters = Filters()) -> list[dict]:
        """One row per city with its facts and filter columns, for tables and exports (order: name, id).

        Each multi-valued facet (``covid``, ``policy``, ``role``, ``activity``) is a list of the
        city's values in the facet's canonical order.
        """
        where, params = self._where(filters)
        lists = ", ".join(f"(SELECT list(v.value) FROM facet_values v WHERE v.city_id = city_facts.id "
                          f"AND v.facet = ?) AS \"{f.key}\"" for f in MULTI)
        rows = self.rows(
            "SELECT id, name, country, iso3, region, lat, lon, population, survey_wave, respondent, psi_index, "
            f"psi_source, psi_tier, strategy, funding, team, {lists}, "
            f"source_url FROM city_facts{where} ORDER BY name, id", [*(f.key for f in MULTI), *params])
        for r in rows:
            for f in MULTI:
                r[f.key] = list(f.order(r[f.key] or ()))
        return rows

    def countries(self) -> list[dict]:
        return self.rows("SELECT iso3, country, count(*) AS n FROM cities GROUP BY 1, 2 ORDER BY country")

    def waves(self) -> list[str]:
        return [r["survey_wave"] for r in self.rows("SELECT DISTINCT survey_wave FROM cities ORDER BY 1")]

    # -- single city -----------------------------------------------------------
    def city(self, city_id: str) -> dict | None:
        rows = self.rows("SELECT c.*, s.* EXCLUDE (city_id) FROM cities c JOIN city_scores s ON s.city_id = c.id "
                         "WHERE c.id = ?", [city_id])
        if not rows:
            return None
        city = rows[0]
        prof = self.rows("SELECT * FROM profiles WHERE city_id = ?", [city_id])
        city["profile"] = prof[0] if prof else None
        items: dict[str, list[dict]] = {}
        for r in self.rows("SELECT kind, label, label_type FROM profile_items WHERE city_id = ? ORDER BY kind, position",
                           [city_id]):
            items.setdefault(r["kind"], []).append({"label": r["label"], "label_type": r["label_type"]})
        city["items"] = items
        city["covid_responses"] = self.rows(
            "SELECT id, category, horizon, title, description, date_or_period, source_url FROM covid_responses "
            "WHERE city_id = ? ORDER BY horizon DESC, category, title", [city_id])
        city["case_studies"] = self.rows(
            "SELECT id, theme, title, description, covid_categories, source_title, source_url FROM case_studies "
            "WHERE city_id = ? ORDER BY id", [city_id])
        city["wwc"] = self.rows("SELECT level, year, notes, source_url FROM wwc_certifications WHERE city_id = ? "
                                "ORDER BY year NULLS FIRST", [city_id])
        return city

    def city_list(self, positions: list[int]) -> list[dict]:
        """Name, country, tier and score of the cities at these map positions (``pos``), by name: the
        map's list of a small selection, whose positions the facet index finds."""
        if not positions:
            return []
        marks = ",".join("?" * len(positions))
        return self.rows("SELECT id, name, country, psi_tier, psi_index, psi_source FROM city_facts "
                         f"WHERE pos IN ({marks}) ORDER BY name, id", [int(p) for p in positions])

    def city_index(self) -> list[dict]:
        return self.rows("SELECT id, name, country FROM cities ORDER BY name, id")

    def profile_answers(self) -> list[dict]:
        """Every city with a published profile: its yes/no answers, approach and
        listed items (``items``: kind -> labels in printed order), for finding
        similar cities."""
        cities = self.rows("""SELECT c.id, c.name, c.country, s.psi_tier, s.psi_source,
            p.has_explicit_strategy, p.approach, p.has_innovation_team, p.has_dedicated_funding
            FROM profiles p JOIN cities c ON c.id = p.city_id JOIN city_scores s ON s.city_id = c.id
            ORDER BY c.name, c.id""")
        items: dict[str, dict[str, list[str]]] = {}
        for r in self.rows("SELECT city_id, kind, label FROM profile_items ORDER BY city_id, kind, position"):
            items.setdefault(r["city_id"], {}).setdefault(r["kind"], []).append(r["label"])
        for c in cities:
            c["items"] = items.get(c["id"], {})
        return cities

    def search(self, text: str, limit: int = 10) -> list[dict]:
        key = search_key(text)
        if not key:
            return []
        return self.rows("SELECT id, name, country FROM cities WHERE contains(search_key, ?) "
                         "ORDER BY NOT starts_with(search_key, ?), name LIMIT ?", [key, key, limit])

    # -- reference tables ------------------------------------------------------
    def summary(self) -> dict:
        row = self.rows("""SELECT count(*) AS cities, count(*) FILTER (WHERE respondent) AS respondents,
            count(DISTINCT country) AS countries,
            (SELECT count(*) FROM city_scores WHERE psi_source = 'estimate') AS estimates,
            (SELECT count(*) FROM city_scores WHERE psi_source = 'official') AS official,
            (SELECT count(*) FROM covid_responses) AS covid_responses,
            (SELECT count(*) FROM case_studies) AS case_studies FROM cities""")[0]
        return row

    def build_info(self) -> dict[str, str]:
        """Build metadata; read once per opened store file (data.version() asks on every call)."""
        return self._file.info()

    def source_urls(self) -> list[dict]:
        """Every distinct source address in the store, with what cites it."""
        return self.rows("""
            SELECT source_url, string_agg(DISTINCT what, ', ' ORDER BY what) AS used_for, count(*) AS n FROM (
              SELECT source_url, 'city list' AS what FROM cities
              UNION ALL SELECT profile_url, 'city profiles' FROM profiles
              UNION ALL SELECT source_url, 'COVID-19 responses' FROM covid_responses
              UNION ALL SELECT source_url, 'case studies' FROM case_studies
              UNION ALL SELECT source_url, 'survey findings' FROM findings
              UNION ALL SELECT source_url, 'well-being gaps' FROM wellbeing_gaps
              UNION ALL SELECT source_url, 'recommendations' FROM recommendations
              UNION ALL SELECT source_url, 'What Works Cities' FROM wwc_certifications
            ) GROUP BY 1 ORDER BY 1""")

    def recommendations(self) -> list[dict]:
        """The brochure's recommendations by number, each with its example cities of the store
        (``[{"id", "name", "country"}]`` by name; ``[]`` when none) and its source."""
        return self.rows("""SELECT r.number, r.layer, r.title, r.summary, r.source_title, r.source_url,
            coalesce(list({'id': c.id, 'name': c.name, 'country': c.country} ORDER BY c.name, c.id) FILTER (WHERE c.id IS NOT NULL), [])
              AS example_cities
            FROM recommendations r LEFT JOIN recommendation_cities rc ON rc.number = r.number
            LEFT JOIN cities c ON c.id = rc.city_id GROUP BY ALL ORDER BY r.number""")

    def findings(self) -> list[dict]:
        """Published aggregate shares of the survey, with their confidence and source."""
        return self.rows("SELECT id, topic, question, answer, share_pct, sample, wave, confidence, note, "
                         "source_title, source_url FROM findings ORDER BY id")

    def wellbeing_gaps(self) -> list[dict]:
        """Residents' well-being in high- vs low-capacity cities, with their index sample and source."""
        return self.rows("SELECT id, indicator, group_a, value_a, group_b, value_b, gap_points, unit, index_sample, "
                         "sample_note, source_title, source_url FROM wellbeing_gaps ORDER BY id")

    # -- live aggregates of the published profiles -------------------------------
    def profile_item_counts(self, kind: str, filters: Filters = Filters()) -> dict:
        """For one list of the profiles (``policy_area``, ``role``, ``activity``…):
        how many cities of the selection published it, and per label as printed
        how many of them list it (most listed first)."""
        if kind not in ITEM_KINDS.values():
            raise ValueError(f"unknown profile list {kind!r}; one of {sorted(ITEM_KINDS.values())}")
        where, params = self._where(filters)
        selected = f"kind = ? AND city_id IN (SELECT id FROM city_facts{where})"
        n = self.rows(f"SELECT count(DISTINCT city_id) AS n FROM profile_items WHERE {selected}", [kind, *params])
        items = self.rows(f"SELECT label, count(DISTINCT city_id) AS cities FROM profile_items WHERE {selected} "
                          "GROUP BY label ORDER BY cities DESC, label", [kind, *params])
        return {"kind": kind, "cities": n[0]["n"], "items": items}

    def slides(self) -> list[dict]:
        """The presentation's slides in order (``data/slides.csv``)."""
        return self.rows("SELECT number, kind, subject, finding, chart, cities, filters, notes FROM slides "
                         "ORDER BY number")

    def location_exceptions(self) -> list[dict]:
        return self.rows("SELECT e.city_id, c.name, e.inside_iso3, e.reason FROM location_exceptions e "
                         "JOIN cities c ON c.id = e.city_id ORDER BY c.name")


_stores: dict[Path, Store] = {}


def open_store(path: Path | None = None) -> Store:
    """The process-wide read-only store (one per path)."""
    path = config.load().db_path if path is None else Path(path)  # (no new Path per call: it is on every request's path)
    if path not in _stores:
        _stores[path] = Store(path)
    return _stores[path]

