"""The facet specification: which cities match a filter, declared once.

Every filter of the atlas is a *facet*: a URL parameter (``region``), the
values it allows and where a city's values come from. Everything that decides
which cities match derives from ``FACETS``:

* the store's SQL ``WHERE`` (``dashboard/store/queries.py``: API, table, findings),
* the in-memory facet index (``dashboard/data/facet_index.py``: the map's counts),
* the browser's pick of the map's cities (``assets/atlas_map.js`` gets the
  specification and each city's value codes as data, with no per-facet code),
* the URL codec (``dashboard/urls.py``), which accepts exactly these values (an open
  vocabulary's by their form; which of them the data has is ``dashboard.data.known_filters``).

The rule is the same everywhere: the values of one facet are alternatives (a
city matches when *any* of its values is wanted), facets combine (a city must
match every active facet). A single-valued facet gives each city one value (a
column of ``city_facts``); a multi-valued one gives each city zero or more
(rows of the store's ``facet_values`` table, written at build time by
``city_values``).

Words for facets and their values live in ``dashboard/vocabulary.py``.
Adding a facet means: a ``Facet`` here, its words in the vocabulary, a test.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# The closed vocabularies of the data (also the allowed values of the source files).
REGIONS = ("north-america", "latin-america", "europe", "middle-east", "africa", "asia", "oceania")
# Survey waves are an open vocabulary: the year a city answered (any year a source gives, so a new
# wave loads by ingest with no change of code), or "unknown".
WAVE_PATTERN = r"(19|20)[0-9]{2}|unknown"
COVID_CATEGORIES = ("situational-awareness", "inclusive-social", "co-creation", "recovery-resilience")
# The brochure's split: the first two are short-term responses, the others long-term.
COVID_HORIZON = {"situational-awareness": "short", "inclusive-social": "short",
                 "co-creation": "long", "recovery-resilience": "long"}
TIERS = ("high", "low", "unknown")
YES_NO = ("yes", "no", "unknown")

# Population bands: (key, lower bound inclusive, upper bound exclusive).
POP_BANDS = (
    ("lt100k", 0, 100_000),
    ("100k-500k", 100_000, 500_000),
    ("500k-1m", 500_000, 1_000_000),
    ("1m-5m", 1_000_000, 5_000_000),
    ("gt5m", 5_000_000, 10**12),
)

# What a URL may ask for at most: values per facet and characters per raw value list.
# Longer lists are cut (after de-duplication) by this documented rule, never an error.
MAX_VALUES = 60
MAX_RAW_CHARS = 2000


def _folds(table: Mapping[str, Iterable[str]]) -> Mapping[str, str]:
    """``{value: [printed labels]}`` as ``{folded label: value}``."""
    return MappingProxyType({fold_label(label): value for value, labels in table.items() for label in labels})


def fold_label(label: str) -> str:
    """A printed label reduced for matching: case, accents, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@dataclass(frozen=True)
class Facet:
    """One filter of the atlas.

    ``values``: the allowed values in canonical order; empty for an open
    vocabulary checked by ``pattern`` (countries: any ISO3 code, written in capitals
    when ``upper``; survey waves: a year or ``unknown``), whose values are the data's.
    ``column``: single-valued facets, the ``city_facts`` column holding each city's value.
    ``items``: multi-valued facets drawn from a list of the published profiles, the
    ``profile_items`` kind; ``folds`` map each printed label (and its known variants) to a
    value, any other label counts as ``other``, and a city whose profile does not give the
    list has ``unknown``.
    ``control``: how the map page offers it (``checklist`` or, for long lists, ``dropdown``).
    """
    key: str
    values: tuple[str, ...] = ()
    column: str = ""
    items: str = ""
    multi: bool = False
    pattern: str = ""
    upper: bool = False
    control: str = "checklist"
    folds: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def clean(self, raw: str) -> str | None:
        """One value from a URL in canonical form, or None when the facet does not allow it."""
        if self.pattern:
            value = raw.strip().upper() if self.upper else raw.strip().lower()
            return value if re.fullmatch(self.pattern, value) else None
        value = raw.strip().lower()
        return value if value in self._allowed else None

    @property
    def _allowed(self) -> frozenset[str]:
        return _ALLOWED.setdefault(self.key, frozenset(self.values))

    def order(self, values: Iterable[str]) -> tuple[str, ...]:
        """Values in the facet's canonical order (open vocabularies: sorted)."""
        if not self.values:
            return tuple(sorted(values))
        rank = _RANK.setdefault(self.key, {v: i for i, v in enumerate(self.values)})
        return tuple(sorted(values, key=rank.__getitem__))

    def from_labels(self, labels: Iterable[str] | None) -> tuple[str, ...]:
        """The values of a multi-valued ``items`` facet for the labels a profile printed.

        No labels (the profile does not give the list): ``("unknown",)``.
        """
        labels = [label for label in labels or () if label.strip()]
        if not labels:
            return ("unknown",)
        return self.order({self.folds.get(fold_label(label), "other") for label in labels})


