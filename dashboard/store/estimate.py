"""The atlas's own estimate of a city's public-sector-innovation (PSI) capacity.

The OECD does not publish its per-city PSI index (0-10). This module computes
a transparent *estimate* from the answers published on each city's profile,
using the index's five components. Each component has criteria worth 2 points
in all:

1. Strategy, goals and approaches: +1 explicit innovation strategy; +1 holistic
   approach (``holistic`` or ``both``), which the OECD links to higher resident
   satisfaction.
2. Organisation and staff: +1 a dedicated innovation team; +1 a
   multidisciplinary team (a team with 4 or more innovation roles stated).
3. Funding: +2 dedicated funding for innovation capacity.
4. Data use: +1 a data role on the team (a role whose name contains "data");
   +1 data analytics among its most common innovation activities or among the
   two terms it most associates with innovation.
5. Outcome evaluation: +1 "Focus on measurement" is a critical success factor;
   +1 innovation is helping to "Improve resident outcomes".

**Only published answers are scored.** Each criterion names the profile
answers it reads (``INPUTS``); it counts only when *every one* of them is
published, and otherwise it is "not published": it neither adds points nor
counts as 0. Whether a criterion counts never depends on its answer (a "yes"
seen in one list while the other list is missing is not counted either), so
missing answers cannot push estimates up or down. A list of roles is published
in full only when it lists at least as many roles as the profile states.

A component is answered when at least one of its criteria counts. A city with
fewer than three answered components gets no estimate. Otherwise the estimate
is the share of the counted criteria's points that the city meets, scaled to
0-10 (10 x points met / points counted), rounded to one decimal. With every
answer published this is the sum of the five components' 0-2 points x 5 / 5.
Tier: ``high`` for 6 or more (the brochure's cut-off), ``low`` below 6,
``unknown`` without a score.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

COMPONENTS = ("strategy", "organisation", "funding", "data", "evaluation")
COMPONENT_MAX = 2  # points of each component when all its criteria count
MIN_ANSWERED = 3
HIGH_TIER_FROM = 6.0
DATA_ACTIVITY = "Promoting data-driven analytics / public data management"
DATA_TERM = "Data analytics"
MEASUREMENT_FACTOR = "Focus on measurement"
OUTCOMES_AIM = "Improve resident outcomes"
MULTIDISCIPLINARY_ROLES = 4
LIST_INPUTS = ("innovation_roles", "innovation_activities_ranked", "terms_associated", "success_factors",
               "helping_to")


def is_data_role(role: str) -> bool:
    return "data" in role.lower()


@dataclass(frozen=True)
class Rule:
    key: str  # e.g. "explicit_strategy"; the city page words it
    component: str
    points: int
    inputs: tuple[str, ...]  # the profiles.csv columns it reads
    test: Callable[[dict], bool]  # called only when every input is published


RULES: tuple[Rule, ...] = (
    Rule("explicit_strategy", "strategy", 1, ("has_explicit_strategy",), lambda p: bool(p["has_explicit_strategy"])),
    Rule("holistic_approach", "strategy", 1, ("approach",), lambda p: p["approach"] in ("holistic", "both")),
    Rule("innovation_team", "organisation", 1, ("has_innovation_team",), lambda p: bool(p["has_innovation_team"])),
    Rule("multidisciplinary_team", "organisation", 1, ("has_innovation_team", "n_innovation_roles"),
         lambda p: bool(p["has_innovation_team"]) and p["n_innovation_roles"] >= MULTIDISCIPLINARY_ROLES),
    Rule("dedicated_funding", "funding", 2, ("has_dedicated_funding",), lambda p: bool(p["has_dedicated_funding"])),
    Rule("data_role", "data", 1, ("innovation_roles",), lambda p: any(is_data_role(r) for r in p["innovation_roles"])),
    Rule("data_analytics", "data", 1, ("innovation_activities_ranked", "terms_associated"),
         lambda p: DATA_ACTIVITY in p["innovation_activities_ranked"] or DATA_TERM in p["terms_associated"]),
    Rule("focus_on_measurement", "evaluation", 1, ("success_factors",),
         lambda p: MEASUREMENT_FACTOR in p["success_factors"]),
    Rule("resident_outcomes", "evaluation", 1, ("helping_to",), lambda p: OUTCOMES_AIM in p["helping_to"]),
)
INPUTS = {r.key: r.inputs for r in RULES}


def roles_incomplete(p: dict) -> bool:
    """The profile states more roles than it lists (the list is cut)."""
    n, roles = p.get("n_innovation_roles"), p.get("innovation_roles") or []
    return bool(roles) and n is not None and len(roles) < n


def published(p: dict, column: str) -> bool:
    """Whether the profile publishes this answer (a list: non-empty, and roles in full)."""
    value = p.get(column)
    if column in LIST_INPUTS:
        return bool(value) and not (column == "innovation_roles" and roles_incomplete(p))
    return value is not None


@dataclass(frozen=True)
class Criterion:
    """One rule applied to a profile: its points and whether the profile meets it."""
    key: str
    points: int
    met: bool | None  # None: an input it reads is not published, so it does not count
    missing: tuple[str, ...] = ()  # the inputs that are not published

    @property
    def counted(self) -> bool:
        return self.met is not None

    @property
    def scored(self) -> int:
        return self.points if self.met else 0


@dataclass(frozen=True)
class Estimate:
    points: dict[str, int | None]  # component -> points met over its counted criteria, None: none counts
    counted: dict[str, int | None]  # component -> points of its counted criteria (its maximum), None: none counts
    score: float | None

    @property
    def answered(self) -> int:
        return sum(v is not None for v in self.points.values())


def tier(score: float | None) -> str:
    if score is None:
        return "unknown"
    return "high" if score >= HIGH_TIER_FROM else "low"


def _apply(rule: Rule, p: dict) -> Criterion:
    missing = tuple(c for c in rule.inputs if not published(p, c))
    return Criterion(rule.key, rule.points, None if missing else rule.test(p), missing)


def criteria(profile: dict | None) -> dict[str, tuple[Criterion, ...]]:
    """Per component, its rules applied to the profile (each criterion says whether it counts)."""
    p = profile or {}
    return {c: tuple(_apply(r, p) for r in RULES if r.component == c) for c in COMPONENTS}


def estimate(profile: dict | None) -> Estimate:
    """Estimate for one city's published profile answers (None: no profile)."""
    points, counted = {}, {}
    for c, crit in criteria(profile).items():
        kept = [x for x in crit if x.counted]
        points[c] = sum(x.scored for x in kept) if kept else None
        counted[c] = sum(x.points for x in kept) if kept else None
    est = Estimate(points, counted, None)
    if est.answered < MIN_ANSWERED:
        return est
    total = sum(v for v in counted.values() if v)
    return Estimate(points, counted, round(10 * sum(v for v in points.values() if v) / total, 1))
