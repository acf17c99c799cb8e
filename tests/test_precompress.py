"""Static responses: brotli and gzip copies made once, served from memory and from the folder."""
from __future__ import annotations

import gzip
import re

import brotli
from flask import Flask

from dashboard.web.precompress import Precompressed


def _bundle_url(flask_client, library: str) -> str:
    # a bundle's versioned address (dash-leaflet's and dcc's bundles load chunks: served from their folder's
    # versioned address), as a script of the page or, for a library loaded on use (Leaflet), in its config
    html = flask_client.get("/present").get_data(as_text=True)
    return re.search(rf'(/bundles/[0-9a-f]+/{library}/[^"/]+\.js)', html).group(1)


def _ready(flask_client, url: str) -> tuple[Precompressed, bytes]:
    """The precompressor and the uncompressed body of url, with its copies made."""
    import app as app_module

    precompressed = app_module.server.extensions["precompressed"]
    flask_client.get(url, headers={"Accept-Encoding": "br"})  # the first request queues the copies
    precompressed.drain()
    return precompressed, flask_client.get(url).data


def test_a_bundle_is_served_from_its_brotli_and_gzip_copies(flask_client):
    url = _bundle_url(flask_client, "dash_leaflet")
    precompressed, plain = _ready(flask_client, url)
    assert len(plain) > 100_000 and b"dash_leaflet" in plain

    br = flask_client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert br.headers["Content-Encoding"] == "br" and int(br.headers["Content-Length"]) == len(br.data)
    assert brotli.decompress(br.data) == plain
    assert len(br.data) == len(brotli.compress(plain, quality=11)) < len(plain) / 3
    assert "Accept-Encoding" in br.headers["Vary"] and "max-age=31536000" in br.headers["Cache-Control"]

    gz = flask_client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and int(gz.headers["Content-Length"]) == len(gz.data)
    assert gzip.decompress(gz.data) == plain and gz.headers["ETag"] != br.headers["ETag"]

    identity = flask_client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in identity.headers and identity.data == plain
    assert precompressed.copies  # ... from memory


def test_copies_answer_304_to_their_etag(flask_client):
    url = _bundle_url(flask_client, "dash/dcc")
    _ready(flask_client, url)
    first = flask_client.get(url, headers={"Accept-Encoding": "br"})
    again = flask_client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert first.status_code == 200 and again.status_code == 304 and again.data == b""


def test_the_map_data_files_get_copies_too(flask_client):
    import app as app_module

    for url in ("/data/countries.geojson", "/data/cities.json?v=1"):
        _, plain = _ready(flask_client, url)
        r = flask_client.get(url, headers={"Accept-Encoding": "br"})
        assert r.headers["Content-Encoding"] == "br" and brotli.decompress(r.data) == plain
        # the route's lifetime is kept: these addresses name no current version
        assert r.headers["Cache-Control"] == f"public, max-age={app_module.REVALIDATED_MAX_AGE}"


def test_callbacks_and_the_api_are_left_to_flask_compress(flask_client):
    import app as app_module
    from dashboard import ids
    from dashboard.views.table_view import DEFAULT_COLUMNS

    precompressed = app_module.server.extensions["precompressed"]
    before = set(precompressed.copies)
    # the table's grid drawn (every row of the selection)
    body = {"output": f"{ids.TABLE_GRID_SLOT}.children", "outputs": {"id": ids.TABLE_GRID_SLOT, "property": "children"},
            "inputs": [{"id": ids.TABLE_GRID_WANTED, "property": "data", "value": True}],
            "changedPropIds": [f"{ids.TABLE_GRID_WANTED}.data"],
            "state": [{"id": ids.TABLE_COLUMNS, "property": "value", "value": DEFAULT_COLUMNS},
                      {"id": ids.TABLE_URL, "property": "search", "value": ""},
                      {"id": ids.TABLE_QUERY, "property": "data", "value": {}}]}
    for _ in range(2):
        callback = flask_client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "gzip"})
        api = flask_client.get("/api/cities.json", headers={"Accept-Encoding": "gzip"})
        precompressed.drain()
    assert callback.status_code == 200 and len(gzip.decompress(callback.data)) > 1000
    assert api.status_code == 200 and len(gzip.decompress(api.data)) > 1000
    assert set(precompressed.copies) == before and not precompressed.pending


def _static_app(folder, body: bytes) -> tuple[Flask, Precompressed]:
    server = Flask(__name__)
    server.get("/static/big.js")(lambda: (body, 200, {"Content-Type": "text/javascript"}))
    precompressed = Precompressed(folder, ("/static/",), frozenset({"text/javascript"}))
    precompressed.init_app(server)
    return server, precompressed


def test_other_workers_and_restarts_reuse_the_copies_in_the_folder(tmp_path):
    body = b"".join(b"function f%d(){return %d}\n" % (i, i * i) for i in range(2000))
    server, precompressed = _static_app(tmp_path, body)
    client = server.test_client()
    assert "Content-Encoding" not in client.get("/static/big.js", headers={"Accept-Encoding": "br"}).headers
    precompressed.drain()
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".br", ".gz"]

    other, _ = _static_app(tmp_path, body)  # another worker: its first answer is already a copy
    r = other.test_client().get("/static/big.js", headers={"Accept-Encoding": "br"})
    assert r.headers["Content-Encoding"] == "br" and brotli.decompress(r.data) == body


def test_a_copy_keeps_the_routes_etag_with_its_encoding(flask_client):
    url = "/data/countries.geojson"
    _ready(flask_client, url)
    plain = flask_client.get(url)
    br = flask_client.get(url, headers={"Accept-Encoding": "br"})
    assert br.headers["Content-Encoding"] == "br" and br.headers["ETag"] == plain.headers["ETag"][:-1] + ':br"'
    again = flask_client.get(url, headers={"If-None-Match": br.headers["ETag"], "Accept-Encoding": "br"})
    assert again.status_code == 304
