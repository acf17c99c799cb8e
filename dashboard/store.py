"""The DuckDB store: schema, validated atomic build, ingest, and every query.

This is the only module that imports duckdb or writes SQL. The app opens the
store read-only; a build writes a new file next to it and swaps it in with
``os.replace`` so a failed build never touches the store being served.

Command line::

    python -m dashboard.store build  [--data DIR] [--db PATH]
    python -m dashboard.store ingest FILE [--data DIR] [--db PATH]
    python -m dashboard.store check  [--data DIR]
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dashboard import config
from dashboard.estimate import COMPONENTS, estimate, tier
from dashboard.filters import FACETS, POP_BANDS, Filters, search_key
from dashboard.sources import (BY_FILE, COVID_CATEGORIES, COVID_HORIZON, SOURCE_FILES, SOURCES, BuildError,
                               Problem, read_source, read_sources)

SCHEMA_VERSION = "3"  # 2: city_facts is a table; 3: city_facts.pos
# A source folder holding this file is made-up benchmark data (bench/synthetic.py):
# its store says so in build_info (synthetic = true). The app reads nothing from it.
SYNTHETIC_MARKER = "SYNTHETIC"

SCHEMA = """
CREATE TABLE cities (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, country VARCHAR NOT NULL, iso3 VARCHAR NOT NULL,
    region VARCHAR NOT NULL, lat DOUBLE NOT NULL, lon DOUBLE NOT NULL, population BIGINT,
    population_year INTEGER, survey_wave VARCHAR NOT NULL, respondent BOOLEAN NOT NULL, admin1 VARCHAR,
    geonames_id BIGINT, location_note VARCHAR, wave_note VARCHAR, source_url VARCHAR NOT NULL,
    search_key VARCHAR NOT NULL
);
CREATE TABLE profiles (
    city_id VARCHAR PRIMARY KEY, profile_url VARCHAR NOT NULL, profile_version VARCHAR NOT NULL,
    population_reported BIGINT, population_year INTEGER, mayor VARCHAR, lead_innovation_officer VARCHAR,
    innovation_website VARCHAR, has_explicit_strategy BOOLEAN, approach VARCHAR, n_innovation_roles INTEGER,
    team_location VARCHAR, team_size VARCHAR, has_innovation_team BOOLEAN, has_dedicated_funding BOOLEAN,
    notes VARCHAR
);
CREATE TABLE profile_items (
    city_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, position INTEGER NOT NULL, label VARCHAR NOT NULL,
    label_type VARCHAR NOT NULL, PRIMARY KEY (city_id, kind, position)
);
CREATE TABLE city_scores (
    city_id VARCHAR PRIMARY KEY, psi_index DOUBLE, psi_source VARCHAR, psi_tier VARCHAR NOT NULL,
    data_use_index DOUBLE, data_use_source VARCHAR,
    strategy_points INTEGER, organisation_points INTEGER, funding_points INTEGER, data_points INTEGER,
    evaluation_points INTEGER, components_answered INTEGER NOT NULL,
    official_source_title VARCHAR, official_source_url VARCHAR
);
CREATE TABLE covid_responses (
    id VARCHAR PRIMARY KEY, city_id VARCHAR NOT NULL, category VARCHAR NOT NULL, horizon VARCHAR NOT NULL,
    title VARCHAR NOT NULL, description VARCHAR NOT NULL, date_or_period VARCHAR, source_url VARCHAR NOT NULL
);
CREATE TABLE case_studies (
    id VARCHAR PRIMARY KEY, city_id VARCHAR NOT NULL, theme VARCHAR NOT NULL, title VARCHAR NOT NULL,
    description VARCHAR NOT NULL, covid_categories VARCHAR[] NOT NULL, source_title VARCHAR NOT NULL,
    source_url VARCHAR NOT NULL
);
CREATE TABLE findings (
    id VARCHAR PRIMARY KEY, topic VARCHAR NOT NULL, question VARCHAR NOT NULL, answer VARCHAR NOT NULL,
    share_pct DOUBLE, sample VARCHAR NOT NULL, wave VARCHAR NOT NULL, confidence VARCHAR NOT NULL,
    note VARCHAR, source_title VARCHAR NOT NULL, source_url VARCHAR NOT NULL
);
CREATE TABLE wellbeing_gaps (
    id VARCHAR PRIMARY KEY, indicator VARCHAR NOT NULL, group_a VARCHAR NOT NULL, value_a DOUBLE,
    group_b VARCHAR NOT NULL, value_b DOUBLE, gap_points DOUBLE NOT NULL, unit VARCHAR NOT NULL,
    index_sample VARCHAR NOT NULL, sample_note VARCHAR, source_title VARCHAR NOT NULL, source_url VARCHAR NOT NULL
);
CREATE TABLE recommendations (
    number INTEGER PRIMARY KEY, layer VARCHAR NOT NULL, title VARCHAR NOT NULL, summary VARCHAR NOT NULL,
    source_url VARCHAR NOT NULL
);
CREATE TABLE recommendation_cities (number INTEGER NOT NULL, city_id VARCHAR NOT NULL, PRIMARY KEY (number, city_id));
CREATE TABLE wwc_certifications (
    city_id VARCHAR NOT NULL, level VARCHAR NOT NULL, year INTEGER, notes VARCHAR, source_url VARCHAR NOT NULL
);
CREATE TABLE location_exceptions (city_id VARCHAR PRIMARY KEY, inside_iso3 VARCHAR NOT NULL, reason VARCHAR NOT NULL);
CREATE TABLE build_info (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
"""

# profiles.csv list columns -> profile_items.kind
ITEM_KINDS = {
    "helping_to": "helping_to", "success_factors": "success_factor", "policy_areas": "policy_area",
    "innovation_roles": "role", "terms_associated": "term", "innovation_activities_ranked": "activity",
}
# yes/no facts of the profiles, as columns of the city_facts view
PROFILE_FACTS = ("strategy", "team", "funding")
_LABEL_NOTE = re.compile(r"\s*\((free text(?:, paraphrased)?|variant label|label cut)\)\s*$")


def split_label(raw: str) -> tuple[str, str]:
    """'Leadership from City Manager (variant label)' -> (label, 'variant')."""
    m = _LABEL_NOTE.search(raw)
    if not m:
        return raw, "listed"
    kind = "variant" if m.group(1) == "variant label" else ("cut" if m.group(1) == "label cut" else "free-text")
    return raw[: m.start()].strip(), kind


def sources_hash(data_dir: Path) -> str:
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    for name in SOURCE_FILES:
        path = data_dir / name
        h.update(name.encode())
        h.update(path.read_bytes() if path.is_file() else b"<missing>")
    return h.hexdigest()


# --------------------------------------------------------------------------- build

def _population_band_sql() -> str:
    cases = " ".join(
        f"WHEN c.population >= {lo} AND c.population < {hi} THEN '{key}'" for key, lo, hi in POP_BANDS
    )
    return f"CASE WHEN c.population IS NULL THEN 'unknown' {cases} END"


def _yes_no_sql(expr: str) -> str:
    return f"CASE WHEN {expr} IS NULL THEN 'unknown' WHEN {expr} THEN 'yes' ELSE 'no' END"


def _facts_sql() -> str:
    # a table, not a view: every filter, count and facet query reads it, and the
    # joins and CASEs of a view cost more than the query itself (about 3 ms against
    # 0.5 ms per query at the real size)
    return f"""
CREATE TABLE city_facts AS
SELECT c.id, c.name, c.country, c.iso3, c.region, c.lat, c.lon, c.population, c.population_year,
       c.survey_wave, c.respondent, c.search_key, c.source_url,
       s.psi_index, s.psi_source, s.psi_tier, s.data_use_index, s.data_use_source,
       {_population_band_sql()} AS pop_band,
       {_yes_no_sql('p.has_explicit_strategy')} AS strategy,
       {_yes_no_sql('p.has_dedicated_funding')} AS funding,
       {_yes_no_sql('p.has_innovation_team')} AS team,
       CASE WHEN c.respondent THEN 'yes' ELSE 'no' END AS confirmed,
       -- the map's order (by name): the row of the point table and the bit of the selection mask
       CAST(row_number() OVER (ORDER BY c.name, c.id) - 1 AS INTEGER) AS pos
FROM cities c JOIN city_scores s ON s.city_id = c.id LEFT JOIN profiles p ON p.city_id = c.id
ORDER BY c.name, c.id;
"""


def _score_rows(data: dict[str, list[dict]]) -> list[tuple]:
    profiles = {p["city_id"]: p for p in data["profiles.csv"]}
    official = {o["city_id"]: o for o in data["official_scores.csv"]}
    rows = []
    for c in data["cities.csv"]:
        est = estimate(profiles.get(c["id"]))
        off = official.get(c["id"], {})
        psi, psi_source = est.score, ("estimate" if est.score is not None else None)
        if off.get("psi_index") is not None:
            psi, psi_source = off["psi_index"], "official"
        dui = off.get("data_use_index")
        rows.append((c["id"], psi, psi_source, tier(psi), dui, "official" if dui is not None else None,
                     *[est.points[k] for k in COMPONENTS], est.answered,
                     off.get("source_title"), off.get("source_url")))
    return rows


def _insert(con, table: str, rows: list[tuple]) -> None:
    """Insert rows (tuples in the table's column order) in one statement.

    The rows go in as one scan of an object-typed DataFrame, not through
    ``executemany`` (a statement per row: 142 s to build a 10,000-city store,
    4.5 s this way); values are cast to the table's column types on insert.
    """
    if rows:
        import pandas as pd  # build-time only

        frame = pd.DataFrame(rows, columns=[f"c{i}" for i in range(len(rows[0]))], dtype=object)
        con.execute(f"SET pandas_analyze_sample = {len(rows)}")  # type each column from all its values
        con.register("_rows", frame)
        try:
            con.execute(f"INSERT INTO {table} SELECT * FROM _rows")
        finally:
            con.unregister("_rows")


def _write(con, data: dict[str, list[dict]], digest: str, synthetic: bool = False) -> None:
    con.execute(SCHEMA)
    cities = data["cities.csv"]
    _insert(con, "cities", [(c["id"], c["name"], c["country"], c["iso3"], c["region"], c["lat"], c["lon"],
                             c["population"], c["population_year"], c["survey_wave"], c["respondent"], c["admin1"],
                             c["geonames_id"], c["location_note"], c["wave_note"], c["source_url"],
                             search_key(c["name"])) for c in cities])
    profiles = data["profiles.csv"]
    _insert(con, "profiles", [(p["city_id"], p["profile_url"], p["profile_version"], p["population_reported"],
                               p["population_year"], p["mayor"], p["lead_innovation_officer"], p["innovation_website"],
                               p["has_explicit_strategy"], p["approach"], p["n_innovation_roles"], p["team_location"],
                               p["team_size"], p["has_innovation_team"], p["has_dedicated_funding"], p["notes"])
                              for p in profiles])
    items = []
    for p in profiles:
        for col, kind in ITEM_KINDS.items():
            for pos, raw in enumerate(p[col] or [], start=1):
                label, label_type = split_label(raw)
                items.append((p["city_id"], kind, pos, label, label_type))
    _insert(con, "profile_items", items)
    _insert(con, "city_scores", _score_rows(data))
    _insert(con, "covid_responses", [(r["id"], r["city_id"], r["category"], r["horizon"], r["title"], r["description"],
                                      r["date_or_period"], r["source_url"]) for r in data["covid_responses.csv"]])
    _insert(con, "case_studies", [(r["id"], r["city_id"], r["theme"], r["title"], r["description"], r["covid_category"],
                                   r["source_title"], r["source_url"]) for r in data["case_studies.csv"]])
    _insert(con, "findings", [(r["id"], r["topic"], r["question"], r["answer"], r["share_pct"], r["sample"], r["wave"],
                               r["confidence"], r["note"], r["source_title"], r["source_url"]) for r in data["findings.csv"]])
    _insert(con, "wellbeing_gaps", [(r["id"], r["indicator"], r["group_a"], r["value_a"], r["group_b"], r["value_b"],
                                     r["gap_points"], r["unit"], r["index_sample"], r["sample_note"], r["source_title"],
                                     r["source_url"]) for r in data["wellbeing_gaps.csv"]])
    recs = data["recommendations.csv"]
    _insert(con, "recommendations", [(r["number"], r["layer"], r["title"], r["summary"], r["source_url"]) for r in recs])
    _insert(con, "recommendation_cities", [(r["number"], cid) for r in recs for cid in dict.fromkeys(r["example_city_ids"])])
    _insert(con, "wwc_certifications", [(r["city_id"], r["level"], r["year"], r["notes"], r["source_url"])
                                        for r in data["wwc_certification.csv"]])
    _insert(con, "location_exceptions", [(r["city_id"], r["inside_iso3"], r["reason"])
                                         for r in data["location_exceptions.csv"]])
    con.execute(_facts_sql())
    info = {"sources_hash": digest, "schema_version": SCHEMA_VERSION,
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "duckdb_version": duckdb.__version__}
    if synthetic:
        info["synthetic"] = "true"
    _insert(con, "build_info", sorted(info.items()))


@contextlib.contextmanager
def _build_lock(db_path: Path):
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with open(db_path.with_name(db_path.name + ".lock"), "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _build_unlocked(data_dir: Path, db_path: Path, data: dict | None = None) -> dict[str, int]:
    digest = sources_hash(data_dir)
    if data is None:
        data, problems = read_sources(data_dir)
        if problems:
            raise BuildError(problems)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute("SET enable_progress_bar = false")
            con.execute("BEGIN")
            _write(con, data, digest, synthetic=(data_dir / SYNTHETIC_MARKER).is_file())
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return {s.table: len(data[s.file]) for s in SOURCES}


def build(data_dir: Path, db_path: Path) -> dict[str, int]:
    """Validate every source file, then write a new store and swap it in.

    Raises BuildError (listing every problem) before anything is written.
    Returns row counts per source table.
    """
    with _build_lock(db_path):
        return _build_unlocked(data_dir, db_path)


def stored_hash(db_path: Path) -> str | None:
    if not db_path.is_file():
        return None
    try:
        con = duckdb.connect(str(db_path), read_only=True)
        try:
            row = con.execute("SELECT value FROM build_info WHERE key = 'sources_hash'").fetchone()
        finally:
            con.close()
    except duckdb.Error:
        return None
    return row[0] if row else None


def ensure_built(data_dir: Path, db_path: Path) -> bool:
    """Build when the store is missing or a source file changed. True if built.

    Several gunicorn workers may call this at once: the lock makes one build
    and the others see an up-to-date hash afterwards.
    """
    digest = sources_hash(data_dir)
    if stored_hash(db_path) == digest:
        return False
    with _build_lock(db_path):
        if stored_hash(db_path) == digest:
            return False
        _build_unlocked(data_dir, db_path)
        return True


# -------------------------------------------------------------------------- ingest

INGEST_COLUMNS = ("city_id", "psi_index", "data_use_index", "source_title", "source_url")


def ingest(file: Path, data_dir: Path, db_path: Path, today: str | None = None) -> int:
    """Merge an official-scores extract into data/official_scores.csv and rebuild.

    The extract is a CSV with columns city_id, psi_index (0-10), data_use_index
    (0-38), source_title, source_url (a ``received`` column is optional; today's
    date is used when it is missing). Rows replace earlier rows of the same
    city. Everything is validated first; on any problem neither the CSV nor the
    store changes. Returns the number of rows ingested.
    """
    src = BY_FILE["official_scores.csv"]
    problems: list[Problem] = []
    if not file.is_file():
        raise BuildError([Problem(file.name, 0, "", "file not found", "give the path of the extract CSV")])
    text = file.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].split(",") if text.strip() else []
    header = [h.strip() for h in header]
    if "received" not in header and all(c in header for c in INGEST_COLUMNS):
        today = today or dt.date.today().isoformat()
        lines = text.splitlines()
        text = "\n".join([lines[0] + ",received"] + [ln + f",{today}" for ln in lines[1:] if ln.strip()]) + "\n"
    staged = db_path.with_name(f".ingest.{os.getpid()}.csv")
    staged.parent.mkdir(parents=True, exist_ok=True)
    staged.write_text(text, encoding="utf-8")
    try:
        incoming = read_source(staged, src, problems)
    finally:
        staged.unlink(missing_ok=True)
    problems = [Problem(file.name, p.line, p.column, p.message, p.fix) for p in problems]
    if not problems and not incoming:
        problems.append(Problem(file.name, 0, "", "has no data rows", "add one row per city below the header"))
    for row in incoming:
        if row["psi_index"] is None and row["data_use_index"] is None:
            problems.append(Problem(file.name, row["_line"], "psi_index,data_use_index", "gives no score",
                                    "fill psi_index (0-10) and/or data_use_index (0-38)"))
    with _build_lock(db_path):
        data, existing = read_sources(data_dir)
        problems += existing
        seen: dict[str, int] = {}
        city_ids = {c["id"] for c in data["cities.csv"]}
        for row in incoming:
            if row["city_id"] in seen:
                problems.append(Problem(file.name, row["_line"], "city_id",
                                        f"duplicate city_id {row['city_id']!r} (first on line {seen[row['city_id']]})",
                                        "give each city once"))
            seen.setdefault(row["city_id"], row["_line"])
            if row["city_id"] and row["city_id"] not in city_ids:
                problems.append(Problem(file.name, row["_line"], "city_id", f"{row['city_id']!r} is not a city of the atlas",
                                        "use an id from data/cities.csv (e.g. bologna-ita)"))
        if problems:
            raise BuildError(problems)
        merged = {r["city_id"]: r for r in data["official_scores.csv"]}
        merged.update({r["city_id"]: r for r in incoming})
        rows = sorted(merged.values(), key=lambda r: r["city_id"])
        data["official_scores.csv"] = rows
        target = data_dir / "official_scores.csv"
        new_csv = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        import csv

        with new_csv.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(src.names)
            for r in rows:
                w.writerow(["" if r[n] is None else (f"{r[n]:g}" if isinstance(r[n], float) else r[n]) for n in src.names])
        try:
            os.replace(new_csv, target)
            _build_unlocked(data_dir, db_path, data=data)
        finally:
            new_csv.unlink(missing_ok=True)
    return len(incoming)


# ------------------------------------------------------------------------- queries

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
    """Read-only access to a built store. Reopens when the file is swapped."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._con = None
        self._stamp = None
        self._info: dict[str, str] | None = None

    def _connection(self):
        st = os.stat(self.path)
        stamp = (st.st_ino, st.st_mtime_ns)
        if self._con is None or stamp != self._stamp:
            if self._con is not None:
                self._con.close()
            self._con = duckdb.connect(str(self.path), read_only=True)
            self._stamp = stamp
            self._info = None
        return self._con

    @contextlib.contextmanager
    def _cursor(self):
        cur = self._connection().cursor()
        try:
            yield cur
        finally:
            cur.close()

    def rows(self, sql: str, params: list | tuple = ()) -> list[dict]:
        with self._cursor() as cur:
            cur.execute(sql, list(params))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r)) for r in cur.fetchall()]

    def _tuples(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        with self._cursor() as cur:
            return cur.execute(sql, list(params)).fetchall()

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    # -- filters ---------------------------------------------------------------
    @staticmethod
    def _where(filters: Filters, skip: str | None = None) -> tuple[str, list]:
        clauses, params = [], []
        for facet in FACETS:
            values = getattr(filters, facet.key)
            if facet.key == skip or not values:
                continue
            marks = ",".join("?" * len(values))
            if facet.key == "covid":
                clauses.append(f"id IN (SELECT city_id FROM covid_responses WHERE category IN ({marks}))")
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

    def selection(self, filters: Filters = Filters()) -> dict:
        """The selected cities as positions in the map's order (``pos``: their index in
        ``city_points()``), with the number of all cities and the selection's extent
        ([south, west, north, east], None when empty): what the map needs, in one row."""
        where, params = self._where(filters)
        positions, south, west, north, east, total = self._tuples(
            "SELECT coalesce(list(pos ORDER BY pos), []), min(lat), min(lon), max(lat), max(lon), "
            f"(SELECT count(*) FROM city_facts) FROM city_facts{where}", params)[0]
        return {"positions": positions, "total": total,
                "extent": [south, west, north, east] if positions else None}

    def facet_table(self) -> dict:
        """What ``facet_index.FacetIndex`` answers from: per city in map order (``pos``) its
        coordinates, facet columns, score source and whether it has a profile; and
        ``covid_pos``/``covid_category``, one pair per city and COVID-19 category it responded in."""
        columns = dict.fromkeys(["lat", "lon", "psi_tier", *(f.column for f in FACETS if f.column)])
        with self._cursor() as cur:
            table = cur.execute(f"SELECT {', '.join(columns)}, coalesce(psi_source, '') AS psi_source, "
                                "id IN (SELECT city_id FROM profiles) AS has_profile FROM city_facts ORDER BY pos"
                                ).fetchnumpy()
            covid = cur.execute("SELECT DISTINCT f.pos, r.category FROM covid_responses r "
                                "JOIN city_facts f ON f.id = r.city_id ORDER BY 1, 2").fetchall()
        table["covid_pos"] = [pos for pos, _ in covid]
        table["covid_category"] = [category for _, category in covid]
        return table

    def count(self, filters: Filters = Filters()) -> int:
        where, params = self._where(filters)
        return self.rows(f"SELECT count(*) AS n FROM city_facts{where}", params)[0]["n"]

    def facet_counts(self, filters: Filters = Filters()) -> dict[str, dict[str, int]]:
        """For each facet, how many cities each value would give (Datasette-style: every other
        active filter applies, the facet's own does not); values with no city are left out.

        One query per facet, the plain statement of the rule: the reference the map's facet
        index (``facet_index.FacetIndex.facet_counts``, what the app serves) is tested against."""
        out: dict[str, dict[str, int]] = {}
        for facet in FACETS:
            where, params = self._where(filters, skip=facet.key)
            if facet.key == "covid":
                sql = ("SELECT r.category AS value, count(DISTINCT f.id) AS n FROM city_facts f "
                       f"JOIN covid_responses r ON r.city_id = f.id{where.replace('id IN', 'f.id IN')} GROUP BY 1")
            else:
                sql = f"SELECT {facet.column} AS value, count(*) AS n FROM city_facts{where} GROUP BY 1"
            out[facet.key] = {str(r["value"]): r["n"] for r in self.rows(sql, params)}
        return out

    def city_rows(self, filters: Filters = Filters()) -> list[dict]:
        """One row per city with its facts and filter columns, for tables and exports (order: name, id).

        ``covid`` lists the city's COVID-19 response categories in their canonical order.
        """
        where, params = self._where(filters)
        rows = self.rows(
            "SELECT id, name, country, iso3, region, lat, lon, population, survey_wave, respondent, psi_index, "
            "psi_source, psi_tier, strategy, funding, team, "
            "(SELECT list(DISTINCT r.category) FROM covid_responses r WHERE r.city_id = city_facts.id) AS covid, "
            f"source_url FROM city_facts{where} ORDER BY name, id", params)
        for r in rows:
            r["covid"] = sorted(r["covid"] or [], key=COVID_CATEGORIES.index)
        return rows

    def countries(self) -> list[dict]:
        return self.rows("SELECT iso3, country, count(*) AS n FROM cities GROUP BY 1, 2 ORDER BY country")

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
        self._connection()
        if self._info is None:
            self._info = {r["key"]: r["value"] for r in self.rows("SELECT key, value FROM build_info")}
        return self._info

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
        return self.rows("""SELECT r.number, r.layer, r.title, r.summary, r.source_url,
            list(c.name ORDER BY c.name) FILTER (WHERE c.id IS NOT NULL) AS example_cities
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
    def profile_facts(self, filters: Filters = Filters()) -> dict:
        """How many cities of the selection there are, how many have a published
        profile, how many have a score (``scored``: estimate or official; ``official``),
        and for each profile fact (strategy, team, funding) how many say yes and
        no; the rest of the selection did not publish the answer."""
        where, params = self._where(filters)
        counts = ", ".join(f"count(*) FILTER (WHERE {fact} = '{value}') AS {fact}_{value}"
                           for fact in PROFILE_FACTS for value in ("yes", "no"))
        row = self.rows("SELECT count(*) AS cities, count(*) FILTER (WHERE id IN (SELECT city_id FROM profiles)) "
                        "AS profiles, count(*) FILTER (WHERE psi_tier <> 'unknown') AS scored, "
                        "count(*) FILTER (WHERE psi_source = 'official') AS official, "
                        f"{counts} FROM city_facts{where}", params)[0]
        return {"cities": row["cities"], "profiles": row["profiles"], "scored": row["scored"],
                "official": row["official"],
                "facts": {fact: {"yes": row[f"{fact}_yes"], "no": row[f"{fact}_no"],
                                 "unknown": row["cities"] - row[f"{fact}_yes"] - row[f"{fact}_no"]}
                          for fact in PROFILE_FACTS}}

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

    def location_exceptions(self) -> list[dict]:
        return self.rows("SELECT e.city_id, c.name, e.inside_iso3, e.reason FROM location_exceptions e "
                         "JOIN cities c ON c.id = e.city_id ORDER BY c.name")


_stores: dict[Path, Store] = {}


def open_store(path: Path | None = None) -> Store:
    """The process-wide read-only store (one per path)."""
    path = Path(path or config.load().db_path)
    if path not in _stores:
        _stores[path] = Store(path)
    return _stores[path]


# ---------------------------------------------------------------------------- CLI

def main(argv: list[str] | None = None) -> int:
    settings = config.load()
    parser = argparse.ArgumentParser(prog="python -m dashboard.store", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name, helptext in (("build", "validate data/ and build the store"),
                           ("check", "validate data/ only, write nothing"),
                           ("ingest", "merge an official-scores extract, then rebuild")):
        p = sub.add_parser(name, help=helptext)
        if name == "ingest":
            p.add_argument("file", type=Path, help="CSV: " + ",".join(INGEST_COLUMNS))
        p.add_argument("--data", type=Path, default=settings.data_dir, help="source folder (default: %(default)s)")
        if name != "check":
            p.add_argument("--db", type=Path, default=settings.db_path, help="store file (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "check":
            _, problems = read_sources(args.data)
            if problems:
                raise BuildError(problems)
            print(f"{args.data}: all source files are valid")
        elif args.cmd == "build":
            counts = build(args.data, args.db)
            print(f"built {args.db}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        else:
            n = ingest(args.file, args.data, args.db)
            print(f"ingested {n} official score row(s) from {args.file}; rebuilt {args.db}")
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
