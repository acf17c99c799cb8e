"""Small HTML building blocks shared by several pages (no data access, no callbacks)."""
from dash import html


def source_link(source: dict | None) -> html.A | None:
    """A link to a fact's source ({"url", "title"}); None when there is nothing to cite."""
    if not source:
        return None
    return html.A(source["title"], href=source["url"], className="source-link", target="_blank",
                  rel="noopener noreferrer")


def bar(value: float, maximum: float, label: str) -> html.Div:
    """A horizontal bar (HTML/CSS, no plotly) filled to value/maximum; ``label`` is what it says in words."""
    pct = 0 if not maximum else max(0.0, min(100.0, 100 * value / maximum))
    return html.Div(html.Div(className="bar-fill", style={"width": f"{pct:.0f}%"}), className="bar", role="img",
                    **{"aria-label": label})
