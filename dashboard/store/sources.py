"""What the source files in ``data/`` must look like, and the checks on them.

Pure Python (no database): ``read_sources`` turns the CSV files into typed rows
or a list of :class:`Problem` s, each naming file, line, column and the fix.
``dashboard.store`` writes the rows to DuckDB only when the list is empty.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.facets import COVID_CATEGORIES, COVID_HORIZON, FACET_BY_KEY, REGIONS, TIERS
from dashboard.store.estimate import COMPONENTS

APPROACHES = ("holistic", "policy-specific", "both")
WWC_LEVELS = ("silver", "gold", "platinum", "honor-roll", "certified")
LAYERS = ("meta-capacities", "components", "tools")
CONFIDENCE = ("stated", "read-from-chart", "ambiguous")
# The slides of the presentation (data/slides.csv): what each kind of slide shows, and what its
# ``subject`` names (see data/README.md, "slides.csv").
SLIDE_KINDS = ("title", "survey", "wellbeing", "component", "recommendations", "covid", "city", "chart", "explore")
SLIDE_SUBJECTS = {"component": "one of the five components: " + ", ".join(COMPONENTS),
                  "recommendations": "a layer of the recommendations: " + ", ".join(LAYERS),
                  "covid": "a COVID-19 category (" + ", ".join(COVID_CATEGORIES) + ") or nothing for all four",
                  "city": "a city id of cities.csv"}
# a chart a slide may show: a findings.csv id (the published chart holding it) or one of these
GAP_CHARTS = {"wellbeing-psi": "psi", "wellbeing-data-use": "data-use"}
MAX_SLIDES = 40
# Which city sample a well-being comparison comes from: the innovation-capacity
# survey (PSI index and survey answers) or the What Works Cities assessments
# (data-use index). The OECD warns the two must not be compared.
INDEX_SAMPLES = ("psi", "data-use")
PROFILE_VERSIONS = ("2019", "2021", "both")
# where a city's population comes from: the GeoNames place of its point, the OECD profile's figure
# (when the GeoNames place is not the government that answered the survey), or an ingested extract
# (the city's source_url)
POPULATION_SOURCES = ("geonames", "profile", "extract")

# A city point may lie outside its own Natural Earth 110m polygon (coarse
# coastlines put Helsinki, Umeå and Maceió in the sea) but not further away
# than this, and never inside another country's polygon unless listed in
# data/location_exceptions.csv.
COAST_TOLERANCE_KM = 30.0


@dataclass(frozen=True)
class Problem:
    file: str
    line: int  # 1 = header line; 0 = the file as a whole
    column: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        col = f" column '{self.column}'" if self.column else ""
        return f"{where}:{col} {self.message}. Fix: {self.fix}"


@dataclass(frozen=True)
class Col:
    name: str
    kind: str = "text"  # text | int | float | bool | enum | url | list | year | date | wave
    required: bool = False
    choices: tuple = ()
    lo: float | None = None
    hi: float | None = None
    ref: str | None = None  # "cities" -> value must be a city id


@dataclass(frozen=True)
class Source:
    file: str
    table: str
    columns: tuple[Col, ...]
    key: tuple[str, ...] = ()
    about: str = ""

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


URL = dict(kind="url", required=True)
CITY = dict(required=True, ref="cities")

SOURCES: tuple[Source, ...] = (
    Source("cities.csv", "cities", (
        Col("id", required=True), Col("name", required=True), Col("country", required=True),
        Col("iso3", required=True), Col("region", "enum", True, REGIONS),
        Col("lat", "float", True, lo=-90, hi=90), Col("lon", "float", True, lo=-180, hi=180),
        Col("population", "int", lo=0), Col("population_year", "year"),
        Col("population_source", "enum", choices=POPULATION_SOURCES), Col("population_note"),
        Col("survey_wave", "wave", True), Col("respondent", "bool", True),
        Col("admin1"), Col("geonames_id", "int", lo=1), Col("location_note"), Col("wave_note"),
        Col("source_url", **URL),
    ), key=("id",), about="Surveyed cities and the brochure's example cities"),
    Source("profiles.csv", "profiles", (
        Col("city_id", **CITY), Col("profile_url", **URL), Col("profile_version", "enum", True, PROFILE_VERSIONS),
        Col("population_reported", "int", lo=0), Col("population_year", "year"),
        Col("mayor"), Col("lead_innovation_officer"), Col("innovation_website", "url"),
        Col("has_explicit_strategy", "bool"), Col("approach", "enum", choices=APPROACHES),
        Col("policy_areas", "list"), Col("innovation_roles", "list"), Col("n_innovation_roles", "int", lo=0),
        Col("team_location"), Col("team_size"), Col("has_innovation_team", "bool"),
        Col("has_dedicated_funding", "bool"), Col("helping_to", "list"), Col("success_factors", "list"),
        Col("terms_associated", "list"), Col("innovation_activities_ranked", "list"), Col("notes"),
    ), key=("city_id",), about="Published answers on each city's OECD profile page"),
    Source("covid_responses.csv", "covid_responses", (
        Col("id", required=True), Col("city_id", **CITY), Col("category", "enum", True, COVID_CATEGORIES),
        Col("horizon", "enum", True, ("short", "long")), Col("title", required=True),
        Col("description", required=True), Col("date_or_period"), Col("source_url", **URL),
    ), key=("id",), about="COVID-19 responses in the brochure's four categories"),
    Source("case_studies.csv", "case_studies", (
        Col("id", required=True), Col("city_id", **CITY), Col("theme", required=True), Col("title", required=True),
        Col("description", required=True), Col("covid_category", "list", choices=COVID_CATEGORIES),
        Col("source_title", required=True), Col("source_url", **URL),
    ), key=("id",), about="City examples and spotlights"),
    Source("findings.csv", "findings", (
        Col("id", required=True), Col("topic", required=True), Col("question", required=True),
        Col("answer", required=True), Col("share_pct", "float", lo=0, hi=100), Col("sample", required=True),
        Col("wave", required=True), Col("confidence", "enum", True, CONFIDENCE), Col("note"),
        Col("source_title", required=True), Col("source_url", **URL),
    ), key=("id",), about="Published aggregate survey shares"),
    Source("wellbeing_gaps.csv", "wellbeing_gaps", (
        Col("id", required=True), Col("indicator", required=True), Col("group_a", required=True),
        Col("value_a", "float"), Col("group_b", required=True), Col("value_b", "float"),
        Col("gap_points", "float", True), Col("unit", required=True),
        Col("index_sample", "enum", True, INDEX_SAMPLES), Col("sample_note"),
        Col("source_title", required=True), Col("source_url", **URL),
    ), key=("id",), about="Well-being of residents in high- vs low-capacity cities"),
    Source("recommendations.csv", "recommendations", (
        Col("number", "int", True, lo=1, hi=10), Col("layer", "enum", True, LAYERS), Col("title", required=True),
        Col("summary", required=True), Col("example_city_ids", "list", ref="cities"),
        Col("source_title", required=True), Col("source_url", **URL),
    ), key=("number",), about="The brochure's ten recommendations"),
    Source("wwc_certification.csv", "wwc_certifications", (
        Col("city_id", **CITY), Col("level", "enum", True, WWC_LEVELS), Col("year", "year"),
        Col("notes"), Col("source_url", **URL),
    ), key=("city_id", "level", "year"), about="What Works Cities certifications"),
    Source("location_exceptions.csv", "location_exceptions", (
        Col("city_id", **CITY), Col("inside_iso3", required=True), Col("reason", required=True),
    ), key=("city_id",), about="Cities allowed to lie inside another Natural Earth polygon"),
    Source("slides.csv", "slides", (
        Col("number", "int", True, lo=1, hi=MAX_SLIDES), Col("kind", "enum", True, SLIDE_KINDS), Col("subject"),
        Col("finding"), Col("chart"), Col("cities", "list", ref="cities"), Col("filters"), Col("notes"),
    ), key=("number",), about="The slides of the presentation (/present), in order"),
    Source("official_scores.csv", "official_scores", (
        Col("city_id", **CITY), Col("psi_index", "float", lo=0, hi=10), Col("data_use_index", "float", lo=0, hi=38),
        Col("source_title", required=True), Col("source_url", **URL), Col("received", "date", required=True),
    ), key=("city_id",), about="Official OECD index scores loaded with the ingest command"),
)
BY_FILE = {s.file: s for s in SOURCES}
COUNTRIES_FILE = "countries.geojson"
SOURCE_FILES = tuple(s.file for s in SOURCES) + (COUNTRIES_FILE,)

_BOOL = {"yes": True, "true": True, "no": False, "false": False}
_URL_RE = re.compile(r"^https?://[^\s<>\"]+$")


def _parse(col: Col, raw: str, src: Source, line: int, problems: list[Problem]):
    """Typed value of one cell, or None (and a Problem when it is invalid)."""
    value = raw.strip()
    if not value:
        if col.required:
            problems.append(Problem(src.file, line, col.name, "is empty", f"give a value for {col.name}"))
        return [] if col.kind == "list" else None

    def bad(what: str, fix: str):
        problems.append(Problem(src.file, line, col.name, f"{value!r} is not {what}", fix))

    if col.kind in ("int", "year"):
        if not re.fullmatch(r"-?\d+", value):
            bad("a whole number", "write digits only, without separators, or leave it empty")
            return None
        out = int(value)
        if col.kind == "year" and not 1900 <= out <= 2100:
            bad("a year between 1900 and 2100", "write a four-digit year or leave it empty")
            return None
    elif col.kind == "float":
        if re.fullmatch(r"-?\d+,\d+", value):
            problems.append(Problem(src.file, line, col.name, f"{value!r} has a decimal comma",
                                    f"write the decimal point as a dot: {value.replace(',', '.')}"))
            return None
        try:
            out = float(value)
        except ValueError:
            bad("a number", "write a decimal number with a dot, e.g. 49.7")
            return None
        if math.isnan(out) or math.isinf(out):
            bad("a finite number", "write a decimal number with a dot, e.g. 49.7")
            return None
    elif col.kind == "date":
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            dt.date.fromisoformat(value)
        except ValueError:
            bad("a date written YYYY-MM-DD", "write a real calendar date as year-month-day, e.g. 2026-11-27")
            return None
        out = value
    elif col.kind == "bool":
        if value.lower() not in _BOOL:
            bad("yes/no", "write yes, no, true or false, or leave it empty if not published")
            return None
        out = _BOOL[value.lower()]
    elif col.kind == "wave":  # the wave facet's own rule: a year or "unknown"
        if FACET_BY_KEY["wave"].clean(value) != value:
            bad("a survey wave", "write the four-digit year the city answered the survey, e.g. 2022, or unknown")
            return None
        out = value
    elif col.kind == "enum":
        if value not in col.choices:
            bad("an allowed value", "use one of: " + ", ".join(col.choices))
            return None
        out = value
    elif col.kind == "url":
        if not _URL_RE.match(value):
            bad("an http(s) URL", "give the full address starting with https://")
            return None
        out = value
    elif col.kind == "list":
        out = [v.strip() for v in value.split(";") if v.strip()]
        if col.choices:
            for item in out:
                if item not in col.choices:
                    problems.append(Problem(src.file, line, col.name, f"{item!r} is not an allowed value",
                                            "use ';'-separated values from: " + ", ".join(col.choices)))
            out = [i for i in out if i in col.choices]
    else:
        out = value
    if col.lo is not None and isinstance(out, (int, float)) and not (col.lo <= out <= (col.hi if col.hi is not None else out)):
        rng = f"{col.lo:g} to {col.hi:g}" if col.hi is not None else f"at least {col.lo:g}"
        problems.append(Problem(src.file, line, col.name, f"{value} is out of range", f"give a value from {rng}"))
        return None
    return out


def typed_row(src: Source, raw: dict[str, str], line: int = 2) -> tuple[dict, list[Problem]]:
    """One row of text cells (by column name; a missing cell is empty) typed as the build and ingest
    read it, with the problems of its cells."""
    problems: list[Problem] = []
    row = {col.name: _parse(col, raw.get(col.name) or "", src, line, problems) for col in src.columns}
    return row, problems


def country_names(path: Path) -> dict[str, str]:
    """ISO3 code -> name of every country of the base map's GeoJSON (Natural Earth)."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["iso3"]: f["properties"]["name"] for f in features}


