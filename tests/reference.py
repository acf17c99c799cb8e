"""Reference answers in plain SQL, for tests only: the rule of dashboard/facets.py written out by hand
for each facet kind, against which the store's derived SQL, the facet index and the browser's pick
are checked. The app never uses these."""
from __future__ import annotations

from dashboard.facets import FACETS, Filters


def where(filters: Filters, skip: str | None = None) -> tuple[str, list]:
    """The condition on city_facts, written out facet by facet (not derived from the spec's fields)."""
    clauses, params = [], []
    for key, values in filters.items():
        if key == skip:
            continue
        marks = ",".join("?" * len(values))
        if key == "covid":
            clauses.append(f"id IN (SELECT city_id FROM covid_responses WHERE category IN ({marks}))")
        elif key in ("policy", "role", "activity"):
            clauses.append(f"id IN (SELECT city_id FROM facet_values WHERE facet = '{key}' AND value IN ({marks}))")
        else:
            column = {"tier": "psi_tier", "country": "iso3", "wave": "survey_wave", "pop": "pop_band"}.get(key, key)
            clauses.append(f"{column} IN ({marks})")
        params.extend(values)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def ids(store, filters: Filters = Filters()) -> set[str]:
    sql, params = where(filters)
    return {r["id"] for r in store.rows(f"SELECT id FROM city_facts{sql}", params)}


def count(store, filters: Filters = Filters()) -> int:
    return len(ids(store, filters))


def facet_counts(store, filters: Filters = Filters()) -> dict[str, dict[str, int]]:
    """Per facet, the cities each value would give with every other active filter applied."""
    out = {}
    for facet in FACETS:
        sql, params = where(filters, skip=facet.key)
        if facet.key == "covid":
            rows = store.rows("SELECT r.category AS value, count(DISTINCT f.id) AS n FROM city_facts f JOIN "
                              f"covid_responses r ON r.city_id = f.id{sql.replace('id IN', 'f.id IN')} GROUP BY 1",
                              params)
        elif facet.multi:
            rows = store.rows(f"SELECT v.value, count(DISTINCT f.id) AS n FROM city_facts f JOIN facet_values v "
                              f"ON v.city_id = f.id AND v.facet = '{facet.key}'{sql.replace('id IN', 'f.id IN')} "
                              "GROUP BY 1", params)
        else:
            rows = store.rows(f"SELECT {facet.column} AS value, count(*) AS n FROM city_facts{sql} GROUP BY 1", params)
        out[facet.key] = {str(r["value"]): r["n"] for r in rows}
    return out


def profile_facts(store, filters: Filters = Filters()) -> dict:
    sql, params = where(filters)
    row = store.rows("SELECT count(*) AS cities, count(*) FILTER (WHERE id IN (SELECT city_id FROM profiles)) AS profiles, "
                     "count(*) FILTER (WHERE psi_tier <> 'unknown') AS scored, "
                     "count(*) FILTER (WHERE psi_source = 'official') AS official, "
                     + ", ".join(f"count(*) FILTER (WHERE {f} = '{v}') AS {f}_{v}"
                                 for f in ("strategy", "team", "funding") for v in ("yes", "no"))
                     + f" FROM city_facts{sql}", params)[0]
    return {"cities": row["cities"], "profiles": row["profiles"], "scored": row["scored"], "official": row["official"],
            "facts": {f: {"yes": row[f"{f}_yes"], "no": row[f"{f}_no"],
                          "unknown": row["cities"] - row[f"{f}_yes"] - row[f"{f}_no"]}
                      for f in ("strategy", "team", "funding")}}
