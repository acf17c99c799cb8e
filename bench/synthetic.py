"""Seeded synthetic cities for the benchmarks: a complete data folder and its own store.

``generate(n, out, seed)`` writes a data folder of ``n`` made-up cities that the
project's own validation accepts; ``prepare(n, seed)`` generates it under
``var/bench/`` and builds a separate store from it with ``dashboard.store.build``
(the same checks as the shipped data). Nothing here ever writes into ``data/``
or the app's store (``var/atlas.duckdb``).

How the cities are made (numpy ``default_rng(seed)``: the same seed gives the
same files, byte for byte):

- each city is a real city of ``data/cities.csv`` (not one of the documented
  location exceptions) moved by up to ``JITTER_KM`` in a random direction; a
  point that lands outside its country's polygon or inside another one is
  drawn again, and after ``ROUNDS`` tries keeps the real city's point, so every
  point passes the location check;
- ids ``syn-000123-<iso3>``, names "Synthetic city 123", source addresses under
  ``https://synthetic.invalid/`` (a reserved domain: never a real page);
- population, survey wave, respondent, the profile answers and the COVID-19
  response categories are copied from one real city drawn at random per
  synthetic city (so they follow the real joint distribution); names of
  people and free notes are not copied;
- findings, well-being gaps, recommendations (without example cities) and the
  country borders are the real files; case studies, What Works Cities
  certifications, location exceptions and official scores are left empty.

The folder holds a ``SYNTHETIC`` marker file; the build records
``synthetic = true`` in the store's ``build_info``. The app shows nothing
different: the flag is for whoever opens the store.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import numpy as np

from dashboard.facets import COVID_HORIZON
from dashboard.store.sources import BY_FILE, COUNTRIES_FILE
from dashboard.store import build
from dashboard.store.schema import SYNTHETIC_MARKER

ROOT = Path(__file__).resolve().parent.parent
REAL_DATA = ROOT / "data"
BENCH_DIR = ROOT / "var" / "bench"
GENERATOR_VERSION = "1"
JITTER_KM = 8.0
ROUNDS = 6
KM_PER_DEGREE = 111.2
SYNTHETIC_URL = "https://synthetic.invalid"
COPIED = ("findings.csv", "wellbeing_gaps.csv", COUNTRIES_FILE)
EMPTY = ("case_studies.csv", "wwc_certification.csv", "location_exceptions.csv", "official_scores.csv", "slides.csv")


class UnsafeTarget(ValueError):
    """The output would overwrite the shipped data or the app's store."""