def read_source(path: Path, src: Source, problems: list[Problem], text: str | None = None) -> list[dict]:
    """Rows of one CSV as dicts of typed values, with ``_line`` (1-based line where the row starts).

    ``text`` is the file's content when it is not (yet) on disk: ingest validates
    a merged file before writing it. A line break inside a quoted cell stays in
    the cell; line numbers are the lines an editor shows.
    """
    if text is None:
        if not path.is_file():
            problems.append(Problem(src.file, 0, "", f"file is missing from {path.parent}",
                                    f"restore data/{src.file} (git checkout -- data/{src.file})"))
            return []
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(src.file, 0, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start})",
                                    "save the file as UTF-8"))
            return []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        problems.append(Problem(src.file, 1, "", "has no header line", "the first line must be: " + ",".join(src.names)))
        return []
    header = [h.strip() for h in header]
    missing = [n for n in src.names if n not in header]
    extra = [h for h in header if h not in src.names]
    if missing or extra or len(set(header)) != len(header):
        msg = "header is wrong" + (f"; missing {missing}" if missing else "") + (f"; unexpected {extra}" if extra else "")
        problems.append(Problem(src.file, 1, ",".join(missing + extra), msg,
                                "the first line must be: " + ",".join(src.names)))
        return []
    rows = []
    end = reader.line_num
    for cells in reader:
        line, end = end + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(src.file, line, "", f"has {len(cells)} cells, the header has {len(header)}",
                                    "quote cells that contain commas and check for missing or extra commas"))
            continue
        raw = dict(zip(header, cells))
        row = {col.name: _parse(col, raw[col.name], src, line, problems) for col in src.columns}
        row["_line"] = line
        rows.append(row)
    return rows


