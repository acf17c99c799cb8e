"""Small HTML building blocks shared by several pages (no data access, no callbacks)."""
from dash import html

from dashboard import vocabulary
from dashboard.i18n import _


def external_link(url: str, text, className: str | None = None) -> html.A:
    """A link off the atlas: opens in a new tab, without giving that page a handle on this one."""
    extra = {"className": className} if className else {}
    return html.A(text, href=url, target="_blank", rel="noopener noreferrer", **extra)


def source_link(source: dict | None) -> html.A | None:
    """A link to a fact's source ({"url", "title"}); None when there is nothing to cite."""
    if not source:
        return None
    return external_link(source["url"], source["title"], className="source-link")


def bar(value: float, maximum: float, label: str) -> html.Div:
    """A horizontal bar (HTML/CSS, no plotly) filled to value/maximum; ``label`` is what it says in words."""
    pct = 0 if not maximum else max(0.0, min(100.0, 100 * value / maximum))
    return html.Div(html.Div(className="bar-fill", style={"width": f"{pct:.0f}%"}), className="bar", role="img",
                    **{"aria-label": label})


def as_printed(label: str):
    """A label printed in the data (a profile's list): in the page's language when it is one of the
    atlas's own words, else as printed, in an element marked with the language it is written in."""
    text, lang = vocabulary.printed(label)
    return html.Span(text, lang=lang) if lang else text


def dropdown_labels(**extra: str) -> dict:
    """The words of a ``dcc.Dropdown`` in the page's language (Dash's own are English, and it takes
    all of them or none); ``extra`` adds or replaces some (e.g. ``no_options_found``)."""
    return {"select_all": _("Select all"), "deselect_all": _("Deselect all"),
            "selected_count": _("{num_selected} selected"), "search": _("Search"), "clear_search": _("Clear search"),
            "clear_selection": _("Clear selection"), "no_options_found": _("No options found"), **extra}
