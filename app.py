"""City Innovation Atlas: the Dash application.

``python app.py`` serves it on 127.0.0.1:8050 (HOST / PORT override);
``gunicorn -c gunicorn.conf.py app:server`` serves it in production (see Procfile).
Importing this module builds and opens nothing: ``app`` and ``server`` are made by
``create_app()`` on first use (gunicorn's workers ask for ``server``).
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import threading
from functools import lru_cache, partial
from html import escape, unescape as html_unescape
from pathlib import Path

import dash
from dash import Dash, dcc, html
from dash._pages import _parse_query_string
from urllib.parse import urlsplit

from flask import Flask, has_request_context, request

from dashboard import config, data, facets, ids, urls, vocabulary
from dashboard.web import bundles, guard
from dashboard.web.api import bp as api_blueprint
from dashboard.web.self_assessment import bp as self_assessment_blueprint
from dashboard.data.cache import add_cache_header, backend, cache, cache_config
from dashboard import i18n
from dashboard.i18n import _
from dashboard.views import chart_style, city_view
from dashboard.web.precompress import Precompressed
from dashboard.web.responses import cacheable
from dashboard.store import StartupError, health, open_store, prepare
from dashboard.web import faults
from dashboard.ui.share import relative_addresses
from dashboard.ui.static_html import compact
from layers.cities import point_table
from layers.firstmap import border_svg

ROOT = Path(__file__).resolve().parent
log = logging.getLogger(__name__)
# files whose address names one version (Dash's bundles carry it in their names, assets/ files
# in ?m=<modification time>, the chunks' folders under /bundles/ a hash, the map's data files and
# plotly.js ?v=): kept by browsers for a year, never revalidated
FINGERPRINTED_MAX_AGE = 365 * 24 * 3600
# the same files at an address without their current version: kept briefly, then revalidated (ETag)
REVALIDATED_MAX_AGE = 300
# Component libraries no page loads with itself, each with the start of its script URLs under
# /_dash-component-suites/. Every other imported library loads on every page, as Dash does by default.
# No page renders a DataTable (dash_table, which Dash always loads) or a dash-extensions component (the
# map imports only its Python helper for naming JavaScript functions), so those load nowhere. A page
# registers ``on_use={library: (chunk, ...)}`` for the others: the library loads when the visitor uses
# the place that needs it (assets/atlas_on_use.js): Leaflet (dash-leaflet, about 80 KB compressed and
# 0.6 s of start-up on a phone) on the pages with a map, the table's grid (about 2 MB of script and
# 2.5 s of start-up on a phone) when the visitor uses the table.
ON_DEMAND_LIBRARIES = {"dash_ag_grid": "dash_ag_grid/", "dash_table": "dash/dash_table/",
                       "dash_extensions": "dash_extensions/", "dash_leaflet": "dash_leaflet/"}
# Dash's @babel/polyfill bundle (core-js 2 and the regenerator runtime: 30 KB compressed, about 0.2 s
# of script start-up on a desktop, 0.8 s on a phone): the browsers the atlas supports (README,
# "The interface") have everything core-js adds, and the one global Dash's bundles use,
# ``regeneratorRuntime``, comes from assets/vendor/regenerator-runtime.js (npm's, pinned in package.json)
LEFT_OUT_SCRIPTS = ("_dash-component-suites/dash/deps/polyfill@",)
HTML_TAG = re.compile(r"<html\b")
SCRIPT_TAG = re.compile(r'<script\b[^>]*\bsrc="(?P<src>[^"]*)"[^>]*></script>\n?')
# responses that are the same bytes for every visitor (Dash's bundles, assets/, the map's data
# files): compressed once in the background, see dashboard/precompress.py
STATIC_PREFIXES = ("/_dash-component-suites/", bundles.PREFIX, "/assets/", "/data/", "/vendor/")
LICENCE_URL = "/LICENSE"  # the repository's LICENSE file as text; the about page links to it
COMPRESS_MIMETYPES = ["text/html", "text/css", "text/plain", "text/csv", "text/javascript", "application/javascript",
                      "application/json", "application/geo+json", "image/svg+xml"]


def shell() -> html.Div:
    """The page frame around every page (a function: strings follow the request's language). In an
    embed the cities being compared are kept in memory only: a frame on another site may be refused
    the browser's storage (third-party storage blocked), which Dash reports as an error."""
    return html.Div([
        dcc.Location(id=ids.URL, refresh="callback-nav"),
        dcc.Store(id=ids.COMPARE_SET, storage_type="memory" if drawing_embed() else "local"),
        *skip_links(),
        site_header(),
        html.Main(page_container(), id="main"),
        html.Footer([
            html.Span(vocabulary.credits()),
            " ",
            html.A(_("Sources and licences"), href=urls.about_url("sources")),
        ], className="site-footer"),
    ], className="shell")


# Dash Pages' ids (dash.page_container's): its router fills the content once the location is known
PAGES_LOCATION, PAGES_CONTENT, PAGES_STORE, PAGES_DUMMY = "_pages_location", "_pages_content", "_pages_store", "_pages_dummy"


def page_container() -> html.Div:
    """Dash Pages' container. For a page registered with ``in_frame=True``, Dash's request for the
    frame (``/_dash-layout``, whose referrer is the page's address) gets the page's layout inside
    it, with the location already set: Dash draws the page in its first render, and its router
    makes no second request (which drew the page a second time, after an empty frame). Without a
    referrer, or for other pages, the router fills it as Dash does."""
    page = drawn_page()
    if page is None:
        return dash.page_container
    entry, path, search, variables = page
    query = {k: v for k, v in _parse_query_string(search).items() if k not in variables}
    title = entry["title"](**variables) if callable(entry["title"]) else entry["title"]
    return html.Div([
        # pathname and search as the browser has them: the location sets neither on start (which would
        # call the router); it sets hash and href, which nothing listens to
        dcc.Location(id=PAGES_LOCATION, refresh="callback-nav", pathname=path, search=search),
        html.Div(entry["layout"](**query, **variables), id=PAGES_CONTENT, disable_n_clicks=True),
        dcc.Store(id=PAGES_STORE, data={"title": title}),
        html.Div(id=PAGES_DUMMY, disable_n_clicks=True),
    ])


def drawn_page() -> tuple[dict, str, str, dict] | None:
    """The ``in_frame`` page whose frame Dash is asking for, with its path, query string (``?...``
    or "") and path variables; None for any other request."""
    if not (has_request_context() and request.path.endswith("/_dash-layout") and request.referrer):
        return None
    address = urlsplit(request.referrer)
    if address.netloc != request.host:
        return None
    page = page_for(address.path)
    if page is None or not page.get("in_frame") or "/" + address.path.strip("/") != address.path:
        return None
    variables = _template_match(page["path_template"], address.path) if page.get("path_template") else {}
    return page, address.path, f"?{address.query}" if address.query else "", variables or {}


def site_header() -> html.Header:
    """The atlas's name, the main navigation, the language and the theme (also written into the
    first paint, the same elements: nothing moves when Dash draws it)."""
    return html.Header([
        html.A(_("City Innovation Atlas"), href=urls.map_url(), className="brand"),
        html.Nav([html.A(text, href=href) for href, text in nav_links()], id=ids.NAV, className="site-nav",
                 **{"aria-label": _("Main")}),
        html.Div([language_switch(), theme_toggle()], className="header-tools"),  # one row, kept together
    ], className="site-header")


def skip_links() -> list[html.A]:
    """The first stops of the Tab order: past the header to the page, and on the map page to the
    city search, which comes after the filters in reading order (assets/atlas.css shows that one
    only on the map page; assets/atlas_a11y.js moves the focus)."""
    return [html.A(_("Skip to content"), href="#main", className="skip-link"),
            html.A(_("Skip to the city search"), href="#" + ids.CITY_SEARCH, className="skip-link skip-search")]


# Light or dark, decided before the first paint (no flash of the other theme): the address's
# theme= (an embed may ask for one), else the visitor's choice kept by the toggle (localStorage),
# else the system's prefers-color-scheme. The CSP allows it by its hash (web/guard.py hashes
# every inline script of a page). assets/atlas_a11y.js owns the toggle.
THEMES = ("light", "dark")
THEME_KEY = "atlas-theme"
THEME_SCRIPT = (
    f"(function(){{var t,d=document.documentElement,ok=function(v){{return {json.dumps(THEMES)}.indexOf(v)>=0}};"
    "try{t=new URLSearchParams(location.search).get('theme');"
    f"if(!ok(t)){{t=localStorage.getItem('{THEME_KEY}')}}}}catch(e){{}}"
    "if(!ok(t)){t=window.matchMedia&&matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light'}"
    "d.setAttribute('data-theme',t)})();")


def theme_toggle() -> html.Button:
    """The dark theme, on or off (a toggle button; its state is set by assets/atlas_a11y.js)."""
    return html.Button(html.Span(_("Dark theme"), className="theme-toggle-text"), id=ids.THEME_TOGGLE,
                       className="theme-toggle", type="button", title=_("Dark theme"), **{"aria-pressed": "false"})


def drawing_embed() -> bool:
    """Whether the page being drawn is an embed (``urls.is_embed``). Dash asks for the page frame in a
    request of its own (``/_dash-layout``), whose referrer is the page's address (the site's
    Referrer-Policy sends it within the site)."""
    if not has_request_context():
        return False
    if request.path.endswith("/_dash-layout"):
        page = urlsplit(request.referrer or "")
        return page.netloc == request.host and urls.embeddable(page.path) and urls.is_embed(page.query)
    return urls.embeddable(request.path) and urls.is_embed(request.args)


def first_paint(first_view: str = "", bare: bool = False) -> str:
    """What a visitor sees before Dash's renderer starts (in place of Dash's "Loading..."): the
    atlas's own header, a quiet loading line and the page's ``first_view`` (HTML the page writes
    from its address, e.g. the map's count, active filters and first markers), styled by
    assets/atlas.css (loaded in the head). The boxes are the page frame's (``shell``: the header with
    its language links and a stand-in for the theme toggle, ``main`` and the page's content in two
    divisions, as Dash Pages nests it), so a page that draws its own layout there keeps every box
    where Dash then renders it. Plain HTML from the atlas's own words, escaped. ``bare``: a page
    without the header (an embed, the presentation)."""
    links = "".join(f'<a href="{escape(href, quote=True)}">{escape(text)}</a>' for href, text in nav_links())
    loading = _("Loading the atlas…")  # (not inside the f-string: the catalogue's extractor would miss it)
    header = "" if bare else (
        f'<header class="site-header"><a class="brand" href="{escape(urls.map_url(), quote=True)}">'
        f'{escape(_("City Innovation Atlas"))}</a><nav class="site-nav">{links}</nav>'
        f'<div class="header-tools">{first_language_switch()}'
        '<span class="theme-toggle" aria-hidden="true"></span></div></header>')
    footer = "" if bare else (
        f'<footer class="site-footer"><span>{escape(vocabulary.credits())}</span> <a href="'
        f'{escape(urls.about_url("sources"), quote=True)}">{escape(_("Sources and licences"))}</a></footer>')
    return ('<div id="react-entry-point"><div class="_dash-loading atlas-loading shell">' + header +
            f'<main><p class="loading-line" role="status"><span class="loading-dot"></span>{escape(loading)}'
            f'</p><div><div class="first-content">{first_view}</div></div></main>{footer}</div></div>')


def first_language_switch() -> str:
    """``language_switch`` as HTML, for the first paint."""
    current, links = i18n.current_lang(), []
    for lang in i18n.available():
        current_mark = ' aria-current="true"' if lang == current else ""
        links.append(f'<a class="lang-link" href="{escape(urls.lang_url("", "", lang), quote=True)}" lang="{lang}" '
                     f'hreflang="{lang}"{current_mark}>{escape(LANGUAGE_NAMES.get(lang, lang))}</a>')
    return f'<nav class="lang-switch" aria-label="{escape(_("Language"), quote=True)}">' + \
        '<span aria-hidden="true"> | </span>'.join(links) + "</nav>"


def nav_links() -> list[tuple[str, str]]:
    """The site's main navigation: (address, words)."""
    return [(urls.map_url(), _("Map")), (urls.table_url(), _("Table")), (urls.compare_url(), _("Compare")),
            (urls.findings_url(), _("Findings")), (urls.about_url(), _("About the data")),
            (urls.self_assessment_url(), _("Assess your city")), (urls.present_url(), _("Present"))]


# Dash's page, but its scripts are not wrapped in a <footer> (a second, empty contentinfo landmark
# beside the site's own footer)
INDEX_STRING = """<!DOCTYPE html>
<html>
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""


# each language's name in itself (never translated)
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


def language_switch() -> html.Nav:
    """"English | Français": each link opens the page being shown in that language (the browser
    puts the page's own address in the link when it is followed, assets/lang.js; without
    script the link opens the same page without its other parameters)."""
    current = i18n.current_lang()
    links = []
    for lang in i18n.available():
        if links:
            links.append(html.Span(" | ", **{"aria-hidden": "true"}))
        name = LANGUAGE_NAMES.get(lang, lang)
        extra = {"aria-current": "true"} if lang == current else {}
        links.append(html.A(name, href=urls.lang_url("", "", lang), lang=lang, hrefLang=lang,
                            className="lang-link", **{"data-lang": lang}, **extra))
    return html.Nav(links, id=ids.LANG_SWITCH, className="lang-switch", **{"aria-label": _("Language")})


# each page's summary for search engines and link previews (``vocabulary.page_description``), by path
DESCRIBED = {urls.MAP_PATH: "map", urls.TABLE_PATH: "table", urls.COMPARE_PATH: "compare",
             urls.FINDINGS_PATH: "findings", urls.ABOUT_PATH: "about", urls.SELF_ASSESSMENT_PATH: "self-assessment"}
# the link preview's picture (Open Graph, Twitter): the atlas's own map of every city, drawn by
# scripts/make_preview.py from the app itself
PREVIEW_IMAGE = "preview.png"


def describe_pages() -> None:
    """Give every page its description and the preview picture (Dash Pages writes the meta tags)."""
    for page in dash.page_registry.values():
        if page.get("path_template"):
            page["description"] = city_view.page_description
        elif page["path"] in DESCRIBED:
            page["description"] = partial(vocabulary.page_description, DESCRIBED[page["path"]])
        page["image"] = PREVIEW_IMAGE


def compact_pages() -> None:
    """Every page's layout with its static parts sent as one element each (``static_html.compact``)."""
    for page in dash.page_registry.values():
        layout = page["layout"]
        page["layout"] = compacting(layout) if callable(layout) else compact(layout)


def compacting(layout):
    def compacted(**query):
        return compact(layout(**query))
    return compacted


def page_for(path: str) -> dict | None:
    """The registered page (fixed path or path template) that answers ``path``, else None.

    A template page may register ``exists=`` (a function of the path
    variables) to say which values it knows, e.g. the city page for city ids.
    """
    path = "/" + path.strip("/")
    for page in dash.page_registry.values():
        if page.get("path_template"):
            variables = _template_match(page["path_template"], path)
            if variables is not None and page.get("exists", lambda **kw: True)(**variables):
                return page
        elif page["path"] == path and page["path"] != "/404":
            return page
    return None


def page_exists(path: str) -> bool:
    """Whether a registered page answers ``path`` (unknown paths get the 404 page)."""
    return page_for(path) is not None


def _template_match(template: str, path: str) -> dict[str, str] | None:
    """The path variables when ``path`` fits ``template`` ("/city/<city_id>"), else None."""
    t_parts, p_parts = template.strip("/").split("/"), path.strip("/").split("/")
    if len(t_parts) != len(p_parts) or not all(t.startswith("<") or t == p for t, p in zip(t_parts, p_parts)):
        return None
    return {t[1:-1]: p for t, p in zip(t_parts, p_parts) if t.startswith("<")}


def client_config(on_use: dict | None = None) -> str:
    """The ids, URL rules and facet specification the browser's code uses (assets/atlas_map.js), and
    what each page registers as ``client=`` (a function giving its own data, e.g. the map's words),
    by the page's path: every page carries them all, since a visitor may go from any page to the map
    without a reload; and the libraries some page loads on use that this page leaves out (``on_use``:
    each one's script and chunk addresses, for assets/atlas_on_use.js). A JSON script element: data, not code (``<``
    escaped so no text can close it)."""
    pages = {p["path"]: p["client"]() for p in dash.page_registry.values() if "client" in p}
    body = json.dumps({"ids": ids.CLIENT, "urls": urls.client(), "facets": facets.client(), "pages": pages,
                       "themeKey": THEME_KEY, "onUse": on_use or {}},
                      separators=(",", ":")).replace("<", "\\u003c")
    return f'<script id="{ids.CLIENT_CONFIG}" type="application/json">{body}</script>'


def preload_link(href: str, kind: str) -> str:
    """``<link rel=preload>`` for a script or a fetch() (same-origin credentials, as fetch's default);
    a Dash chunk at its versioned address (``bundles.versioned``), where its bundle will ask for it."""
    href = bundles.versioned(href)
    cors = ' crossorigin="anonymous"' if kind == "fetch" else ""
    return f'<link rel="preload" href="{escape(href, quote=True)}" as="{escape(kind, quote=True)}"{cors}>'


class Atlas(Dash):
    """Dash, leaving the scripts of on-demand libraries out of every page: a page loads them on use.

    Dash writes a script tag for every imported component library into every page;
    the table's grid (dash-ag-grid) alone is about 350 KB compressed. Pages link to
    each other with ``html.A`` (full page loads) and every ``dcc.Link`` stays among
    pages loading the same libraries (tests check), so a document never renders a
    component whose script it left out.
    """

    def interpolate_index(self, **kwargs):
        page = page_for(request.path) or {}
        # a page may register preload=<function giving (url, kind) pairs>: links in the head
        kwargs["css"] += "".join(preload_link(href, kind) for href, kind in page.get("preload", list)())
        # and each page's head_script= (a rule its first view shares with assets/*.js), on every page: a
        # visitor may go from any page to another without a reload
        heads = "".join(f"<script>{entry['head_script']}</script>" for entry in dash.page_registry.values()
                        if "head_script" in entry)
        kwargs["css"] = f"<script>{THEME_SCRIPT}</script>{heads}" + kwargs["css"]
        bare = request.path == urls.PRESENT_PATH or drawing_embed()
        variables = _template_match(page["path_template"], request.path) or {} if page.get("path_template") else {}
        with relative_addresses():
            view = page["first_view"](request.args, **variables) if "first_view" in page else ""
        kwargs["app_entry"] = first_paint(view, bare)
        # the page's own title (else the atlas's name in the interface language until it is set)
        title = page.get("title", vocabulary.page_title("map"))
        kwargs["title"] = escape(title(**variables) if callable(title) else title)
        left_out = LEFT_OUT_SCRIPTS + tuple("_dash-component-suites/" + prefix
                                            for prefix in ON_DEMAND_LIBRARIES.values())
        # a library some page loads on use can be loaded from every page: a dcc.Link may lead to that page
        # (the 404 page's search leads to a city's)
        on_use = {name: chunks for entry in dash.page_registry.values()
                  for name, chunks in entry.get("on_use", {}).items()}
        wanted = {name: {"scripts": [], "chunks": [bundles.versioned(f"{bundles.SUITES}{name}/{chunk}")
                                                   for chunk in chunks]} for name, chunks in sorted(on_use.items())}

        def script(tag) -> str:
            src = html_unescape(tag["src"])
            for name in wanted:  # a library loaded on use: its address goes to the page's client config
                if "_dash-component-suites/" + ON_DEMAND_LIBRARIES[name] in src:
                    wanted[name]["scripts"].append(bundles.versioned(src))
            return "" if any(p in src for p in left_out) else tag[0].replace(tag["src"], bundles.versioned(tag["src"]))

        kwargs["scripts"] = SCRIPT_TAG.sub(script, kwargs["scripts"])
        kwargs["css"] += client_config(wanted)
        # a page registering prefetch_on_use=True has its own on-use libraries fetched at idle priority
        # (into the HTTP cache, not run): their use then waits only for their start-up
        if page.get("prefetch_on_use"):
            kwargs["css"] += "".join(f'<link rel="prefetch" href="{escape(href, quote=True)}" as="script">'
                                     for name in sorted(page.get("on_use", {}))
                                     for href in wanted[name]["scripts"] + wanted[name]["chunks"])
        # the document's language is the interface's (screen readers, hyphenation, spell checkers)
        return HTML_TAG.sub(f'<html lang="{i18n.current_lang()}"', super().interpolate_index(**kwargs), count=1)


def create_app(settings: config.Settings | None = None) -> Dash:
    settings = settings or config.load()
    # the store is prepared once per process, or once by gunicorn's master for all its workers
    # (gunicorn.conf.py): a worker only opens it, and serves through a bad data/ or var/
    prepare(settings)
    store = open_store(settings.db_path)
    state = health(settings, store)
    if state["status"] != "ok":
        log.warning("starting %s: %s", state["status"], state.get("reason"))

    server = Flask(__name__)
    # set before Dash initialises flask-compress, which reads it once
    server.config["COMPRESS_MIMETYPES"] = COMPRESS_MIMETYPES
    app = Atlas(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(ROOT / "dashboard" / "pages"),
        assets_folder=str(ROOT / "assets"),
        title=vocabulary.APP_NAME,
        update_title=None,
        index_string=INDEX_STRING,
        suppress_callback_exceptions=True,
        compress=True,
    )
    app.layout = shell
    describe_pages()
    compact_pages()
    cache.init_app(server, config=cache_config(settings))
    server.register_blueprint(api_blueprint)
    server.register_blueprint(self_assessment_blueprint)
    add_cache_header(server)

    @server.after_request
    def not_found_status(response):
        # Dash Pages renders its 404 page for any unknown path with status 200;
        # give such pages the status a crawler or a link checker expects.
        if request.endpoint == "/<path:path>" and response.status_code == 200 and not page_exists(request.path):
            response.status_code = 404
        return response

    @server.after_request
    def long_lived_assets(response):
        # Dash serves assets/ with no-cache, although each page names them with ?m=<modification time>,
        # and its versioned bundles for a year but revalidated on reload
        # (the chunks Dash's bundles load by a fixed name: see dashboard/web/bundles.py)
        suites = request.path.startswith(bundles.SUITES)
        versioned = (request.path.startswith("/assets/") and request.args.get("m")) or (
            suites and response.cache_control.max_age == FINGERPRINTED_MAX_AGE)
        if versioned and response.status_code in (200, 304):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = FINGERPRINTED_MAX_AGE
            response.cache_control.immutable = True
        elif suites and response.status_code in (200, 304):
            response.cache_control.no_cache = True  # no version in the address: asked again each time
        return response

    @server.after_request
    def frame_follows_the_page(response):
        # the frame Dash asks for holds the page it is asked from (page_container): a cache keys it on
        # the referrer too, and asks again each time
        if request.path.endswith("/_dash-layout"):
            response.vary.add("Referer")
            response.cache_control.no_cache = True
        return response

    @server.after_request
    def keep_language(response):
        # a page asked for with lang= keeps that language for the next pages (cookie); pages
        # differ by the cookie and by Accept-Language, so caches must key on both
        if response.mimetype == "text/html":
            response.vary.update(("Cookie", "Accept-Language"))
            lang = i18n.requested_lang()
            if lang and request.cookies.get(i18n.COOKIE) != lang:
                response.set_cookie(i18n.COOKIE, lang, max_age=i18n.COOKIE_MAX_AGE, samesite="Lax",
                                    secure=request.is_secure, httponly=True)
        return response

    countries = faults.load_or_none(data.borders, "the map's borders (data/countries.geojson)")
    countries_etag = data.borders_version() or ""

    @server.get(urls.COUNTRIES_URL)
    def countries_geojson():
        if countries is None:
            return faults.unavailable("The map's borders are unavailable.")
        return cacheable(countries, "application/geo+json", countries_etag, **lifetime(data.borders_version()))

    @server.get(urls.BORDERS_URL)
    def borders_svg(zoom: int):
        # the map's first view: the borders drawn at one zoom (dashboard/pages/home.py first_map)
        if countries is None:
            return faults.unavailable("The map's borders are unavailable.")
        if not urls.MIN_ZOOM <= zoom <= urls.MAX_ZOOM:
            return "No such zoom.", 404, {"Content-Type": "text/plain; charset=utf-8"}
        return cacheable(lambda: drawn_borders(countries_etag, zoom), "image/svg+xml",
                         f"{countries_etag}-{zoom}", **lifetime(data.borders_version()))

    drawn_borders = lru_cache(maxsize=16)(
        lambda _etag, zoom: border_svg(json.loads(countries)["features"], zoom))

    @server.get(urls.POINTS_URL)
    def city_point_table():
        # every city once; the map page asks for it with ?v=<data version>, so it may be kept long
        version = data.version()
        return cacheable(lambda: point_table_json(version), "application/json", version[:32],
                         **lifetime(version[:16]))

    # the charts' plotly.js (a partial bundle, vendor/plotly/): its URL names its version
    plotly_js = chart_style.PLOTLY_BUNDLE.read_bytes()
    plotly_etag = hashlib.sha256(plotly_js).hexdigest()[:32]

    @server.get(urls.PLOTLY_JS_URL)
    def plotly_bundle():
        return cacheable(plotly_js, "text/javascript", plotly_etag, **lifetime(chart_style.plotly_bundle_version()))

    licence = (ROOT / "LICENSE").read_bytes()
    licence_etag = hashlib.sha256(licence).hexdigest()[:32]

    @server.get(LICENCE_URL)
    def licence_text():
        return cacheable(licence, "text/plain", licence_etag, REVALIDATED_MAX_AGE)

    @server.get("/healthz")
    def healthz():
        # not cached: says what this instance serves (load balancers compare data_version) and, when
        # it is degraded or unavailable (503), why
        body = {**health(settings, store, [] if countries else ["data/countries.geojson is unreadable"]),
                "cache": backend(settings)}
        if body["status"] == "unavailable":
            return body, 503, {"Retry-After": str(faults.RETRY_AFTER)}
        return {**body, "cities": store.summary()["cities"]}

    bundles.init_app(server, app, FINGERPRINTED_MAX_AGE)
    # after Dash set up flask-compress: runs before it, on the uncompressed body
    Precompressed(settings.compressed_dir, STATIC_PREFIXES, frozenset(COMPRESS_MIMETYPES)).init_app(server)
    finish_dash_setup(server)
    faults.register(server, store)  # after Dash's set-up hooks ran: those read no store
    # last: its response hook runs first (security headers on the uncompressed page)
    guard.init_app(server, app, settings)
    return app


def lifetime(version: str | None) -> dict:
    """How long a data file or plotly.js is kept (``cacheable``'s arguments): a year, never
    revalidated, when the request's address names its current version (``?v=``), else briefly
    (an old version or none)."""
    if version and request.args.get("v") == version:
        return {"max_age": FINGERPRINTED_MAX_AGE, "immutable": True}
    return {"max_age": REVALIDATED_MAX_AGE}


@lru_cache(maxsize=2)
def point_table_json(data_version: str) -> str:
    """The body of /data/cities.json, built once per worker and data version (about 40 ms at
    115 cities, seconds at 100,000)."""
    return json.dumps(point_table(data.city_points(), data.facet_index().columns()), separators=(",", ":"))


def finish_dash_setup(server: Flask) -> None:
    """Run Dash's first-request set-up now (collecting the callbacks, adding the pages router).

    Dash does it in ``before_request`` hooks that mark themselves done before they finish: with
    threaded workers (gunicorn gthread, ``python app.py``) a request arriving meanwhile found no
    callback ("Callback function not found for output ...", seen in the load benchmark). The hooks
    then return at once on every request."""
    with server.test_request_context("/"):
        for setup in server.before_request_funcs.get(None, []):
            setup()


_made: dict[str, object] = {}
_making = threading.Lock()


def __getattr__(name: str):
    """``app`` and ``server`` (what ``gunicorn app:server`` serves), made on first use."""
    if name not in ("app", "server"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _making:
        if not _made:
            try:
                made = create_app()
            except AttributeError as exc:  # not "no such attribute" to the caller
                raise RuntimeError(f"create_app() failed: {exc}") from exc
            _made.update(app=made, server=made.server)
    return _made[name]


if __name__ == "__main__":
    s = config.load()
    try:
        create_app(s).run(host=s.host, port=s.port, debug=s.debug)
    except StartupError as exc:
        sys.exit(f"cannot start: {exc}")