def city_slug(name: str) -> str:
    """The name part of a city id: ASCII, lower case, words joined by '-' ('São Paulo' -> 'sao-paulo')."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def city_id_for(name: str, iso3: str) -> str:
    """The id a new city gets: the slug of its name plus the lower-case ISO3 code (bologna-ita)."""
    return f"{city_slug(name)}-{iso3.lower()}"


def _check_keys(src: Source, rows: list[dict], problems: list[Problem]) -> None:
    seen: dict[tuple, int] = {}
    for row in rows:
        key = tuple(row[k] for k in src.key)
        if None in key:
            continue
        if key in seen:
            problems.append(Problem(src.file, row["_line"], ",".join(src.key),
                                    f"duplicate {'/'.join(src.key)} {key if len(key) > 1 else key[0]!r} (first on line {seen[key]})",
                                    "give each row its own unique value or remove the repeated row"))
        else:
            seen[key] = row["_line"]


def _check_refs(src: Source, rows: list[dict], city_ids: set[str], problems: list[Problem]) -> None:
    for col in src.columns:
        if col.ref != "cities":
            continue
        for row in rows:
            values = row[col.name] if col.kind == "list" else [row[col.name]]
            for v in values or []:
                if v is not None and v not in city_ids:
                    problems.append(Problem(src.file, row["_line"], col.name, f"refers to city id {v!r}, which is not in cities.csv",
                                            "use an id from cities.csv (e.g. bologna-ita) or add the city there first"))


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def _check_locations(cities: list[dict], countries_path: Path, exceptions: list[dict], problems: list[Problem],
                     file: str = "cities.csv") -> None:
    """Each city point lies in (or near) its own country and in no other (problems name ``file``)."""
    import shapely
    from shapely.geometry import shape
    from shapely.ops import nearest_points

    try:
        features = json.loads(countries_path.read_text(encoding="utf-8"))["features"]
        polys = {f["properties"]["iso3"]: shape(f["geometry"]) for f in features}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problems.append(Problem(COUNTRIES_FILE, 0, "", f"cannot be read as country GeoJSON ({exc})",
                                "restore data/countries.geojson (see scripts/make_countries.py)"))
        return
    allowed = {e["city_id"]: e["inside_iso3"] for e in exceptions}
    located = [c for c in cities if c["lat"] is not None and c["lon"] is not None and c["iso3"]]
    # which polygons contain each point, in one vectorised query (a loop over every
    # polygon per city took minutes for 100,000 cities); polygon order as in the file
    isos = list(polys)
    points = shapely.points([c["lon"] for c in located], [c["lat"] for c in located])
    containing: list[list[int]] = [[] for _ in located]
    if located:
        for i, j in zip(*shapely.STRtree(list(polys.values())).query(points, predicate="within").tolist()):
            containing[i].append(j)
    for c, pt, inside in zip(located, points, containing):
        own = polys.get(c["iso3"])
        if own is None:
            problems.append(Problem(file, c["_line"], "iso3", f"{c['iso3']!r} is not a country in {COUNTRIES_FILE}",
                                    "use the ISO 3166 alpha-3 code of the city's country"))
            continue
        inside_other = [isos[j] for j in sorted(inside) if isos[j] != c["iso3"]]
        for iso in inside_other:
            if allowed.get(c["id"]) != iso:
                problems.append(Problem(file, c["_line"], "lat,lon",
                                        f"point ({c['lat']}, {c['lon']}) of {c['id']} lies inside {iso}, not {c['iso3']}",
                                        "check the coordinates (lat first, lon second) and the country, or add a documented "
                                        "entry to location_exceptions.csv"))
        if not inside:  # in no polygon at all: near enough to its own coast?
            near = nearest_points(own, pt)[0]
            dist = _haversine_km(c["lat"], c["lon"], near.y, near.x)
            if dist > COAST_TOLERANCE_KM:
                problems.append(Problem(file, c["_line"], "lat,lon",
                                        f"point ({c['lat']}, {c['lon']}) of {c['id']} is {dist:.0f} km outside {c['iso3']} "
                                        f"(allowed: {COAST_TOLERANCE_KM:.0f} km)",
                                        "check the coordinates (lat first, lon second) and the country"))


def _check_consistency(data: dict[str, list[dict]], problems: list[Problem]) -> None:
    for r in data["covid_responses.csv"]:
        want = COVID_HORIZON.get(r["category"])
        if want and r["horizon"] and r["horizon"] != want:
            problems.append(Problem("covid_responses.csv", r["_line"], "horizon",
                                    f"{r['horizon']!r} does not match category {r['category']!r}",
                                    f"use {want!r}: the brochure puts {r['category']} in the {want}-term group"))
    cities = {c["id"]: c for c in data["cities.csv"]}
    for c in data["cities.csv"]:
        if c["id"] and c["iso3"] and not c["id"].endswith("-" + c["iso3"].lower()):
            problems.append(Problem("cities.csv", c["_line"], "id", f"{c['id']!r} does not end in '-{c['iso3'].lower()}'",
                                    "ids are a slug of the name plus the lower-case ISO3 code, e.g. bologna-ita"))
    _check_populations(data["cities.csv"], {p["city_id"]: p for p in data["profiles.csv"]}, problems)
    for e in data["location_exceptions.csv"]:
        if e["city_id"] in cities and e["inside_iso3"] == cities[e["city_id"]]["iso3"]:
            problems.append(Problem("location_exceptions.csv", e["_line"], "inside_iso3",
                                    "names the city's own country", "name the other country whose polygon contains the point"))


def _check_populations(cities: list[dict], profiles: dict[str, dict], problems: list[Problem]) -> None:
    """A population says where it comes from; one taken from the profile is the profile's figure and year."""
    for c in cities:
        def problem(column: str, message: str, fix: str) -> None:
            problems.append(Problem("cities.csv", c["_line"], column, message, fix))

        if (c["population"] is None) != (c["population_source"] is None):
            problem("population_source", "is given without a population" if c["population"] is None
                    else "is empty although a population is given",
                    "write geonames, profile or extract when there is a population, nothing when there is none")
        elif c["population_source"] == "profile":
            p = profiles.get(c["id"])
            if p is None or (p["population_reported"], p["population_year"]) != (c["population"], c["population_year"]):
                problem("population", "does not match the figure and year on the city's profile (profiles.csv)",
                        "copy population_reported and population_year of profiles.csv, or run "
                        "scripts/geocode_cities.py")
        if c["population_source"] == "profile" and not c["population_note"]:
            problem("population_note", "is empty although the population is the profile's, not the GeoNames place's",
                    "say why the GeoNames place's population does not fit the surveyed government")


