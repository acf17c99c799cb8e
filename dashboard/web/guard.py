"""The request edge: bounded work per request, callback payloads checked before Dash runs
them, security headers on every response, and errors that never show a traceback.

``init_app(server, dash_app)`` (called once by ``create_app``) installs it:

- a body over ``ATLAS_MAX_BODY_BYTES`` answers 413 and an address (path and query) over
  ``MAX_URL_BYTES`` answers 414, before any work;
- a callback request (``POST /_dash-update-component``) must be a JSON object whose
  ``output``, ``outputs``, ``inputs``, ``state`` and ``changedPropIds`` match a registered
  server callback, with values of the property's type, nested at most ``MAX_DEPTH`` deep,
  with at most ``MAX_NODES`` values in all and no text longer than ``MAX_TEXT``; anything else answers 400 with a one-line
  JSON reason before Dash sees it;
- a request still running after ``ATLAS_REQUEST_TIMEOUT`` seconds answers 503
  (``dashboard/web/deadline.py``);
- an error Dash raises while unpacking a malformed request is a 400 too (one log line);
  an error in the atlas's own code is a 500 with a generic message and a request id, and
  the traceback goes to the server log under that id;
- unknown files under ``/_dash-component-suites/`` answer 404;
- every response carries the security headers (``security_headers``); HTML pages get a
  Content-Security-Policy listing the SHA-256 of each inline script Dash writes into them;
- the pages' link-preview tags use ``ATLAS_PUBLIC_URL`` (or relative addresses), never the
  request's Host header, and the page config leaves out the Python, Dash and plotly versions;
- a page's path variables win over query parameters of the same name, and a repeated query
  parameter reaches a page's layout comma-joined (``path_first``).
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import re
import traceback
from html import escape
import uuid
from pathlib import Path
from types import SimpleNamespace

import dash
from dash import Dash, callback_context
from dash._pages import _page_meta_tags, _path_to_page
from dash.exceptions import DependencyException, UnsupportedRelativePath
from flask import Flask, Response, g, has_request_context, request
from werkzeug.exceptions import HTTPException

from dashboard import config, urls
from dashboard.web import deadline

log = logging.getLogger("atlas.guard")

CALLBACK_PATH = "/_dash-update-component"
MAX_URL_BYTES = 4000  # path + query string; gunicorn refuses request lines over 4094 bytes with its own 400
MAX_DEPTH = 32  # nesting of any JSON value in a callback request
MAX_NODES = 100_000  # values (scalars, lists, objects) in one callback request
MAX_TEXT = MAX_URL_BYTES  # characters of any text (or key) in a callback request: an address at most
MAX_LIST_VALUES = 1000  # items of a control's ``value`` list (a checklist, a multi-choice dropdown)
ENVELOPE_KEYS = ("output", "outputs", "inputs", "state", "changedPropIds")
# where the atlas's own code lives: an exception raised there is the server's fault (500)
PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
# Dash's page config keys that only tell a visitor which software runs the site (its renderer
# reads them for the dev tools' version notice alone)
HIDDEN_CONFIG = ("python_version", "plotly_version", "dash_version", "dash_version_url", "ddk_version")

PERMISSIONS_POLICY = ("accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
                      "fullscreen=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), "
                      "payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), "
                      "usb=(), xr-spatial-tracking=()")
REFERRER_POLICY = "same-origin"
INLINE_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
SCRIPT_TYPES = ("", "text/javascript", "application/javascript", "module")


class ClientError(ValueError):
    """A request the atlas will not run: answered 400 with ``str(error)`` as the reason."""


# --- callback requests -------------------------------------------------------------------

def _str_or_none(v) -> bool:
    return v is None or isinstance(v, str)


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _scalar(v) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def _control_value(v) -> bool:
    return _scalar(v) or (isinstance(v, list) and len(v) <= MAX_LIST_VALUES and all(_scalar(x) for x in v))


def _lat_lng(v) -> bool:
    if isinstance(v, list):
        return len(v) == 2 and all(_number(x) for x in v)
    return isinstance(v, dict) and _number(v.get("lat")) and _number(v.get("lng"))


def _list_of_objects(v) -> bool:
    return v is None or (isinstance(v, list) and all(isinstance(x, dict) for x in v))


# The type each component property the atlas's callbacks read must have; a property not
# listed here (e.g. a dcc.Store's ``data``) may be any JSON within the size limits, and the
# callback reading it checks it.
PROPERTY_TYPES = {
    "n_clicks": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0),
    "pathname": lambda v: v is None or (isinstance(v, str) and v.startswith("/")), "search": _str_or_none, "hash": _str_or_none, "href": _str_or_none,
    "search_value": _str_or_none, "className": _str_or_none,
    "value": _control_value,
    "zoom": lambda v: v is None or _number(v),
    "center": lambda v: v is None or _lat_lng(v),
    "clickData": lambda v: v is None or isinstance(v, dict),
    "virtualRowData": _list_of_objects, "columnState": _list_of_objects,
}


def check_size(value) -> None:
    """Raise ClientError when ``value`` nests deeper than MAX_DEPTH, holds more than MAX_NODES values
    or a text (or object key) longer than MAX_TEXT characters."""
    stack, nodes = [(value, 1)], 0
    while stack:
        v, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise ClientError(f"callback request holds more than {MAX_NODES} values")
        if depth > MAX_DEPTH:
            raise ClientError(f"callback request nests deeper than {MAX_DEPTH} levels")
        if isinstance(v, str):
            if len(v) > MAX_TEXT:
                raise ClientError(f"callback request holds a text longer than {MAX_TEXT} characters")
        elif isinstance(v, dict):
            if any(len(k) > MAX_TEXT for k in v):
                raise ClientError(f"callback request holds a text longer than {MAX_TEXT} characters")
            stack.extend((x, depth + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, depth + 1) for x in v)


def split_output(output: str) -> list[tuple[object, str]]:
    """(id, property) of each output named in a callback_map key ("a.b", "..a.b...c.d..", "a.b@hash")."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    pairs = []
    for part in parts:
        if part.startswith("{"):
            end = part.rindex("}") + 1
            pairs.append((json.loads(part[:end]), part[end + 1:]))
        else:
            cid, _, prop = part.rpartition(".")
            pairs.append((cid, prop))
    return [(cid, prop.split("@", 1)[0]) for cid, prop in pairs]


