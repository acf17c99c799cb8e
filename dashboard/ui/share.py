""""Copy link" and "Cite this": the share tools at the top of the map, table, compare and city pages.

The citation names the atlas, the view, its address, the access date, the data's source and the
data version. The address is the page's own when drawn; assets/atlas_map.js puts the address of
the view as it is now (filters and view change it on the map) into it when the visitor opens it
or copies it. Everything is text, never HTML.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone

from dash import html
from flask import g, has_request_context, request

from html import escape

from dashboard import data, ids, urls, vocabulary
from dashboard.i18n import _


def absolute(path: str) -> str:
    """The address of a path on this site, as the visitor reached it (only the path while a page's
    HTML is written, ``relative_addresses``)."""
    if not has_request_context() or g.get("relative_addresses"):
        return path
    return request.host_url.rstrip("/") + path


@contextmanager
def relative_addresses():
    """Within it, ``absolute`` gives paths: a page's HTML (its first view, app.py) never holds the
    request's Host header, which a shared cache would keep and serve to everyone."""
    before = g.get("relative_addresses", False)
    g.relative_addresses = True
    try:
        yield
    finally:
        g.relative_addresses = before


def citation_parts(title: str, path: str, today: str | None = None) -> dict:
    """The pieces of the citation (tested as data): the atlas, the view's title, its address, the
    access date (ISO, UTC), the source and the data version."""
    return {"atlas": vocabulary.APP_NAME, "title": title, "url": absolute(path),
            "date": today or datetime.now(timezone.utc).date().isoformat(),
            "source": vocabulary.survey_source(), "version": data.version()[:12]}


EMBED_HEIGHT = {"map": 560, "city": 720, "compare": 640}  # a frame's height (pixels) by the view embedded


def embed_code(title: str, path: str, height: int) -> str:
    """The ``<iframe>`` code of the view at ``path`` (its address with its query string): its embed
    form, with a title naming the view and a height that fits it."""
    page, _sep, query_string = path.partition("?")
    src = absolute(urls.embed_url(page, query_string))
    label = _("{atlas}: {title}", atlas=vocabulary.page_title("map"), title=title)

    def attribute(text: str) -> str:  # an attribute's value in double quotes (apostrophes kept as written)
        return escape(text, quote=False).replace('"', "&quot;")

    return (f'<iframe src="{attribute(src)}" title="{attribute(label)}" width="100%" '
            f'height="{int(height)}" style="border:0" loading="lazy"></iframe>')


def share_tools(title: str, path: str, embed: str | None = None) -> html.Div:
    """The tools for one view: ``title`` names it in the citation, ``path`` is its address; ``embed``
    (a key of ``EMBED_HEIGHT``) offers its embed code too."""
    c = citation_parts(title, path)
    before, after = _("{atlas}. “{title}”. ", atlas=c["atlas"], title=c["title"]), \
        _(" (accessed {date}). Data: {source}; data version {version}.", date=c["date"], source=c["source"],
          version=c["version"])
    return html.Div([
        html.Button(_("Copy link"), id=ids.COPY_LINK, className="button-link", type="button",
                    **{"data-copy": "link", "data-copied": _("Link copied"), "data-failed": _("Copy failed: copy the address bar")}),
        html.Details([
            html.Summary(_("Cite this"), className="button-link"),
            html.Div([
                html.P([before, html.Span(c["url"], className="cite-url"), after], id=ids.CITATION, className="citation"),
                html.Button(_("Copy citation"), className="button-link", type="button",
                            **{"data-copy": "citation", "data-copied": _("Citation copied"),
                               "data-failed": _("Copy failed: select the text")}),
            ], className="cite-body"),
        ], className="cite"),
        *([embed_tool(title, path, EMBED_HEIGHT[embed])] if embed else []),
        html.Span(className="copy-status", role="status"),
    ], className="share-tools")


def embed_tool(title: str, path: str, height: int, code_id: str = ids.EMBED_CODE, summary: str | None = None,
               fixed: bool = False) -> html.Details:
    """"Embed": the code that shows this view in a frame on another site (assets/atlas_map.js writes the
    view's address as it is now into it when it opens, unless ``fixed``: the address of one part of a
    page, e.g. a chart, which the page's filters do not change)."""
    return html.Details([
        html.Summary(summary or _("Embed"), className="button-link"),
        html.Div([
            html.Label(_("Paste this code into a web page to show this view:"), htmlFor=code_id),
            html.Textarea(embed_code(title, path, height), id=code_id, readOnly=True,
                          className="embed-code", **{"data-height": str(height)},
                          **({"data-fixed": "true"} if fixed else {})),
            html.Button(_("Copy embed code"), className="button-link", type="button",
                        **{"data-copy": "embed", "data-copied": _("Embed code copied"),
                           "data-failed": _("Copy failed: select the text")}),
        ], className="cite-body embed-body"),
    ], className="cite embed-tool")


def chart_embed(key: str, title: str, height: int) -> html.Div:
    """"Embed this chart": the code that shows one chart of the findings page (``chart=key``) in a
    frame, ``height`` pixels high."""
    return html.Div([
        embed_tool(title, urls.findings_url(chart=key), height, ids.chart_embed_code_id(key),
                   _("Embed this chart"), fixed=True),
        html.Span(className="copy-status", role="status"),
    ], className="share-tools chart-share")
