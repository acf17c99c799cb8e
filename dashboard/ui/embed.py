"""Embeds (``?embed=1``): a page for a frame on another site, without the site's header, footer and
navigation, keeping the attribution, what the view shows in words and a link to the same view in
the full atlas. Everything is text, never HTML."""
from __future__ import annotations

from dash import html

from dashboard import ids, urls, vocabulary
from dashboard.i18n import _


def embed_frame(content, path: str, query, what: str, kind: str = "") -> html.Div:
    """``content`` as an embed: ``path`` and ``query`` (the page's parameters) are the view, ``what``
    says in words what it shows (the selection, the city…); ``kind`` a class for the page's layout."""
    full = urls.full_url(path, urls.parameters(query))
    return html.Div([
        html.Div([
            html.Span(vocabulary.page_title("map"), className="embed-brand"),
            html.Span(what, className="embed-selection"),
            html.A(_("View in the full atlas"), href=full, target="_blank", rel="noopener", className="embed-full"),
        ], id=ids.EMBED_BAR, className="embed-bar"),
        content,
        html.P(vocabulary.credits(), className="embed-credit"),
    ], className=f"embed bare {kind}".strip())


def selection_words(filters) -> str:
    """The selection as the embed names it: its filters, or all cities."""
    return vocabulary.filters_in_words(filters) or _("All cities")
