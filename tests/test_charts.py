"""The charts' look (dashboard/views/chart_style.py): one template from the visual system's
tokens, axes that fit their values, a narrow variant for phones, the data as a table, and
the partial plotly.js bundle the atlas serves itself."""
from __future__ import annotations

import copy
import re

import pytest

from tests.conftest import ROOT


def _merge(target: dict, patch: dict) -> dict:
    """assets/atlas_charts.js's merge: nested objects merged, anything else replaced."""
    out = dict(target)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def variants(fig: dict) -> list[dict]:
    """The figure as the browser draws it: wide, narrow, and each with the PNG's source note."""
    meta = fig["layout"]["meta"]
    narrow = copy.deepcopy(fig)
    for trace, ys in zip(narrow["data"], meta["narrow"]["y"]):
        trace["y"] = ys
    narrow["layout"] = _merge(narrow["layout"], meta["narrow"]["layout"])
    return [fig, narrow, {**fig, "layout": _merge(fig["layout"], meta["download"])},
            {**narrow, "layout": _merge(narrow["layout"], meta["narrow"]["download"])}]


@pytest.fixture()
def ctx(flask_client):
    import app as app_module

    with app_module.server.test_request_context("/findings"):
        yield


def _css_root() -> dict[str, str]:
    css = (ROOT / "assets" / "atlas.css").read_text(encoding="utf-8")
    found = {}
    for block in re.findall(r":root\s*\{([^}]*)\}", css):
        for name, value in re.findall(r"--([\w-]+)\s*:\s*([^;]+);", block):
            found.setdefault(name, value)  # the first, light, value: a theme may override it later
    return {k: v.strip() for k, v in found.items()}


def test_the_template_takes_the_stylesheets_tokens(ctx):
    from dashboard.views import chart_style as style

    root = _css_root()
    for step, rem in style.TYPE_SCALE.items():
        assert float(root[f"text-{step}"].removesuffix("rem")) == rem, step
    assert root["font-sans"] == style.FONT_FAMILY
    assert (root["ink"], root["muted"], root["line"], root["bg"]) == (style.INK, style.MUTED, style.LINE, style.BG)
    layout = style.template()["layout"]
    assert layout["font"] == {"family": style.FONT_FAMILY, "size": 14, "color": style.INK}
    assert layout["title"]["font"]["size"] == round(16 * style.TYPE_SCALE["lg"]) == 18
    assert layout["colorway"][:2] == ["#0072B2", "#E69F00"]  # the map's high and low tiers
    assert layout["uniformtext"]["minsize"] == 14