_ALLOWED: dict[str, frozenset[str]] = {}
_RANK: dict[str, dict[str, int]] = {}

# The policy areas, innovation roles and innovation activities of cities-innovation-oecd.com's
# map. Each value lists the labels printed on the profiles that count as it: the site's standard
# label and the variants seen in data/profiles.csv (see data/README.md, "Facets of the profile
# lists"). Any other printed label counts as "other"; the city pages show every label as printed.
POLICY_AREAS = {
    "economic-development": ["Economic Development"],
    "digital-governance": ["Digital governance"],
    "transport-mobility": ["Transport/Mobility", "Mobility"],
    "environment-climate": ["Environment and climate change", "Environment/climate change"],
    "social-welfare": ["Social welfare/social services", "Social welfare and social services"],
    "social-inclusion": ["Social inclusion and equity"],
    "policing": ["Policing and law enforcement"],
    "public-safety": ["Public safety"],
    "education": ["Education"],
    "housing": ["Housing", "Housing/homelessness"],
    "public-works": ["Public works"],
    "health": ["Health"],
    "resilience": ["City resilience", "Resilience"],
    "emergency-preparedness": ["Emergency preparedness"],
    "citizen-engagement": ["Citizen engagement", "Resident engagement"],
    "urban-regeneration": ["Urban regeneration"],
    "digital-services": ["Digital services"],
    "connectivity": ["Connectivity"],
    "data-driven-decisions": ["Data-driven decision-making"],
    "internal-innovation": ["Internal innovation"],
    "future-of-work": ["Future of work"],
    "inclusive-growth": ["Inclusive growth"],
    "waste": ["Waste", "Waste and Litter"],
    "no-priority": ["does not prioritise policy sectors"],
}
INNOVATION_ROLES = {
    "project-manager": ["Project manager"],
    "data-scientist": ["Data scientist", "Data specialist"],
    "community-engagement": ["Community engagement staff", "Community engagement"],
    "communication": ["Communication officer", "Communication", "Communication or marketing staff"],
    "designer": ["Designer"],
    "engineer": ["Engineer"],
    "sociologist": ["Sociologist", "Sociologist / Political Scientist"],
    "architect": ["Architect"],
    "urban-planner": ["Urban planner"],
    "health-professional": ["Health professional"],
    "business-analyst": ["Business analyst"],
    "computer-scientist": ["Computer scientist"],
    "open-data-advisor": ["Open data advisor"],
    "psychologist": ["Industrial/Organizational Psychologist", "Industrial/Organisational Psychologist"],
}
INNOVATION_ACTIVITIES = {
    "risk-taking": ["Taking risks and testing new ideas"],
    "data-analytics": ["Promoting data-driven analytics / public data management"],
    "resident-engagement": ["Engaging residents in new ways"],
    "digital-solutions": ["Developing new solutions based on digital technologies"],
    "organisational-change": ["Facilitating organizational change within the municipality",
                              "Facilitating organisational change within the municipality"],
    "human-centred-design": ["Human-centered design", "Human-centred design"],
    "financing-partnerships": ["Rethinking approaches to financing and partnerships"],
}


def _items_facet(key: str, kind: str, table: Mapping[str, list[str]], control: str) -> Facet:
    return Facet(key, (*table, "other", "unknown"), items=kind, multi=True, control=control, folds=_folds(table))


