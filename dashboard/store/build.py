"""Validated, atomic build of the store from the source files in ``data/``.

A build writes a new file next to the store and swaps it in with ``os.replace``,
so a failed build never touches the store being served. After the swap it keeps
a copy of the new file as the store's last good copy (``files.backup_path``), which
the app serves when the store file goes missing or is damaged and
``python -m dashboard.store restore`` copies back.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
from pathlib import Path

import duckdb

from dashboard.facets import MULTI, POP_BANDS, search_key
from dashboard.store.estimate import COMPONENTS, estimate, tier
from dashboard.store.files import StoreFileError, StoreWriteError, backup_path, copy_atomically, inspect
from dashboard.store.schema import ITEM_KINDS, SCHEMA, SCHEMA_VERSION, SYNTHETIC_MARKER, sources_hash, split_label
from dashboard.store.sources import SOURCES, BuildError, read_sources

log = logging.getLogger(__name__)

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
                     *[est.points[k] for k in COMPONENTS], *[est.counted[k] for k in COMPONENTS], est.answered,
                     off.get("source_title"), off.get("source_url")))
    return rows


def _facet_value_rows(data: dict[str, list[dict]], items: list[tuple]) -> list[tuple]:
    """(city, facet, value) for every multi-valued facet (``facets.MULTI``): the COVID-19
    categories a city responded in, and each profile list's labels folded to the facet's values
    (``Facet.from_labels``; a city whose profile does not give the list: ``unknown``)."""
    labels: dict[tuple[str, str], list[str]] = {}
    for city_id, kind, _pos, label, _type in items:
        labels.setdefault((city_id, kind), []).append(label)
    covid = {(r["city_id"], r["category"]) for r in data["covid_responses.csv"]}
    rows = []
    for facet in MULTI:
        for c in data["cities.csv"]:
            if facet.items:
                values = facet.from_labels(labels.get((c["id"], facet.items)))
            else:
                values = [v for v in facet.values if (c["id"], v) in covid]
            rows += [(c["id"], facet.key, v) for v in values]
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
                             c["population"], c["population_year"], c["population_source"], c["population_note"],
                             c["survey_wave"], c["respondent"], c["admin1"],
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
    _insert(con, "recommendations", [(r["number"], r["layer"], r["title"], r["summary"], r["source_title"],
                                      r["source_url"]) for r in recs])
    _insert(con, "recommendation_cities", [(r["number"], cid) for r in recs for cid in dict.fromkeys(r["example_city_ids"])])
    _insert(con, "wwc_certifications", [(r["city_id"], r["level"], r["year"], r["notes"], r["source_url"])
                                        for r in data["wwc_certification.csv"]])
    _insert(con, "location_exceptions", [(r["city_id"], r["inside_iso3"], r["reason"])
                                         for r in data["location_exceptions.csv"]])
    _insert(con, "slides", [(r["number"], r["kind"], r["subject"], r["finding"], r["chart"], r["cities"], r["filters"],
                             r["notes"]) for r in data["slides.csv"]])
    _insert(con, "facet_values", _facet_value_rows(data, items))
    con.execute(_facts_sql())
    info = {"sources_hash": digest, "schema_version": SCHEMA_VERSION,
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "duckdb_version": duckdb.__version__}
    if synthetic:
        info["synthetic"] = "true"
    _insert(con, "build_info", sorted(info.items()))


@contextlib.contextmanager
def _build_lock(db_path: Path):
    """One writer of the store (and its copy) at a time. StoreWriteError when its folder is not writable."""
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(db_path.with_name(db_path.name + ".lock"), "w")
    except OSError as exc:
        raise StoreWriteError(db_path, exc) from None
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _build_unlocked(data_dir: Path, db_path: Path, data: dict | None = None, digest: str | None = None,
                    before_swap=None) -> dict[str, int]:
    """Write a new store next to ``db_path`` and swap it in.

    ``data`` and ``digest`` (already validated rows and the hash of the sources
    they come from) skip reading ``data/``; ``before_swap()`` runs after the new
    store is complete and before it replaces the old one (ingest swaps its data
    file there, so a failed build leaves both untouched).
    """
    digest = digest or sources_hash(data_dir)
    if data is None:
        data, problems = read_sources(data_dir)
        if problems:
            raise BuildError(problems)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
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
            inspect(tmp)  # the new file opens as a store of this schema
        except (OSError, duckdb.IOException, duckdb.FatalException, StoreFileError) as exc:  # full disk, read-only
            raise StoreWriteError(db_path, exc) from None
        if before_swap is not None:
            before_swap()
        try:
            os.replace(tmp, db_path)
        except OSError as exc:
            raise StoreWriteError(db_path, exc) from None
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    _keep_copy(db_path)
    return {s.table: len(data[s.file]) for s in SOURCES}


def _keep_copy(db_path: Path) -> None:
    """Copy the store just swapped in to its last good copy. A copy that cannot be written (a full
    disk) leaves the older copy and a warning: the build itself, store and data/ together, stands."""
    try:
        copy_atomically(db_path, backup_path(db_path))
    except OSError as exc:
        log.warning("built %s, but could not refresh its last good copy %s (%s): the copy is of an older build",
                    db_path, backup_path(db_path).name, exc.strerror or exc)


def build(data_dir: Path, db_path: Path) -> dict[str, int]:
    """Validate every source file, then write a new store and swap it in.

    Raises BuildError (listing every problem) before anything is written.
    Returns row counts per source table.
    """
    with _build_lock(db_path):
        return _build_unlocked(data_dir, db_path)


def stored_hash(db_path: Path) -> str | None:
    """The version key of the store at ``db_path``; None when there is no usable store."""
    try:
        return inspect(db_path)["sources_hash"]
    except StoreFileError:
        return None


def ensure_built(data_dir: Path, db_path: Path) -> bool:
    """Build when the store is missing or a source file changed. True if built.

    Several processes may call this at once: the lock makes one build and the
    others see an up-to-date hash afterwards. A store that is current is only
    read, so a read-only folder holding a current store is fine.
    """
    digest = sources_hash(data_dir)
    if stored_hash(db_path) == digest:
        return False
    with _build_lock(db_path):
        if stored_hash(db_path) == digest:
            return False
        _build_unlocked(data_dir, db_path)
        return True

