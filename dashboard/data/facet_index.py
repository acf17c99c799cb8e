"""The map's filter answers from columns in memory (numpy), not one SQL query each.

Every filter change on the map asks for the selection (how many cities, their
extent), the count each facet value would give, and the summary's yes/no
counts. In DuckDB those are several statements and, even for 115 cities, about
25 ms of planning and running; from a few small columns held in memory they
take well under a millisecond at the real size and a few milliseconds at
100,000 cities.

``FacetIndex`` is built once per worker and data version from
``Store.facet_table()`` (the store owns the SQL). Like the store's SQL and the
browser's pick (``assets/atlas_map.js``), it knows no facet by name: each
facet's rule comes from the specification (``dashboard/facets.py``). A
single-valued facet is a column of codes (an index into its values); a
multi-valued one a city x value matrix. The tests compare its answers with
reference SQL over many seeded selections.
"""
from __future__ import annotations

import numpy as np

from dashboard.facets import FACETS, Filters
from dashboard.store.schema import PROFILE_FACTS


class FacetIndex:
    """Answers for any ``Filters`` over one store's cities, rows in the map's order (``pos``)."""

    def __init__(self, table: dict):
        """``table``: ``Store.facet_table()``."""
        self.n = len(table["lat"])
        self.lat = np.asarray(table["lat"], dtype=float)
        self.lon = np.asarray(table["lon"], dtype=float)
        self.has_profile = np.asarray(table["has_profile"], dtype=bool)
        self.scored = np.asarray(table["psi_tier"]).astype(str) != "unknown"
        self.official = np.asarray(table["psi_source"]).astype(str) == "official"
        self.values: dict[str, list[str]] = {}  # facet key -> its values (index = code)
        self.codes: dict[str, np.ndarray] = {}  # single-valued: city -> code
        self.members: dict[str, np.ndarray] = {}  # multi-valued: city x value, True where the city has it
        for facet in FACETS:
            if facet.multi:
                self.values[facet.key] = list(facet.values)
                self.members[facet.key] = np.zeros((self.n, len(facet.values)), dtype=bool)
            else:
                column = np.asarray(table[facet.column]).astype(str)
                vocab = list(facet.values) if facet.values else sorted(set(column.tolist()))
                rank = {v: i for i, v in enumerate(vocab)}
                self.values[facet.key] = vocab
                self.codes[facet.key] = np.fromiter((rank[v] for v in column), dtype=np.int32, count=self.n)
        ranks = {key: {v: i for i, v in enumerate(values)} for key, values in self.values.items()}
        for pos, key, value in table["multi"]:
            self.members[key][pos, ranks[key][value]] = True

    # -- masks ----------------------------------------------------------------------
    def _facet_mask(self, key: str, wanted: tuple[str, ...]) -> np.ndarray:
        """Cities with any of the wanted values of one facet."""
        values = self.values[key]
        chosen = np.fromiter((v in wanted for v in values), dtype=bool, count=len(values))
        if key in self.members:
            return self.members[key][:, chosen].any(axis=1)
        return chosen[self.codes[key]]

    def _masks(self, filters: Filters) -> dict[str, np.ndarray]:
        """One mask per active facet."""
        return {key: self._facet_mask(key, values) for key, values in filters.items()}

    def mask(self, filters: Filters) -> np.ndarray:
        out = np.ones(self.n, dtype=bool)
        for m in self._masks(filters).values():
            out &= m
        return out

    def columns(self) -> dict:
        """Each facet for the browser, rows in ``pos`` order: ``{"values": [...], "codes": [...]}``,
        a city's code (single-valued) or list of codes (multi-valued) indexing ``values``. With
        these the map picks its cities itself, by the rule ``mask`` applies."""
        out = {}
        for key, values in self.values.items():
            if key in self.members:
                codes = [np.flatnonzero(row).tolist() for row in self.members[key]]
            else:
                codes = self.codes[key].tolist()
            out[key] = {"values": values, "codes": codes}
        return out

    # -- answers ----------------------------------------------------------------------
    def selection(self, filters: Filters) -> dict:
        """How many cities the filters select (``count``) of all (``total``), and their
        ``extent`` ([south, west, north, east], None when none)."""
        chosen = self.mask(filters)
        count = int(chosen.sum())
        extent = None
        if count:
            lat, lon = self.lat[chosen], self.lon[chosen]
            extent = [float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max())]
        return {"count": count, "total": self.n, "extent": extent}

    def facet_counts(self, filters: Filters) -> dict[str, dict[str, int]]:
        """Per facet, the cities each value would give with every other active filter applied
        (Datasette-style; values with no city left out)."""
        masks = self._masks(filters)
        out: dict[str, dict[str, int]] = {}
        for key, values in self.values.items():
            others = np.ones(self.n, dtype=bool)
            for other, m in masks.items():
                if other != key:
                    others &= m
            if key in self.members:
                counts = self.members[key][others].sum(axis=0)
            else:
                counts = np.bincount(self.codes[key][others], minlength=len(values))
            out[key] = {v: int(n) for v, n in zip(values, counts) if n}
        return out

    def positions(self, filters: Filters, limit: int) -> list[int] | None:
        """The selection's positions (``pos``), or None when it has more than ``limit`` cities."""
        chosen = np.flatnonzero(self.mask(filters))
        return None if len(chosen) > limit else chosen.tolist()

    def profile_facts(self, filters: Filters) -> dict:
        """Selection size, published profiles, scores, and the yes/no answers of strategy, team
        and funding (the rest of the selection did not publish the answer)."""
        chosen = self.mask(filters)
        cities = int(chosen.sum())
        facts = {}
        for fact in PROFILE_FACTS:
            values, codes = self.values[fact], self.codes[fact][chosen]
            yes, no = int((codes == values.index("yes")).sum()), int((codes == values.index("no")).sum())
            facts[fact] = {"yes": yes, "no": no, "unknown": cities - yes - no}
        return {"cities": cities, "profiles": int((self.has_profile & chosen).sum()),
                "scored": int((self.scored & chosen).sum()), "official": int((self.official & chosen).sum()),
                "facts": facts}