def slide_filters(raw: str | None) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """A slide's ``filters`` cell (``tier=high&region=europe,asia``: the map's URL parameters) as
    facet values, and what in it is not a facet or a value of one."""
    out: dict[str, tuple[str, ...]] = {}
    bad: list[str] = []
    for part in (raw or "").split("&"):
        if not part.strip():
            continue
        key, sep, values = part.partition("=")
        facet = FACET_BY_KEY.get(key.strip())
        if facet is None or not sep:
            bad.append(f"{part.strip()!r} is not a filter")
            continue
        kept = []
        for value in values.split(","):
            clean = facet.clean(value) if value.strip() else None
            if clean is None:
                bad.append(f"{value.strip()!r} is not a value of {facet.key}")
            else:
                kept.append(clean)
        out[facet.key] = facet.order(dict.fromkeys(kept))
    return out, bad


def _check_slides(data: dict[str, list[dict]], problems: list[Problem]) -> None:
    """Each slide names what it shows by keys the other sources hold: the subject its kind wants,
    a finding with a published share (the slide shows it with its source), a chart that exists, the
    map's filters."""
    findings = {f["id"]: f for f in data["findings.csv"] if f["id"]}
    layers = {r["layer"] for r in data["recommendations.csv"]}
    cities = {c["id"] for c in data["cities.csv"]}
    gaps = {g["index_sample"] for g in data["wellbeing_gaps.csv"]}
    for s in data["slides.csv"]:
        def problem(column: str, message: str, fix: str) -> None:
            problems.append(Problem("slides.csv", s["_line"], column, message, fix))

        kind, subject = s["kind"], s["subject"]
        if kind is None:
            continue
        if kind in SLIDE_SUBJECTS:
            valid = {"component": set(COMPONENTS), "recommendations": layers, "covid": set(COVID_CATEGORIES),
                     "city": cities}[kind]
            if subject is None and kind != "covid":
                problem("subject", f"is empty; a {kind} slide needs one", f"give {SLIDE_SUBJECTS[kind]}")
            elif subject is not None and subject not in valid:
                where = ("; recommendations.csv has no recommendation of that layer, so the slide would have "
                         "no source" if kind == "recommendations" and subject in LAYERS else "")
                problem("subject", f"{subject!r} is not known for a {kind} slide{where}",
                        f"give {SLIDE_SUBJECTS[kind]}")
        elif subject is not None:
            problem("subject", f"is {subject!r}, but a {kind} slide has no subject", "leave it empty")
        finding = s["finding"]
        if kind == "component" and finding is None:
            problem("finding", "is empty; a component slide shows the share of cities with that component, "
                    "which must come from a source", "give the findings.csv id of that share, e.g. f01")
        elif finding is not None and finding not in findings:
            problem("finding", f"{finding!r} is not an id of findings.csv, so the slide would have no source",
                    "give an id of findings.csv, e.g. f01")
        elif finding is not None and findings[finding]["share_pct"] is None:
            problem("finding", f"{finding!r} has no published share (share_pct is empty)",
                    "name a finding whose share_pct is given")
        chart = s["chart"]
        if kind == "chart" and chart is None:
            problem("chart", "is empty; a chart slide needs a chart", "give a findings.csv id (e.g. f19) or "
                    + " / ".join(GAP_CHARTS))
        elif chart is not None:
            row = findings.get(chart)
            if chart in GAP_CHARTS:
                if GAP_CHARTS[chart] not in gaps:
                    problem("chart", f"{chart!r} has no rows in wellbeing_gaps.csv, so it has no source",
                            "add the rows, or name another chart")
            elif row is None:
                problem("chart", f"{chart!r} is not a chart key", "give a findings.csv id (e.g. f19), whose "
                        "published chart is shown, or " + " / ".join(GAP_CHARTS))
            elif row["share_pct"] is None or row["confidence"] == "ambiguous":
                problem("chart", f"finding {chart!r} is not charted (no share, or values not matched to answers)",
                        "name a finding with a share whose confidence is stated or read-from-chart")
        _values, bad = slide_filters(s["filters"])
        for what in bad:
            problem("filters", what, "write the map's URL parameters, e.g. tier=high&region=europe,asia "
                    "(see the README's URL parameters)")