def _font_sizes(value, path=""):
    """Every font size set anywhere in a figure, with where."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "size" and path.endswith("font") and isinstance(v, (int, float)):
                yield path, v
            else:
                yield from _font_sizes(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for v in value:
            yield from _font_sizes(v, path)
    elif isinstance(value, str):
        for size in re.findall(r"font-size:\s*(\d+)px", value):
            yield path, int(size)


def test_no_chart_text_is_smaller_than_the_smallest_step(ctx):
    from dashboard import data
    from dashboard.facets import Filters
    from dashboard.views import findings_view as view

    figures = [view.finding_figure(c) for c in view.finding_charts(data.findings()["findings"])]
    figures += list(view.live_state(Filters())["figures"].values())
    sizes = [(p, s) for fig in figures for variant in variants(fig) for p, s in _font_sizes(variant)]
    assert sizes and min(s for _, s in sizes) >= 14, [x for x in sizes if x[1] < 14]


@pytest.mark.parametrize("value, expected", [(24, 25), (0.7, 0.8), (1, 1), (101, 120), (13, 15), (3.1, 4), (0, 1),
                                             (88, 100), (61, 80)])
def test_nice_ceiling(value, expected):
    from dashboard.views.chart_style import nice_ceiling

    assert nice_ceiling(value) == expected


def test_a_count_axis_ends_at_a_round_number_just_above_its_largest_value(ctx):
    from dashboard.views.chart_style import count_axis, share_axis

    axis = count_axis(24)  # not the 100 cities of the selection
    assert axis["range"] == [0, 30] and axis["dtick"] == 5 and axis["narrow_dtick"] == 10
    assert count_axis(3)["range"] == [0, 4] and count_axis(3)["dtick"] == 1  # whole cities only
    assert count_axis(0)["range"] == [0, 1.2]
    assert count_axis(115, headroom=1)["range"] == [0, 120]
    assert share_axis()["range"] == [0, 100]


def test_the_live_list_charts_axis_fits_the_longest_bar(ctx):
    from dashboard.facets import Filters
    from dashboard.views import findings_view as view

    state = view.live_state(Filters())
    for kind in view.ITEM_CHARTS:
        fig = state["figures"][kind]
        largest = max(fig["data"][0]["x"])
        top = fig["layout"]["xaxis"]["range"][1]
        assert largest <= top <= largest * 1.5 + 1, (kind, largest, top)


def test_labels_titles_and_notes_are_wrapped_for_the_width(ctx):
    from dashboard.views import chart_style as style

    trace = style.bar([40, 60], ["A label that is long enough to need several lines on a phone", "Short"],
                      ["40%", "60%"], ["", ""])
    fig = style.horizontal_bars([trace], title="A title " * 8, note=["Source: somewhere far " * 4, "https://e.org"],
                                x_title="Share", axis=style.share_axis())
    narrow = fig["layout"]["meta"]["narrow"]
    for label in narrow["y"][0]:
        assert all(len(line) <= style.NARROW.label for line in label.split("<br>"))
    assert narrow["layout"]["height"] > fig["layout"]["height"]  # more lines, more room
    assert narrow["layout"]["xaxis"]["dtick"] == 50 and fig["layout"]["xaxis"]["dtick"] == 20
    # the source note is not drawn on the page (the page prints it), only in a downloaded PNG
    assert "annotations" not in fig["layout"]
    note = fig["layout"]["meta"]["download"]["annotations"][0]["text"]
    assert "https://e.org" in note and fig["layout"]["meta"]["download"]["height"] > fig["layout"]["height"]


def test_the_data_table_reads_the_figure_back(ctx):
    from dashboard.views import chart_style as style

    yes = style.bar([49.7, 52], ["Strategy <b>?</b>", "Goals"], ["≈49.7%", "≈52%"], ["", ""], name="Yes",
                    marker={"color": style.BLUE})
    other = style.bar([3], ["Goals"], ["≈3%"], [""], name="Other & more", marker={"color": style.GREEN})
    fig = style.horizontal_bars([yes, other], title="Strategy & goals", subtitle="n = 5", note=[],
                                x_title="Share of cities", axis=style.share_axis(), legend=True)
    table = style.chart_table(fig)
    assert table["caption"] == "Strategy & goals — n = 5"
    assert table["columns"] == ["Yes", "Other & more"]
    assert table["rows"] == [("Strategy <b>?</b>", [("≈49.7%", 49.7, style.BLUE), ("", None, style.GREEN)]),
                             ("Goals", [("≈52%", 52, style.BLUE), ("≈3%", 3, style.GREEN)])]
    assert table["top"] == 100
    single = style.chart_table(style.horizontal_bars([style.bar([2], ["x"], ["2"], [""])], title="t", note=[],
                                                     x_title="Cities", axis=style.count_axis(2)))
    assert single["columns"] == ["Cities"]  # one series: named by the axis


def test_the_vendored_bundle_is_the_basic_one_in_plotlys_version():
    from plotly.offline import get_plotlyjs_version

    from dashboard.views.chart_style import PLOTLY_BUNDLE, plotly_bundle_version

    assert plotly_bundle_version() == get_plotlyjs_version()
    assert PLOTLY_BUNDLE.stat().st_size < 1_500_000  # not the 4.8 MB full bundle
    assert (PLOTLY_BUNDLE.parent / "LICENSE").read_text().startswith("MIT License")


def test_the_bundle_is_served_for_long_under_its_version(flask_client):
    from dashboard import urls
    from dashboard.views.chart_style import PLOTLY_BUNDLE, plotly_bundle_version

    url = urls.plotly_js_url(plotly_bundle_version())
    assert url == "/vendor/plotly-basic.min.js?v=" + plotly_bundle_version()
    response = flask_client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.cache_control.max_age >= 30 * 24 * 3600 and response.cache_control.immutable
    assert response.get_data() == PLOTLY_BUNDLE.read_bytes()
    # an address without the current version may be a newer bundle soon: kept briefly, revalidated
    plain = flask_client.get(urls.PLOTLY_JS_URL)
    assert plain.cache_control.max_age < 3600 and not plain.cache_control.immutable and plain.headers["ETag"]


def test_no_page_asks_for_the_bundle_before_a_chart_needs_it(flask_client):
    """plotly.js (about half a second of a phone's processor) is asked for by assets/atlas_charts.js
    when a chart nears the window, never by the page's head: not even the findings page preloads it."""
    from dashboard import urls

    for path in ("/findings", "/"):
        assert urls.PLOTLY_JS_URL not in flask_client.get(path).get_data(as_text=True), path