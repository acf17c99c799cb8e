""""Copy link" and "Cite this": the share tools at the top of the map, table, compare and city pages.

The citation names the atlas, the view, its address, the access date, the data's source and the
data version. The address is the page's own when drawn; assets/atlas_map.js puts the address of
the view as it is now (filters and view change it on the map) into it when the visitor opens it
or copies it. Everything is text, never HTML.
"""
from __future__ import annotations

from datetime import datetime, timezone

from dash import html
from flask import has_request_context, request

from dashboard import data, ids, vocabulary
from dashboard.i18n import _


def absolute(path: str) -> str:
    """The address of a path on this site, as the visitor reached it."""
    return request.host_url.rstrip("/") + path if has_request_context() else path


def citation_parts(title: str, path: str, today: str | None = None) -> dict:
    """The pieces of the citation (tested as data): the atlas, the view's title, its address, the
    access date (ISO, UTC), the source and the data version."""
    return {"atlas": vocabulary.APP_NAME, "title": title, "url": absolute(path),
            "date": today or datetime.now(timezone.utc).date().isoformat(),
            "source": vocabulary.survey_source(), "version": data.version()[:12]}


def share_tools(title: str, path: str) -> html.Div:
    """The two tools for one view: ``title`` names it in the citation, ``path`` is its address."""
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
        html.Span(className="copy-status", role="status"),
    ], className="share-tools")