def read_sources(data_dir: Path, override: dict[str, str] | None = None,
                 known: dict[str, list[dict]] | None = None) -> tuple[dict[str, list[dict]], list[Problem]]:
    """All source files, typed and cross-checked. Problems empty means valid.

    ``override`` maps a file name to the text to read in place of the file on
    disk, ``known`` to rows already read from it (ingest checks the merged data
    before anything is written, re-reading only the file it changes).
    """
    problems: list[Problem] = []
    override, known = override or {}, known or {}
    data = {s.file: known[s.file] if s.file in known and s.file not in override else
            read_source(data_dir / s.file, s, problems, override.get(s.file)) for s in SOURCES}
    for s in SOURCES:
        _check_keys(s, data[s.file], problems)
    city_ids = {c["id"] for c in data["cities.csv"] if c["id"]}
    for s in SOURCES:
        _check_refs(s, data[s.file], city_ids, problems)
    _check_consistency(data, problems)
    _check_slides(data, problems)
    countries = data_dir / COUNTRIES_FILE
    if not countries.is_file():
        problems.append(Problem(COUNTRIES_FILE, 0, "", f"file is missing from {data_dir}",
                                "restore data/countries.geojson (see scripts/make_countries.py)"))
    else:
        _check_locations(data["cities.csv"], countries, data["location_exceptions.csv"], problems)
    return data, problems


@dataclass
class BuildError(Exception):
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"{len(self.problems)} problem(s) in the source files; nothing was written:"
        return "\n".join([head] + [f"  - {p}" for p in self.problems])
