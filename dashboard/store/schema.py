"""The store's tables, declared once, and the version key of a built store."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from dashboard.store.sources import SOURCE_FILES

SCHEMA_VERSION = "7"  # 2: city_facts is a table; 3: city_facts.pos; 4: facet_values; 5: recommendations.source_title;
# 6: city_scores.<component>_max, cities.population_source/_note; 7: slides
# A source folder holding this file is made-up benchmark data (bench/synthetic.py):
# its store says so in build_info (synthetic = true). The app reads nothing from it.
SYNTHETIC_MARKER = "SYNTHETIC"
# The code that shapes stored values (the schema, the build and its checks, the estimate rules,
# the population bands and facet rules): part of the version key, so changing it rebuilds the store.
_HERE = Path(__file__).resolve().parent
CODE_FILES = (*(_HERE / name for name in ("schema.py", "build.py", "estimate.py", "sources.py")),
              _HERE.parent / "facets.py")

SCHEMA = """
CREATE TABLE cities (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, country VARCHAR NOT NULL, iso3 VARCHAR NOT NULL,
    region VARCHAR NOT NULL, lat DOUBLE NOT NULL, lon DOUBLE NOT NULL, population BIGINT,
    population_year INTEGER, population_source VARCHAR, population_note VARCHAR, survey_wave VARCHAR NOT NULL,
    respondent BOOLEAN NOT NULL, admin1 VARCHAR,
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
    evaluation_points INTEGER, strategy_max INTEGER, organisation_max INTEGER, funding_max INTEGER,
    data_max INTEGER, evaluation_max INTEGER, components_answered INTEGER NOT NULL,
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
    source_title VARCHAR NOT NULL, source_url VARCHAR NOT NULL
);
CREATE TABLE recommendation_cities (number INTEGER NOT NULL, city_id VARCHAR NOT NULL, PRIMARY KEY (number, city_id));
CREATE TABLE wwc_certifications (
    city_id VARCHAR NOT NULL, level VARCHAR NOT NULL, year INTEGER, notes VARCHAR, source_url VARCHAR NOT NULL
);
CREATE TABLE location_exceptions (city_id VARCHAR PRIMARY KEY, inside_iso3 VARCHAR NOT NULL, reason VARCHAR NOT NULL);
-- each city's values of the multi-valued facets (dashboard/facets.py: covid, policy, role, activity)
CREATE TABLE facet_values (
    city_id VARCHAR NOT NULL, facet VARCHAR NOT NULL, value VARCHAR NOT NULL, PRIMARY KEY (city_id, facet, value)
);
-- the presentation's slides in order (data/slides.csv); filters: the map's URL parameters
CREATE TABLE slides (
    number INTEGER PRIMARY KEY, kind VARCHAR NOT NULL, subject VARCHAR, finding VARCHAR, chart VARCHAR,
    cities VARCHAR[] NOT NULL, filters VARCHAR, notes VARCHAR
);
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


def sources_hash(data_dir: Path, override: dict[str, bytes] | None = None) -> str:
    """The version key of a store built from ``data_dir`` by this code: a hash of the schema
    version, every source file and ``CODE_FILES``. The app's data version (cache keys, ETags).
    ``override`` gives the bytes a source file is about to have."""
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    override = override or {}
    for name in SOURCE_FILES:
        path = data_dir / name
        h.update(name.encode())
        if name in override:
            h.update(override[name])
        else:
            h.update(path.read_bytes() if path.is_file() else b"<missing>")
    for path in CODE_FILES:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()

