"""The web edge of store faults: one store file per request, and 503 while there is none.

Each request reads the store file it first reads until it ends (``Store.begin_request``),
so a rebuild swapping the file mid-request never mixes old and new data. While no
usable store file exists (``StoreUnavailable``) every request that needs data gets a
short 503 with ``Retry-After``, not a 500 and a traceback; the store logs the fault
once per interval, /healthz says ``unavailable``.
"""
from __future__ import annotations

import logging
from typing import Callable

from flask import Flask, Response, jsonify, request

from dashboard.store import Store, StoreUnavailable

RETRY_AFTER = 5  # seconds
MESSAGE = "The atlas's data is temporarily unavailable. Please try again in a few seconds."
log = logging.getLogger(__name__)


def unavailable(message: str = MESSAGE) -> Response:
    """503 with Retry-After: JSON (the API's error shape) for data and callback requests, else text."""
    if request.path.startswith(("/api/", "/_dash-", "/data/", "/healthz")):
        response = jsonify(error=message, ok=False)
    else:
        response = Response(message + "\n", mimetype="text/plain")
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER)
    response.headers["Cache-Control"] = "no-store"
    return response


def register(server: Flask, store: Store) -> None:
    """Pin one store file per request; answer StoreUnavailable with 503."""
    server.before_request(store.begin_request)
    server.teardown_request(lambda exc: store.end_request())
    server.register_error_handler(StoreUnavailable, lambda exc: unavailable())


def load_or_none(load: Callable[[], bytes], what: str) -> bytes | None:
    """``load()``, or None (logged once) when it fails: a worker starts even when a file it
    serves is broken, and answers 503 for that file alone."""
    try:
        return load()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.error("cannot serve %s: %s; it answers 503 until it is fixed and the app restarted", what, exc)
        return None
