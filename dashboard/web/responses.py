"""Cacheable responses: one ETag rule for the map's data files (app.py) and the data API.

A response's body is often work to build (a point table, an export of the
selection), so it may be given as a function, called only when the client's
copy is out of date. flask-compress and ``dashboard.web.precompress`` give a
compressed copy the ETag of its body plus ``:gzip``, ``:br`` …, and the
browser sends that back: either form of the tag means the client has it.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Response, request


def client_has(etag: str) -> bool:
    """Whether the request's If-None-Match names ``etag``, in any encoding."""
    return any(t == etag or t.startswith(etag + ":") for t in request.if_none_match.as_set())


def cacheable(body: str | bytes | Callable[[], str | bytes], mimetype: str, etag: str, max_age: int,
              filename: str | None = None, immutable: bool = False) -> Response:
    """A public response cached for ``max_age`` seconds, with ``etag``; a 304 without building
    the body when the client's copy is current. ``filename`` makes it a download; ``immutable``
    (for an address naming the body's version) tells browsers never to revalidate it."""
    if client_has(etag):
        response = Response(status=304)
    else:
        response = Response(body() if callable(body) else body, mimetype=mimetype)
        if filename:
            response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.cache_control.immutable = immutable or None
    return response