def _is_wildcard(cid) -> bool:
    return isinstance(cid, dict) and any(isinstance(v, list) for v in cid.values())


def _check_entry(entry, cid, prop: str, where: str, with_value: bool) -> None:
    if not isinstance(entry, dict):
        raise ClientError(f"{where} must be an object with id and property")
    if entry.get("id") != cid or not isinstance(entry.get("property"), str) \
            or entry["property"].split("@", 1)[0] != prop:
        raise ClientError(f"{where} does not match the callback: expected {json.dumps(cid)}.{prop}")
    if with_value:
        rule = PROPERTY_TYPES.get(prop)
        if rule is not None and not rule(entry.get("value")):
            raise ClientError(f"{where}: {json.dumps(cid)}.{prop} has a value of the wrong type")


def _check_entries(given, spec: list[tuple[object, str]], where: str, with_value: bool) -> None:
    if not isinstance(given, list) or len(given) != len(spec):
        raise ClientError(f"{where} must be a list of {len(spec)} entries")
    for i, (entry, (cid, prop)) in enumerate(zip(given, spec)):
        if _is_wildcard(cid):  # a pattern-matching input: a list of entries, each with a concrete id
            items = entry if isinstance(entry, list) else [entry]
            if not all(isinstance(x, dict) and isinstance(x.get("id"), dict) and x.get("property") == prop
                       and set(x["id"]) == set(cid) for x in items):
                raise ClientError(f"{where}[{i}] does not match the callback's pattern")
            continue
        _check_entry(entry, cid, prop, f"{where}[{i}]", with_value)


_shapes: dict[str, tuple] = {}


def _dependency_id(cid):
    """A registered input's or state's id: Dash keeps a pattern-matching one as its JSON text."""
    return json.loads(cid) if isinstance(cid, str) and cid.startswith("{") else cid


def _shape(output: str, cb: dict) -> tuple[list, list, list, frozenset]:
    """A registered callback's outputs, inputs and state as (id, property) pairs and its inputs'
    names, worked out once per callback (the registered callbacks do not change after start-up)."""
    shape = _shapes.get(output)
    if shape is None or shape[4] is not cb:
        inputs = [(_dependency_id(i["id"]), i["property"]) for i in cb["inputs"]]
        names = frozenset(f"{cid if isinstance(cid, str) else json.dumps(cid, separators=(',', ':'))}.{prop}"
                          for cid, prop in inputs)
        state = [(_dependency_id(s["id"]), s["property"]) for s in cb["state"]]
        shape = _shapes[output] = (split_output(output), inputs, state, names, cb)
    return shape[:4]


