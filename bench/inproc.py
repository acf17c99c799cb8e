"""In-process server time of the map page's filter callback (run by ``bench.run`` in a
subprocess whose environment names the store: ``ATLAS_DB``, ``ATLAS_DATA_DIR``).

Reads ``{"sync": <captured body>, "selections": [query strings], "repeats": n}`` on
stdin and prints milliseconds per step as JSON:

- ``view``: ``map_view.sync("filters", ...)``, the page logic the callback calls;
- ``handler``: the whole Dash request (``POST /_dash-update-component`` through
  Flask's test client: routing, the callback, JSON encoding and compression);
- each with the data computed (cache cleared first) and from the cache;
- ``store_points``, ``store_facets``: the uncached parts (the facet index's
  ``selection`` and ``facet_counts``).
"""
from __future__ import annotations

import json
import sys
import time

ACCEPT = {"Accept-Encoding": "gzip, deflate, br, zstd", "Content-Type": "application/json"}


def _ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    job = json.load(sys.stdin)
    import app as app_module
    from bench.workload import sync_body
    from dashboard import data
    from dashboard.data.cache import clear as clear_cache
    from dashboard.urls import from_query
    from dashboard.urls import MapState as UrlState
    from dashboard.views.map_view import sync

    server = app_module.server
    client = server.test_client()
    out: dict[str, list[float]] = {k: [] for k in ("view_computed", "view_cached", "handler_computed",
                                                   "handler_cached", "store_points", "store_facets")}
    for q in job["selections"]:
        filters = from_query(q)
        body = json.dumps(sync_body(job["sync"], filters))

        def post():
            response = client.post("/_dash-update-component", data=body, headers=ACCEPT)
            assert response.status_code == 200, response.status_code

        with server.test_request_context("/"):
            clear_cache()
            out["view_computed"].append(_ms(lambda: sync("filters", UrlState(filters))))
            for _ in range(job["repeats"]):
                out["view_cached"].append(_ms(lambda: sync("filters", UrlState(filters))))
            index = data.facet_index()
            out["store_points"].append(_ms(lambda: index.selection(filters)))
            out["store_facets"].append(_ms(lambda: index.facet_counts(filters)))
        with server.app_context():
            clear_cache()
        out["handler_computed"].append(_ms(post))
        for _ in range(job["repeats"]):
            out["handler_cached"].append(_ms(post))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
