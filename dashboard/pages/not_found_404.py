"""Page shown for unknown addresses (Dash Pages answers them with status 404)."""
import dash
from dash import html

from dashboard import urls, vocabulary
from dashboard.i18n import _

dash.register_page(__name__, path="/404", title=lambda: vocabulary.page_title("not-found"))


def layout(**_query):
    return html.Article([
        html.H1(_("Page not found")),
        html.P(_("There is no page at this address.")),
        html.P([html.A(_("Go to the map"), href=urls.MAP_PATH), " · ", html.A(_("About the data"), href=urls.ABOUT_PATH)]),
    ], className="prose")
