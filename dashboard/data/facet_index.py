"""The map's filter answers from columns in memory (numpy), not one SQL query each.

Every filter change on the map asks for the selection (which cities, their
extent), the count each facet value would give, and the summary's yes/no
counts. In DuckDB those are four statements and, even for 115 cities, about
25 ms of planning and running; the facet counts alone (ten GROUP BYs, each
with every *other* active filter) took 15 ms. The same answers from a few
small columns held in memory take well under a millisecond at the real size
and a few milliseconds at 100,000 cities.

``FacetIndex`` is built once per worker and data version from
``Store.facet_table()`` (one query; the store owns the SQL). Its answers
match the store's SQL versions (``Store.selection``, ``Store.facet_counts``,
``Store.profile_facts``) exactly; the tests compare them over many selections.
Filter semantics are the store's: values of one facet are alternatives (OR),
facets combine (AND), and a city matches a COVID-19 category when it has at
least one response in it.
"""
from __future__ import annotations

import numpy as np

from dashboard.facets import FACETS, Filters
from dashboard.store.schema import PROFILE_FACTS


class FacetIndex:
    """Answers for any ``Filters`` over one store's cities, rows in the map's order (``pos``)."""

    def __init__(self, table: dict[str, np.ndarray], covid_categories: tuple[str, ...]):
        """``table``: ``Store.facet_table()``, one array per column, one row per city in ``pos`` order."""
        self.n = len(table["lat"])
        self.lat = np.asarray(table["lat"], dtype=float)
        self.lon = np.asarray(table["lon"], dtype=float)
        self.has_profile = np.asarray(table["has_profile"], dtype=bool)
        self.scored = np.asarray(table["psi_tier"]) != "unknown"
        self.official = np.asarray(table["psi_source"]) == "official"
        # each facet column as integer codes into its sorted distinct values
        self.codes: dict[str, np.ndarray] = {}
        self.vocab: dict[str, list[str]] = {}
        for facet in FACETS:
            if facet.column:
                vocab, codes = np.unique(np.asarray(table[facet.column]).astype(str), return_inverse=True)
                self.vocab[facet.key], self.codes[facet.key] = [str(v) for v in vocab], codes
        self.covid_categories = covid_categories
        self.covid = np.zeros((self.n, len(covid_categories)), dtype=bool)  # city x category
        if len(table["covid_pos"]):
            column = {c: i for i, c in enumerate(covid_categories)}
            self.covid[np.asarray(table["covid_pos"]), [column[c] for c in table["covid_category"]]] = True

    # -- masks ----------------------------------------------------------------------
    def _facet_mask(self, key: str, values: tuple[str, ...]) -> np.ndarray:
        if key == "covid":
            wanted = [self.covid_categories.index(v) for v in values if v in self.covid_categories]
            return self.covid[:, wanted].any(axis=1)
        wanted = [i for i, v in enumerate(self.vocab[key]) if v in values]
        return np.isin(self.codes[key], wanted)

    def _masks(self, filters: Filters) -> dict[str, np.ndarray]:
        """One mask per active facet."""
        return {f.key: self._facet_mask(f.key, getattr(filters, f.key)) for f in FACETS if getattr(filters, f.key)}

    def mask(self, filters: Filters) -> np.ndarray:
        out = np.ones(self.n, dtype=bool)
        for m in self._masks(filters).values():
            out &= m
        return out

    def columns(self) -> dict:
        """Each facet as a column for the browser, rows in ``pos`` order: ``{"values": [...],
        "codes": [...]}`` (index into values), and for ``covid`` ``{"values": categories,
        "bits": [...]}`` (bit j set: the city responded in category j). With these the map
        filters its point table itself, as ``mask`` does (see assets/atlas_map.js)."""
        out = {}
        for facet in FACETS:
            if facet.key == "covid":
                weights = 1 << np.arange(len(self.covid_categories))
                out["covid"] = {"values": list(self.covid_categories),
                                "bits": (self.covid.astype(np.int64) @ weights).tolist()}
            else:
                out[facet.key] = {"values": self.vocab[facet.key], "codes": self.codes[facet.key].tolist()}
        return out

    # -- answers ----------------------------------------------------------------------
    def selection(self, filters: Filters) -> dict:
        """The cities of ``Store.selection`` as a bitmask: ``bits`` has bit i % 8 of byte i // 8
        set for the city in row i of the point table (compact and immutable: 12.5 kB at 100,000
        cities, where a list of positions took 3.6 MB), with ``count``, ``total`` and ``extent``."""
        chosen = self.mask(filters)
        count = int(chosen.sum())
        extent = None
        if count:
            lat, lon = self.lat[chosen], self.lon[chosen]
            extent = [float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max())]
        return {"bits": np.packbits(chosen, bitorder="little").tobytes(), "count": count, "total": self.n,
                "extent": extent}

    def facet_counts(self, filters: Filters) -> dict[str, dict[str, int]]:
        """As ``Store.facet_counts``: per facet, the cities each value would give with
        every other active filter applied (values with no city left out)."""
        masks = self._masks(filters)
        out: dict[str, dict[str, int]] = {}
        for facet in FACETS:
            others = np.ones(self.n, dtype=bool)
            for key, m in masks.items():
                if key != facet.key:
                    others &= m
            if facet.key == "covid":
                counts = self.covid[others].sum(axis=0)
                out["covid"] = {c: int(n) for c, n in zip(self.covid_categories, counts) if n}
            else:
                counts = np.bincount(self.codes[facet.key][others], minlength=len(self.vocab[facet.key]))
                out[facet.key] = {v: int(n) for v, n in zip(self.vocab[facet.key], counts) if n}
        return out

    def profile_facts(self, filters: Filters) -> dict:
        """As ``Store.profile_facts``: selection size, published profiles, scores, and the
        yes/no answers of strategy, team and funding."""
        chosen = self.mask(filters)
        cities = int(chosen.sum())
        facts = {}
        for fact in PROFILE_FACTS:
            vocab, codes = self.vocab[fact], self.codes[fact][chosen]
            yes = int((codes == vocab.index("yes")).sum()) if "yes" in vocab else 0
            no = int((codes == vocab.index("no")).sum()) if "no" in vocab else 0
            facts[fact] = {"yes": yes, "no": no, "unknown": cities - yes - no}
        return {"cities": cities, "profiles": int((self.has_profile & chosen).sum()),
                "scored": int((self.scored & chosen).sum()), "official": int((self.official & chosen).sum()),
                "facts": facts}