def check_callback(body, callback_map: dict) -> None:
    """Raise ClientError unless ``body`` is a well-formed request for a registered server callback."""
    if not isinstance(body, dict):
        raise ClientError("callback request must be a JSON object")
    check_size(body)
    output = body.get("output")
    if not isinstance(output, str):
        raise ClientError("callback request has no output")
    cb = callback_map.get(output)
    if cb is None or "callback" not in cb:
        raise ClientError("no server callback has this output")
    spec, inputs, state, names = _shape(output, cb)
    outputs = body.get("outputs")
    if len(spec) == 1 and not output.startswith(".."):
        _check_entries([outputs], spec, "outputs", with_value=False)
    else:
        _check_entries(outputs, spec, "outputs", with_value=False)
    _check_entries(body.get("inputs"), inputs, "inputs", with_value=True)
    _check_entries(body.get("state", []), state, "state", with_value=True)
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise ClientError("changedPropIds must be a list of strings")
    if not all(c in names or c.startswith("{") for c in changed):
        raise ClientError("changedPropIds names a property that is not an input of the callback")


def _client_error_in_dash(exc: BaseException) -> bool:
    """Whether ``exc`` was raised by Dash unpacking the request, before any code of the atlas ran."""
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename  # "<frozen posixpath>", "<string>": not a file of the atlas
        path = Path(name).resolve() if Path(name).is_absolute() else None
        if path and PROJECT_ROOT in path.parents and "site-packages" not in path.parts:
            return False
    return isinstance(exc, (KeyError, IndexError, TypeError, ValueError, AttributeError, UnsupportedRelativePath))


# --- responses ---------------------------------------------------------------------------

def request_id() -> str:
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex[:16]
    return g.request_id


def _wants_json() -> bool:
    return request.path == CALLBACK_PATH or request.path.startswith("/api/") or request.path.startswith("/data/") \
        or request.accept_mimetypes.best == "application/json"


def error_response(status: int, message: str) -> Response:
    """A short answer: one-line JSON for the API and callbacks, a small page otherwise."""
    rid = request_id()
    if _wants_json():
        body = json.dumps({"error": message, "ok": False, "request_id": rid}, ensure_ascii=False)
        return Response(body, status=status, mimetype="application/json")
    page = (f"<!DOCTYPE html><html lang=en><meta charset=utf-8><title>{status}</title>"
            f"<h1>{escape(message)}</h1><p>Request id: <code>{rid}</code>. <a href=\"/\">Go to the map</a></p>")
    return Response(page, status=status, mimetype="text/html")


def script_hashes(html_text: str) -> list[str]:
    """The CSP hash of each inline script in ``html_text`` that a browser would run."""
    hashes = []
    for m in INLINE_SCRIPT.finditer(HTML_COMMENT.sub("", html_text)):
        attrs = m["attrs"]
        kind = re.search(r'\btype\s*=\s*"([^"]*)"', attrs)
        if re.search(r"\bsrc\s*=", attrs) or (kind and kind[1].lower() not in SCRIPT_TYPES):
            continue
        digest = base64.b64encode(hashlib.sha256(m["body"].encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return sorted(set(hashes))


def content_security_policy(settings: config.Settings, hashes: list[str] = (), embed: bool = False) -> str:
    """The page's CSP; ``embed``: the page is an embed, which the sites of ``ATLAS_FRAME_ANCESTORS``
    may frame (every other page refuses framing)."""
    img = ["'self'", "data:", "blob:"]
    if settings.tile_url:
        origin = re.match(r"https?://[^/{}]+", settings.tile_url)
        if origin:
            img.append(origin[0])
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *hashes],
        # plotly.js and Leaflet add <style> elements and style attributes at run time
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": img,
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": settings.frame_ancestors.split() if embed else ["'none'"],
    }
    return "; ".join(f"{k} {' '.join(v)}" for k, v in directives.items())


def is_embed_page(response: Response) -> bool:
    """Whether the response is an embed: a page of ``urls.EMBEDDABLE`` asked for with ``embed=1``."""
    return (has_request_context() and response.mimetype == "text/html" and urls.embeddable(request.path)
            and urls.is_embed(request.args))


def security_headers(response: Response, settings: config.Settings) -> Response:
    hashes = []
    if response.mimetype == "text/html" and not response.direct_passthrough \
            and "Content-Encoding" not in response.headers:
        hashes = script_hashes(response.get_data(as_text=True))
    headers = response.headers
    embed = is_embed_page(response)
    headers["Content-Security-Policy"] = content_security_policy(settings, hashes, embed)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = REFERRER_POLICY
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if not embed or settings.frame_ancestors == "'none'":
        headers["X-Frame-Options"] = "DENY"
    if settings.hsts_seconds > 0:
        headers["Strict-Transport-Security"] = f"max-age={settings.hsts_seconds}"
    headers["X-Request-Id"] = request_id()
    return response


# --- the pages' meta tags and config ----------------------------------------------------