FACETS: tuple[Facet, ...] = (
    Facet("region", REGIONS, column="region"),
    Facet("tier", TIERS, column="psi_tier"),
    Facet("covid", COVID_CATEGORIES, multi=True),  # values: the city's COVID-19 response categories
    Facet("country", column="iso3", pattern=r"[A-Z]{3}", upper=True, control="dropdown"),
    Facet("wave", column="survey_wave", pattern=WAVE_PATTERN),
    Facet("pop", (*(k for k, _, _ in POP_BANDS), "unknown"), column="pop_band"),
    Facet("strategy", YES_NO, column="strategy"),
    Facet("funding", YES_NO, column="funding"),
    Facet("team", YES_NO, column="team"),
    Facet("confirmed", ("yes", "no"), column="confirmed"),
    _items_facet("policy", "policy_area", POLICY_AREAS, "dropdown"),
    _items_facet("role", "role", INNOVATION_ROLES, "dropdown"),
    _items_facet("activity", "activity", INNOVATION_ACTIVITIES, "checklist"),
)
FACET_BY_KEY: Mapping[str, Facet] = MappingProxyType({f.key: f for f in FACETS})
SINGLE = tuple(f for f in FACETS if not f.multi)
MULTI = tuple(f for f in FACETS if f.multi)


def clean_values(key: str, raw) -> tuple[str, ...]:
    """The allowed values of a facet from a URL or a control, de-duplicated, in canonical order.

    ``raw`` is a comma-separated string or a list of strings; anything else, unknown values and
    unknown facets give nothing. Linear in the input, which is cut at ``MAX_RAW_CHARS``
    characters and ``MAX_VALUES`` values.
    """
    facet = FACET_BY_KEY.get(key)
    if facet is None or raw is None:
        return ()
    if isinstance(raw, str):
        items: Iterable = raw[:MAX_RAW_CHARS].split(",")
    elif isinstance(raw, (list, tuple)):
        items = raw[:MAX_VALUES]
    else:
        return ()
    found: dict[str, None] = {}
    for item in items:
        if isinstance(item, str) and len(item) <= 100:
            value = facet.clean(item)
            if value is not None:
                found[value] = None
                if len(found) >= MAX_VALUES:
                    break
    return facet.order(found)


def _listed(raw):
    return raw if isinstance(raw, str) or raw is None else list(raw)


class Filters(Mapping[str, tuple[str, ...]]):
    """The active filters of a selection, by facet key, each a tuple of allowed values in canonical
    order (``Filters(region=("europe",))``). Immutable; ``filters["tier"]`` is ``()`` when the
    facet is not active. ``canonical`` is its one text form (``region=europe,asia&tier=high``):
    cache keys, ETags and the map's selection all use it."""

    __slots__ = ("_values", "_canonical")

    def __init__(self, values: Mapping[str, Iterable[str]] | None = None, /, **kw: Iterable[str]):
        merged = {**(values or {}), **kw}
        unknown = set(merged) - set(FACET_BY_KEY)
        if unknown:
            raise TypeError(f"unknown facet(s) {sorted(unknown)}; facets are {list(FACET_BY_KEY)}")
        self._values = {f.key: v for f in FACETS if (v := clean_values(f.key, _listed(merged.get(f.key))))}
        self._canonical = "&".join(f"{k}={','.join(v)}" for k, v in self._values.items())

    def __getitem__(self, key: str) -> tuple[str, ...]:
        if key not in FACET_BY_KEY:
            raise KeyError(key)
        return self._values.get(key, ())

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other) -> bool:
        return isinstance(other, Filters) and other._canonical == self._canonical

    def __hash__(self) -> int:
        return hash(self._canonical)

    def __repr__(self) -> str:
        return f"Filters({self._canonical!r})"

    @property
    def active(self) -> bool:
        return bool(self._values)

    @property
    def canonical(self) -> str:
        """The filters as a query string without "?", values comma-joined, facets in spec order."""
        return self._canonical

    def replace(self, key: str, values) -> "Filters":
        return Filters({**self._values, key: clean_values(key, values)})

    def to_query(self) -> dict[str, str]:
        """Active filters as query-string pairs (values comma-joined)."""
        return {k: ",".join(v) for k, v in self._values.items()}


def search_key(text: str) -> str:
    """Lower-case ASCII form used for accent- and case-insensitive search
    ("Cornellà de Llobregat" -> "cornella de llobregat")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text.lower()).strip()


def client() -> dict:
    """The specification as the browser's code takes it (assets/atlas_map.js, through the page's
    client config): each facet in order, its values in canonical order (None for an open
    vocabulary, whose values sort as text) and whether a city may have several."""
    return {f.key: {"values": list(f.values) or None, "multi": f.multi} for f in FACETS}
