"""Dash's code-split chunks at versioned addresses, kept a year like every other bundle.

Dash writes each bundle into a page with its version in the name
(``dash_core_components.v4_4_1m….js``, served with a year's lifetime), but a bundle loads its
code-split chunks (``async-dropdown.js``, dash-leaflet's ``async-GeoJSON.js``) by a fixed name
from its own folder: webpack's public path is the folder of the bundle's address. So the chunks
had no version and no lifetime, and were asked for again on every page (revalidated).

The atlas serves the bundles of every folder that has chunks from
``/bundles/<hash of the folder's scripts>/<package>/<path>`` instead (``versioned``: app.py
rewrites the page's script tags and preloads with it): the chunks they load then come from that
versioned folder too. Everything under ``/bundles/`` is kept a year, ``immutable``; a new
release of a package is a new hash, a new address. The plain addresses still answer, revalidated.
"""
from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from pathlib import Path

from dash.fingerprint import check_fingerprint
from flask import Flask, abort

PREFIX = "/bundles/"
SUITES = "/_dash-component-suites/"
# the Python modules whose ``_js_dist`` lists the scripts (and chunks) of the component libraries
LIBRARIES = ("dash.dcc", "dash.html", "dash.dash_table", "dash_leaflet", "dash_ag_grid", "dash_extensions")


@lru_cache(maxsize=1)
def chunk_folders() -> frozenset[tuple[str, str]]:
    """(package, folder) of every code-split chunk the component libraries declare (Dash's
    ``"async"`` scripts)."""
    out = set()
    for name in LIBRARIES:
        module = sys.modules.get(name)
        for script in getattr(module, "_js_dist", ()):
            path = script.get("relative_package_path")
            if script.get("async") and isinstance(path, str):
                out.add((script.get("namespace", name), path.rpartition("/")[0]))
    return frozenset(out)


@lru_cache(maxsize=16)
def folder_hash(package: str, folder: str) -> str:
    """The first 16 hex digits of a SHA-256 of the folder's scripts (names and bytes)."""
    root = Path(sys.modules[package].__file__).parent / folder
    digest = hashlib.sha256()
    for script in sorted(root.glob("*.js")):
        digest.update(script.name.encode() + b"\0" + script.read_bytes())
    return digest.hexdigest()[:16]


def versioned(src: str) -> str:
    """A Dash bundle's address (``/_dash-component-suites/<package>/<path>``, fingerprinted or
    not) at its folder's versioned address when the folder has chunks; anything else as it is."""
    if not src.startswith(SUITES):
        return src
    package, _, path = src[len(SUITES):].partition("/")
    path, _ = check_fingerprint(path.partition("?")[0])
    folder = path.rpartition("/")[0]
    if (package, folder) not in chunk_folders():
        return src
    return f"{PREFIX}{folder_hash(package, folder)}/{package}/{path}"


def init_app(server: Flask, dash_app, max_age: int) -> None:
    """Serve ``/bundles/<hash>/<package>/<path>`` (Dash's own file, for a registered script of
    a folder with chunks, when the hash is the folder's), kept ``max_age`` seconds, immutable."""

    @server.get(PREFIX + "<digest>/<package>/<path:path>")
    def versioned_bundle(digest: str, package: str, path: str):
        folder = path.rpartition("/")[0]
        if (package, folder) not in chunk_folders() or digest != folder_hash(package, folder):
            abort(404)
        response = dash_app.backend.serve_component_suites(dash_app, package, path)
        response.cache_control.public = True
        response.cache_control.max_age = max_age
        response.cache_control.immutable = True
        return response