def page_meta_tags(dash_app: Dash, public_url: str) -> list[dict]:
    """Dash Pages' link-preview tags, with addresses from ``public_url`` (or relative) instead
    of the request's Host header."""
    query = request.query_string.decode("latin-1")
    url = public_url + request.path + (f"?{query}" if query else "")
    return _page_meta_tags(dash_app, SimpleNamespace(path=request.path, url=url, root=public_url + "/"))


def _hide_versions(dash_app: Dash) -> None:
    config_of = dash_app._config

    def _config():
        return {k: v for k, v in config_of().items() if k not in HIDDEN_CONFIG}

    dash_app._config = _config


def _own_meta_tags(dash_app: Dash, public_url: str) -> None:
    generate = dash_app._generate_meta
    dash_app.config.include_pages_meta = False

    def _generate_meta():
        return page_meta_tags(dash_app, public_url) + generate()

    dash_app._generate_meta = _generate_meta


# --- page layouts ------------------------------------------------------------------------

def path_first(dash_app: Dash, layout):
    """``layout`` called as Dash Pages calls it, except that the address's path variables win over
    query parameters of the same name (``/city/bologna-ita?city_id=madrid-esp`` is Bologna) and a
    repeated query parameter arrives comma-joined, as the atlas's multi-values are, not as a list."""

    @functools.wraps(layout)
    def layout_from_the_path(**kwargs):
        kwargs = {k: ",".join(str(x) for x in v) if isinstance(v, list) else v for k, v in kwargs.items()}
        if has_request_context() and request.path == CALLBACK_PATH:
            pathname = (callback_context.inputs or {}).get("_pages_location.pathname")
            if isinstance(pathname, str) and pathname.startswith("/"):
                kwargs.update(_path_to_page(dash_app.strip_relative_path(pathname))[1] or {})
        return layout(**kwargs)

    return layout_from_the_path


def _pages_take_the_path(dash_app: Dash) -> None:
    for page in dash.page_registry.values():
        if callable(page.get("layout")) and not hasattr(page["layout"], "__wrapped__"):
            page["layout"] = path_first(dash_app, page["layout"])


# --- installation ------------------------------------------------------------------------

def init_app(server: Flask, dash_app: Dash, settings: config.Settings | None = None) -> None:
    settings = settings or config.load()
    # first, so that the clock covers every other check
    deadline.install(server, settings.request_timeout, _out_of_time)
    server.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    server.debug = False
    _hide_versions(dash_app)
    if dash_app.use_pages:
        _own_meta_tags(dash_app, settings.public_url)
        _pages_take_the_path(dash_app)

    @server.before_request
    def bounded():
        request_id()
        if (request.content_length or 0) > settings.max_body_bytes:
            return error_response(413, f"request body over {settings.max_body_bytes} bytes")
        if len(request.path.encode("utf-8", "replace")) + len(request.query_string) > MAX_URL_BYTES:
            return error_response(414, f"address over {MAX_URL_BYTES} bytes")
        if request.path == CALLBACK_PATH and request.method == "POST":
            try:
                body = json.loads(request.get_data(cache=True) or b"null")
            except (ValueError, RecursionError):
                return _client_error(ClientError("callback request is not JSON"))
            try:
                check_callback(body, dash_app.callback_map)
            except ClientError as exc:
                return _client_error(exc)
        return None

    @server.after_request
    def headers(response: Response) -> Response:
        return security_headers(response, settings)

    @server.errorhandler(DependencyException)
    def unknown_bundle(_exc):
        return error_response(404, "no such file")

    @server.errorhandler(Exception)
    def unhandled(exc: Exception):
        if isinstance(exc, HTTPException):
            if exc.code and exc.code >= 500:
                log.error("%s %s: %s [request %s]", request.method, request.path, exc.code, request_id())
            return error_response(exc.code or 500, exc.description or exc.name) \
                if _wants_json() or exc.code == 413 else exc
        if request.path == CALLBACK_PATH and _client_error_in_dash(exc):
            return _client_error(ClientError(f"callback request does not fit the callback "
                                             f"({type(exc).__name__})"))
        log.error("unhandled error on %s %s [request %s]\n%s", request.method, request.path, request_id(),
                  "".join(traceback.format_exception(exc)).rstrip())
        return error_response(500, "Something went wrong on the server. If it keeps happening, report it "
                                   "with this request id.")


def _out_of_time() -> Response:
    log.error("%s %s: stopped after its time limit [request %s]", request.method, request.path, request_id())
    response = error_response(503, "The server took too long to answer this request. Try again in a moment; "
                                   "if it keeps happening, report it with this request id.")
    response.headers["Retry-After"] = "5"
    return response


def _client_error(exc: ClientError) -> Response:
    log.warning("400 %s %s: %s [request %s]", request.method, request.path, exc, request_id())
    return error_response(400, str(exc))