def _check_target(path: Path) -> None:
    path = path.resolve()
    forbidden = (REAL_DATA.resolve(), (ROOT / "var" / "atlas.duckdb").resolve())
    for f in forbidden:
        if path == f or f in path.parents or path in f.parents:
            raise UnsafeTarget(f"refusing to write synthetic data at {path}: it would touch {f}")


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write_csv(path: Path, file: str, rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=BY_FILE[file].names, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _country_shapes(countries_path: Path):
    import shapely
    from shapely.geometry import shape

    features = json.loads(countries_path.read_text(encoding="utf-8"))["features"]
    polys = {f["properties"]["iso3"]: shape(f["geometry"]) for f in features}
    isos = list(polys)
    return isos, shapely.STRtree(list(polys.values()))


def _points(bases: list[dict], rng: np.random.Generator, countries_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Jittered (lat, lon) per base city, each inside its own country and no other."""
    import shapely

    isos, tree = _country_shapes(countries_path)
    own = np.array([isos.index(b["iso3"]) for b in bases])
    base_lat = np.array([float(b["lat"]) for b in bases])
    base_lon = np.array([float(b["lon"]) for b in bases])
    lat, lon = base_lat.copy(), base_lon.copy()
    todo = np.arange(len(bases))
    for _ in range(ROUNDS):
        if not len(todo):
            break
        dist = rng.uniform(0.5, JITTER_KM, size=len(todo))
        angle = rng.uniform(0.0, 2 * np.pi, size=len(todo))
        cand_lat = np.round(base_lat[todo] + dist * np.cos(angle) / KM_PER_DEGREE, 5)
        cos_lat = np.maximum(np.cos(np.radians(base_lat[todo])), 0.05)
        cand_lon = np.round(base_lon[todo] + dist * np.sin(angle) / (KM_PER_DEGREE * cos_lat), 5)
        pt_idx, poly_idx = tree.query(shapely.points(cand_lon, cand_lat), predicate="within")
        hits = np.zeros(len(todo), dtype=int)
        np.add.at(hits, pt_idx, 1)
        in_own = np.zeros(len(todo), dtype=bool)
        in_own[pt_idx[poly_idx == own[todo][pt_idx]]] = True
        ok = in_own & (hits == 1)
        lat[todo[ok]], lon[todo[ok]] = cand_lat[ok], cand_lon[ok]
        todo = todo[~ok]
    return lat, lon  # cities still in ``todo`` keep their real (valid) point


def generate(n: int, out: Path, seed: int = 0, source: Path = REAL_DATA) -> Path:
    """Write a data folder of ``n`` synthetic cities at ``out`` (replaced if it exists). Returns ``out``."""
    if n < 1:
        raise ValueError("n must be at least 1")
    out = Path(out)
    _check_target(out)
    rng = np.random.default_rng(seed)
    real = _read_csv(source / "cities.csv")
    excepted = {r["city_id"] for r in _read_csv(source / "location_exceptions.csv")}
    bases = [c for c in real if c["id"] not in excepted]
    profiles = {p["city_id"]: p for p in _read_csv(source / "profiles.csv")}
    covid: dict[str, list[str]] = {}
    for r in _read_csv(source / "covid_responses.csv"):
        covid.setdefault(r["city_id"], []).append(r["category"])

    base_of = rng.integers(len(bases), size=n)
    donor_of = rng.integers(len(real), size=n)
    lat, lon = _points([bases[i] for i in base_of], rng, source / COUNTRIES_FILE)

    if out.exists():
        if any(out.iterdir()) and not (out / SYNTHETIC_MARKER).is_file():
            raise UnsafeTarget(f"refusing to replace {out}: it is not a synthetic data folder")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    cities, profile_rows, covid_rows = [], [], []
    for k in range(n):
        base, donor = bases[base_of[k]], real[donor_of[k]]
        number = k + 1
        cid = f"syn-{number:06d}-{base['iso3'].lower()}"
        cities.append({
            **{c: base[c] for c in ("country", "iso3", "region")},
            **{c: donor[c] for c in ("population", "population_year", "population_source", "population_note",
                                     "survey_wave", "respondent")},
            "id": cid, "name": f"Synthetic city {number}", "lat": f"{lat[k]:.5f}", "lon": f"{lon[k]:.5f}",
            "admin1": "", "geonames_id": "", "wave_note": "",
            "location_note": f"synthetic: near {base['id']}", "source_url": f"{SYNTHETIC_URL}/cities/{cid}",
        })
        if donor["id"] in profiles:
            profile_rows.append({**profiles[donor["id"]], "city_id": cid,
                                 "profile_url": f"{SYNTHETIC_URL}/profiles/{cid}", "mayor": "",
                                 "lead_innovation_officer": "", "innovation_website": "",
                                 "notes": "synthetic: answers copied from a real profile"})
        for j, category in enumerate(covid.get(donor["id"], []), start=1):
            covid_rows.append({"id": f"{cid}--r{j}", "city_id": cid, "category": category,
                               "horizon": COVID_HORIZON[category], "title": f"Synthetic response {j}",
                               "description": "Synthetic COVID-19 response for benchmarks.", "date_or_period": "",
                               "source_url": f"{SYNTHETIC_URL}/covid/{cid}--r{j}"})
    _write_csv(out / "cities.csv", "cities.csv", cities)
    _write_csv(out / "profiles.csv", "profiles.csv", profile_rows)
    _write_csv(out / "covid_responses.csv", "covid_responses.csv", covid_rows)
    _write_csv(out / "recommendations.csv", "recommendations.csv",
               [{**r, "example_city_ids": ""} for r in _read_csv(source / "recommendations.csv")])
    for name in EMPTY:
        _write_csv(out / name, name, [])
    for name in COPIED:
        shutil.copyfile(source / name, out / name)
    (out / SYNTHETIC_MARKER).write_text(marker_text(n, seed), encoding="utf-8")
    return out


def marker_text(n: int, seed: int) -> str:
    return (f"Synthetic benchmark data, not real cities: {n} cities, seed {seed}, generator version "
            f"{GENERATOR_VERSION} (bench/synthetic.py). Never ship it or mix it into data/.\n")


def paths(n: int, seed: int = 0, root: Path = BENCH_DIR) -> tuple[Path, Path]:
    """Where ``prepare`` puts the data folder and the store for ``n`` cities."""
    base = Path(root) / f"synthetic-{n}-seed{seed}"
    return base / "data", base / "atlas.duckdb"


def prepare(n: int, seed: int = 0, root: Path = BENCH_DIR) -> tuple[Path, Path]:
    """The data folder and the built store for ``n`` synthetic cities (reused when already made)."""
    data_dir, db = paths(n, seed, root)
    _check_target(db)
    marker = data_dir / SYNTHETIC_MARKER
    if not (marker.is_file() and marker.read_text(encoding="utf-8") == marker_text(n, seed) and db.is_file()):
        generate(n, data_dir, seed)
        build(data_dir, db)
    return data_dir, db
