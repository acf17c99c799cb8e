"""Filters on the city list, and their form in the URL query string.

The query-string keys below are a public interface (see README, "URL
parameters"): they stay stable. Values are comma-separated; unknown keys and
values that are not allowed are ignored, never an error.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from urllib.parse import parse_qs, urlencode


# The closed vocabularies of the data (also the allowed values of the source files).
REGIONS = ("north-america", "latin-america", "europe", "middle-east", "africa", "asia", "oceania")
WAVES = ("2018", "2020", "unknown")
COVID_CATEGORIES = ("situational-awareness", "inclusive-social", "co-creation", "recovery-resilience")
# The brochure's split: the first two are short-term responses, the others long-term.
COVID_HORIZON = {"situational-awareness": "short", "inclusive-social": "short",
                 "co-creation": "long", "recovery-resilience": "long"}
TIERS = ("high", "low", "unknown")

# Population bands: (key, lower bound inclusive, upper bound exclusive).
POP_BANDS = (
    ("lt100k", 0, 100_000),
    ("100k-500k", 100_000, 500_000),
    ("500k-1m", 500_000, 1_000_000),
    ("1m-5m", 1_000_000, 5_000_000),
    ("gt5m", 5_000_000, 10**12),
)
YES_NO = ("yes", "no", "unknown")
_ISO3 = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Facet:
    key: str  # URL parameter and Filters field
    column: str  # column of the city_facts table
    values: tuple[str, ...]  # allowed values; empty = checked by pattern (country)


FACETS = (
    Facet("region", "region", REGIONS),
    Facet("tier", "psi_tier", TIERS),
    Facet("covid", "", COVID_CATEGORIES),
    Facet("country", "iso3", ()),
    Facet("wave", "survey_wave", WAVES),
    Facet("pop", "pop_band", tuple(k for k, _, _ in POP_BANDS) + ("unknown",)),
    Facet("strategy", "strategy", YES_NO),
    Facet("funding", "funding", YES_NO),
    Facet("team", "team", YES_NO),
    Facet("confirmed", "confirmed", ("yes", "no")),
)
FACET_BY_KEY = {f.key: f for f in FACETS}


@dataclass(frozen=True)
class Filters:
    region: tuple[str, ...] = ()
    tier: tuple[str, ...] = ()
    covid: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    wave: tuple[str, ...] = ()
    pop: tuple[str, ...] = ()
    strategy: tuple[str, ...] = ()
    funding: tuple[str, ...] = ()
    team: tuple[str, ...] = ()
    confirmed: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def replace(self, key: str, values) -> "Filters":
        return Filters(**{**self.as_dict(), key: clean_values(key, values)})

    def as_dict(self) -> dict[str, tuple[str, ...]]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_query(self) -> dict[str, str]:
        """Non-empty filters as query-string pairs (values comma-joined)."""
        return {k: ",".join(v) for k, v in self.as_dict().items() if v}


def clean_values(key: str, values) -> tuple[str, ...]:
    """Allowed values of a facet, de-duplicated, in the facet's canonical order."""
    facet = FACET_BY_KEY.get(key)
    if facet is None or values is None:
        return ()
    if isinstance(values, str):
        values = values.split(",")
    out = []
    for raw in values:
        if not isinstance(raw, str):
            continue
        v = raw.strip()
        if key == "country":
            v = v.upper()
            ok = bool(_ISO3.match(v))
        else:
            v = v.lower()
            ok = v in facet.values
        if ok and v not in out:
            out.append(v)
    if facet.values:
        out.sort(key=facet.values.index)
    else:
        out.sort()
    return tuple(out)


def from_query(query) -> Filters:
    """Filters from a query string (``"region=europe&tier=high"``) or a mapping.

    Malformed input is dropped silently; the rest still applies.
    """
    query = query_mapping(query)
    return Filters(**{f.key: clean_values(f.key, query.get(f.key)) for f in FACETS})


def query_string(filters: Filters) -> str:
    """``?region=europe&tier=high`` for active filters (commas kept readable), else ``""``."""
    query = filters.to_query()
    return "?" + urlencode(query, safe=",") if query else ""


def query_mapping(query) -> dict:
    """A query string (``"?a=1&a=2&b=3"``) as a mapping (``{"a": "1,2", "b": "3"}``);
    a mapping passes through."""
    if isinstance(query, str):
        parsed = parse_qs(query.lstrip("?"), keep_blank_values=False)
        return {k: ",".join(v) for k, v in parsed.items()}
    return dict(query or {})


def search_key(text: str) -> str:
    """Lower-case ASCII form used for accent- and case-insensitive search
    ("Cornellà de Llobregat" -> "cornella de llobregat")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text.lower()).strip()
