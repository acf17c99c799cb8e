"""The atlas's own estimate of a city's public-sector-innovation (PSI) capacity.

The OECD does not publish its per-city PSI index (0-10). This module computes
a transparent *estimate* from the answers published on each city's profile,
using the index's five components. Each component scores 0-2 points:

1. Strategy, goals and approaches (answered when the profile says whether the
   city has an explicit strategy): +1 explicit innovation strategy; +1 holistic
   approach (``holistic`` or ``both``), which the OECD links to higher resident
   satisfaction.
2. Organisation and staff (answered when the profile says whether there is an
   innovation team): +1 a dedicated innovation team; +1 a multidisciplinary
   team (4 or more innovation roles stated).
3. Funding (answered when the profile says whether there is dedicated funding
   for innovation capacity): 2 with dedicated funding, 0 without.
4. Data use (answered when the profile lists roles, activities or the terms the
   city associates with innovation): +1 a data role on the team (a role whose
   name contains "data"); +1 data analytics among its most common innovation
   activities or among the two terms it most associates with innovation.
5. Outcome evaluation (answered when the profile lists critical success factors
   or what innovation is helping to do): +1 "Focus on measurement" is a critical
   success factor; +1 innovation is helping to "Improve resident outcomes".

A city with fewer than three answered components gets no estimate. Otherwise
the points of the answered components are summed and scaled to 0-10
(sum x 5 / answered components), rounded to one decimal, so that a component
that is not published neither adds nor removes points. Tier: ``high`` for 6 or
more (the brochure's cut-off), ``low`` below 6, ``unknown`` without a score.
"""
from __future__ import annotations

from dataclasses import dataclass

COMPONENTS = ("strategy", "organisation", "funding", "data", "evaluation")
MIN_ANSWERED = 3
HIGH_TIER_FROM = 6.0
DATA_ACTIVITY = "Promoting data-driven analytics / public data management"
DATA_TERM = "Data analytics"
MEASUREMENT_FACTOR = "Focus on measurement"
OUTCOMES_AIM = "Improve resident outcomes"
MULTIDISCIPLINARY_ROLES = 4


@dataclass(frozen=True)
class Criterion:
    """One rule of a component: the points it gives and whether the profile meets it."""
    key: str  # e.g. "explicit_strategy"; the city page words it
    points: int
    met: bool


@dataclass(frozen=True)
class Estimate:
    points: dict[str, int | None]  # component -> 0..2, or None when not published
    score: float | None

    @property
    def answered(self) -> int:
        return sum(v is not None for v in self.points.values())


def tier(score: float | None) -> str:
    if score is None:
        return "unknown"
    return "high" if score >= HIGH_TIER_FROM else "low"


def _strategy(p: dict) -> tuple[Criterion, ...] | None:
    if p.get("has_explicit_strategy") is None:
        return None
    return (Criterion("explicit_strategy", 1, bool(p["has_explicit_strategy"])),
            Criterion("holistic_approach", 1, p.get("approach") in ("holistic", "both")))


def _organisation(p: dict) -> tuple[Criterion, ...] | None:
    if p.get("has_innovation_team") is None:
        return None
    team = bool(p["has_innovation_team"])
    multi = (p.get("n_innovation_roles") or 0) >= MULTIDISCIPLINARY_ROLES
    return (Criterion("innovation_team", 1, team), Criterion("multidisciplinary_team", 1, team and multi))


def _funding(p: dict) -> tuple[Criterion, ...] | None:
    if p.get("has_dedicated_funding") is None:
        return None
    return (Criterion("dedicated_funding", 2, bool(p["has_dedicated_funding"])),)


def _data(p: dict) -> tuple[Criterion, ...] | None:
    roles, acts, terms = p.get("innovation_roles") or [], p.get("innovation_activities_ranked") or [], p.get("terms_associated") or []
    if not (roles or acts or terms):
        return None
    return (Criterion("data_role", 1, any(is_data_role(r) for r in roles)),
            Criterion("data_analytics", 1, DATA_ACTIVITY in acts or DATA_TERM in terms))


def _evaluation(p: dict) -> tuple[Criterion, ...] | None:
    factors, helping = p.get("success_factors") or [], p.get("helping_to") or []
    if not (factors or helping):
        return None
    return (Criterion("focus_on_measurement", 1, MEASUREMENT_FACTOR in factors),
            Criterion("resident_outcomes", 1, OUTCOMES_AIM in helping))


def is_data_role(role: str) -> bool:
    return "data" in role.lower()


def criteria(profile: dict | None) -> dict[str, tuple[Criterion, ...] | None]:
    """Per component, the rules applied to the profile (None: component not published)."""
    if not profile:
        return {c: None for c in COMPONENTS}
    rules = {"strategy": _strategy, "organisation": _organisation, "funding": _funding, "data": _data,
             "evaluation": _evaluation}
    return {c: rules[c](profile) for c in COMPONENTS}


def estimate(profile: dict | None) -> Estimate:
    """Estimate for one city's published profile answers (None: no profile)."""
    points = {c: None if crit is None else sum(x.points for x in crit if x.met)
              for c, crit in criteria(profile).items()}
    answered = [v for v in points.values() if v is not None]
    if len(answered) < MIN_ANSWERED:
        return Estimate(points, None)
    return Estimate(points, round(sum(answered) * len(COMPONENTS) / len(answered), 1))
