"""The findings page's logic, called directly: published charts carry their
source and never draw ambiguous values; live aggregates match the store."""
from __future__ import annotations

import csv
import html
import json
from collections import Counter

import plotly
import pytest

from dashboard.facets import Filters
from dashboard.views.chart_style import plain
from tests.reference import count, profile_facts

SELECTION = Filters(region=("europe", "north-america"), tier=("high",))


@pytest.fixture()
def ctx(flask_client):
    import app as app_module

    with app_module.server.test_request_context("/findings"):
        yield


@pytest.fixture()
def published(ctx):
    from dashboard import data

    return data.findings()


def _json(fig: dict) -> str:
    return json.dumps(fig, ensure_ascii=False)


def _x_values(fig: dict) -> list:
    return [x for trace in fig["data"] for x in trace["x"]]


def _all_figures(published: dict, filters: Filters = SELECTION) -> list[dict]:
    from dashboard.views import findings_view as view

    figures = [view.finding_figure(c) for c in view.finding_charts(published["findings"])]
    figures += [view.gap_figure(s, rows) for s, rows in view.gap_groups(published["wellbeing_gaps"])]
    return figures + list(view.live_state(filters)["figures"].values())


def test_every_figure_is_valid_plotly_wide_narrow_and_downloaded(published):
    import plotly.graph_objects as go

    from tests.test_charts import variants

    figures = _all_figures(published) + _all_figures(published, Filters(country=("XYZ",)))[-4:]
    for fig in figures:
        for variant in variants(fig):
            go.Figure(variant)  # raises on any property plotly does not know
        assert fig["layout"]["template"]["layout"]["font"]["family"].startswith("system-ui")


def test_every_published_chart_names_its_source_sample_and_wave(published):
    from dashboard.views import findings_view as view

    charts = view.finding_charts(published["findings"])
    assert charts
    for chart in charts:
        text = _json(view.finding_figure(chart))
        for r in chart.rows:
            assert r["source_url"] in text and r["wave"] in text, chart.key
        for title, url in view.sources(chart.rows):
            assert url in text and plain(title)[:30] in text
        caption = view.chart_caption(chart)
        assert caption["sample"] and caption["wave"] and caption["sources"]


def test_chart_groups_follow_the_topics(published):
    from dashboard.views import findings_view as view

    charts = view.finding_charts(published["findings"])
    assert {c.group for c in charts} == {"strategy", "staff", "funding", "data", "evaluation"}
    roles = next(c for c in charts if c.stem == "Roles on innovation teams")
    assert roles.group == "staff" and len(roles.rows) == 5
    budget = next(c for c in charts if "budget plans" in c.questions[0])
    assert budget.kind == "answers" and [r["answer"] for r in budget.rows][0] == "Increase"
    # a chart never mixes samples, waves, sources or confidence levels
    for c in charts:
        assert len({(r["wave"], r["source_url"], r["confidence"]) for r in c.rows}) == 1


def test_ambiguous_findings_are_never_plotted_only_listed(published):
    from dashboard.views import findings_view as view

    findings = published["findings"]
    ambiguous = [f for f in findings if f["confidence"] == "ambiguous"]
    assert ambiguous
    charts = view.finding_charts(findings)
    charted_ids = [r["id"] for c in charts for r in c.rows]
    assert len(charted_ids) == len(set(charted_ids))
    # every finding is either charted once or listed as printed, never both
    assert set(charted_ids) | {f["id"] for f in view.listed_findings(findings)} == {f["id"] for f in findings}
    assert not set(charted_ids) & {f["id"] for f in ambiguous}
    figures = _all_figures(published)
    drawn = Counter(x for fig in figures[:len(charts)] for x in _x_values(fig))
    assert drawn == Counter(f["share_pct"] for f in findings if f["id"] in charted_ids)
    for fig in figures:
        text = _json(fig)
        for f in ambiguous:
            assert f["question"] not in text and f["answer"] not in text


def test_read_from_chart_values_are_labelled_approximate(published):
    from dashboard.views import findings_view as view

    for chart in view.finding_charts(published["findings"]):
        text = _json(view.finding_figure(chart))
        approximate = chart.rows[0]["confidence"] == "read-from-chart"
        assert ("read from a chart in the source (approximate)" in text) == approximate
        assert ("≈" in text) == approximate


def test_wellbeing_gaps_keep_the_two_index_samples_apart(published):
    from dashboard.views import findings_view as view

    groups = view.gap_groups(published["wellbeing_gaps"])
    assert [s for s, _ in groups] == ["psi", "data-use"]
    for sample, rows in groups:
        assert {g["index_sample"] for g in rows} == {sample}
        fig = view.gap_figure(sample, rows)
        assert _x_values(fig) == [g["gap_points"] for g in rows]
        text = _json(fig)
        assert all(g["source_url"] in text for g in rows)
    assert "PSI" in view.samples_caveat() and "data use" in view.samples_caveat()


def test_data_text_is_escaped_in_figures(ctx):
    from dashboard.views import findings_view as view

    row = {"id": "x1", "topic": "strategy", "question": "Is <b>this</b> bold?", "answer": "Yes & no",
           "share_pct": 10.0, "sample": "<i>89</i> cities", "wave": "2018", "confidence": "stated", "note": None,
           "source_title": "A <a href='javascript:x'>t</a>", "source_url": "https://example.org/a"}
    (chart,) = view.finding_charts([row])
    text = _json(view.finding_figure(chart))
    assert "<b>this</b>" not in text and "&lt;b&gt;this&lt;/b&gt;" in text
    assert "<a href" not in text and "<i>89" not in text


def test_graphs_download_png_without_the_plotly_logo_or_the_cloud(ctx):
    from dashboard.views.chart_style import graph_config

    cfg = graph_config("atlas-x")
    assert cfg["plotly"]["displaylogo"] is False and cfg["filename"] == "atlas-x"
    assert cfg["plotly"]["showSendToCloud"] is False and cfg["plotly"]["showEditInChartStudio"] is False
    assert cfg["download"] == "Download this chart as PNG (with its source)"


# ----------------------------------------------------------------- live charts

def _independent_counts(store, filters: Filters) -> tuple[set[str], dict]:
    """Counts made per city in Python from plain table rows, not by the aggregate queries."""
    ids = {p.id for p in store.city_points(filters)}
    profiles = {r["city_id"]: r for r in store.rows(
        "SELECT city_id, has_explicit_strategy, has_innovation_team, has_dedicated_funding FROM profiles")}
    facts = {}
    for fact, col in (("strategy", "has_explicit_strategy"), ("team", "has_innovation_team"),
                      ("funding", "has_dedicated_funding")):
        answers = [profiles[c][col] for c in ids if c in profiles]
        facts[fact] = {"yes": answers.count(True), "no": answers.count(False)}
        facts[fact]["unknown"] = len(ids) - facts[fact]["yes"] - facts[fact]["no"]
    items: dict[str, dict[str, set]] = {}
    for r in store.rows("SELECT city_id, kind, label FROM profile_items"):
        if r["city_id"] in ids:
            items.setdefault(r["kind"], {}).setdefault(r["label"], set()).add(r["city_id"])
    return ids, {"facts": facts, "profiles": len(ids & set(profiles)), "items": items}


@pytest.mark.parametrize("filters", [Filters(), SELECTION, Filters(covid=("inclusive-social",), wave=("2018",))])
def test_live_aggregates_match_counts_made_from_the_rows(ctx, store, filters):
    from dashboard.views import findings_view as view

    ids, expected = _independent_counts(store, filters)
    state = view.live_state(filters)
    assert state["count"] == len(ids) == count(store, filters)
    assert state["profiles"] == expected["profiles"]
    assert state["facts"]["facts"] == expected["facts"]
    for kind in view.ITEM_CHARTS:
        by_label = expected["items"].get(kind, {})
        got = state["items"][kind]
        assert got["cities"] == len(set().union(*by_label.values())) if by_label else got["cities"] == 0
        assert {i["label"]: i["cities"] for i in got["items"]} == {k: len(v) for k, v in by_label.items()}
        # the chart draws the most listed labels with their counts, and says its n
        fig = state["figures"][kind]
        assert _x_values(fig) == [i["cities"] for i in got["items"][:view.TOP_ITEMS]]
        assert f"n = {got['cities']} " in state["n"][kind] and state["n"][kind] in _json(fig)
    facts_fig = state["figures"]["facts"]
    assert [t["x"] for t in facts_fig["data"]] == [[expected["facts"][f][v] for f in ("strategy", "team", "funding")]
                                                   for v in ("yes", "no", "unknown")]
    assert f"n = {expected['profiles']} " in state["n"]["facts"]


def test_live_charts_say_they_are_computed_and_for_which_selection(ctx):
    from dashboard.views import findings_view as view

    state = view.live_state(SELECTION)
    for kind in view.LIVE_CHARTS:
        text = _json(state["figures"][kind])
        assert "not an OECD figure" in text and view.PROFILES_SITE in text
        assert "World region: North America, Europe; Innovation-capacity tier: High" in text


def test_an_empty_selection_gives_empty_charts_with_n_zero(ctx):
    from dashboard.views import findings_view as view

    state = view.live_state(Filters(country=("XYZ",)))
    assert state["count"] == 0 and state["n"]["policy_area"].startswith("n = 0 ")
    assert _x_values(state["figures"]["role"]) == []


def test_profile_item_counts_rejects_unknown_lists(store):
    with pytest.raises(ValueError):
        store.profile_item_counts("'; DROP TABLE cities; --")


def test_the_page_ignores_values_the_data_does_not_know(ctx):
    from dashboard.views.findings_view import page_filters

    assert page_filters("?country=ZZZ,ITA&wave=1999", {"region": ["europe"]}) == \
        Filters(region=("europe",), country=("ITA",))


def test_page_url_keeps_other_parameters_and_the_filter_bar_applies():
    from dashboard.views.findings_view import page_filters, page_search

    f = page_filters("?covid=co-creation&lang=fr&region=asia", {"region": ["europe", "bogus"], "tier": ["high"]})
    assert f == Filters(region=("europe",), tier=("high",), covid=("co-creation",))
    assert page_search(f, "?covid=co-creation&lang=fr&region=asia") == \
        "?region=europe&tier=high&covid=co-creation&lang=fr"
    assert page_search(Filters(), "") == ""
    assert page_search(Filters(region=("europe", "asia")), None) == "?region=europe,asia"


def test_update_live_callback(ctx, store):
    from dashboard.pages.findings import update_live
    from dashboard.views import findings_view as view

    out = update_live(["europe"], [], "?lang=en")
    search, shown = out[0], out[1]
    europe = Filters(region=("europe",))
    assert search == "?region=europe&lang=en" and shown == str(count(store, europe))
    n_texts = out[-len(view.LIVE_CHARTS):]
    assert n_texts[0] == view.live_n_text("facts", profile_facts(store, europe)["profiles"], count(store, europe))


def test_page_layout_shows_every_source_and_the_caveat(flask_client, published):
    import dash

    import app as app_module

    page = next(p for p in dash.page_registry.values() if p["path"] == "/findings")
    with app_module.server.test_request_context("/findings?region=europe"):
        text = json.dumps(page["layout"](region="europe").to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
    for row in published["findings"] + published["wellbeing_gaps"]:
        assert row["source_url"] in text
    for f in published["findings"]:
        if f["confidence"] == "ambiguous":
            assert f["answer"] in text  # listed as printed
    assert text.count("do not compare figures across them") == 1  # said once, at the top
    assert '"value": ["europe"], "className": "facet"' in text or '"value": ["europe"]' in text


# ------------------------------------------------------------ recommendations

BROCHURE_LAYERS = {"meta-capacities": [1, 2], "components": [3, 4, 5, 6], "tools": [7, 8, 9, 10]}


def test_the_ten_recommendations_come_grouped_by_layer_as_stored(ctx, store, flask_client):
    from dashboard.views import findings_view as view

    groups = view.recommendations()
    assert [g["layer"] for g in groups] == list(BROCHURE_LAYERS)
    assert {g["layer"]: [r["number"] for r in g["recommendations"]] for g in groups} == BROCHURE_LAYERS
    assert [g["title"] for g in groups] == ["Meta-capacities", "Components", "Tools"]
    stored = {r["number"]: r for r in store.rows("SELECT * FROM recommendations")}
    names = {r["id"]: (r["name"], r["country"]) for r in store.rows("SELECT id, name, country FROM cities")}
    examples: dict[int, set[str]] = {}
    for r in store.rows("SELECT number, city_id FROM recommendation_cities"):
        examples.setdefault(r["number"], set()).add(r["city_id"])
    shown = [r for g in groups for r in g["recommendations"]]
    assert len(shown) == len(stored) == 10
    for rec in shown:
        row = stored[rec["number"]]
        assert (rec["title"], rec["summary"]) == (row["title"], row["summary"])
        assert rec["source"] == {"title": row["source_title"], "url": row["source_url"]}
        assert {c["id"] for c in rec["examples"]} == examples[rec["number"]] and rec["examples"]
        for c in rec["examples"]:
            assert (c["name"], c["country"]) == names[c["id"]]
            assert c["url"] == f"/city/{c['id']}"
            assert flask_client.get(c["url"]).status_code == 200  # the link leads to an existing city page


def test_a_recommendation_without_an_example_city_keeps_its_place(data_copy, tmp_path):
    from dashboard.store import Store, build

    path = data_copy / "recommendations.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[2]["example_city_ids"] = ""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    build(data_copy, tmp_path / "atlas.duckdb")
    store = Store(tmp_path / "atlas.duckdb")
    try:
        recs = store.recommendations()
    finally:
        store.close()
    assert [r["number"] for r in recs] == list(range(1, 11))
    assert recs[2]["example_cities"] == [] and recs[3]["example_cities"] == [
        {"id": "hillsboro-usa", "name": "Hillsboro", "country": "United States"}]


def _texts(component) -> list[tuple[str, str]]:
    """Every text child in a component tree, with the type of the component holding it."""
    out = []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if isinstance(child, str):
            out.append((type(component).__name__, child))
        elif child is not None:
            out.extend(_texts(child))
    return out


def _links(component) -> list:
    """Every link (html.A) in a component tree."""
    found = [component] if type(component).__name__ == "A" else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found.extend(_links(child))
    return found


def test_recommendation_cards_show_data_as_text_and_leave_out_a_missing_example(ctx):
    from dashboard.pages.findings import recommendation_card, recommendations_section

    rec = {"number": 4, "title": "<b>Plug</b> staff in", "summary": "<script>alert(1)</script>",
           "source": {"title": "The brochure", "url": "https://example.org/brochure"},
           "examples": [{"id": "hillsboro-usa", "name": "Hillsboro", "country": "United States",
                         "url": "/city/hillsboro-usa"}]}
    card = recommendation_card(rec)
    texts = _texts(card)
    assert ("Span", "<b>Plug</b> staff in") in texts and ("P", "<script>alert(1)</script>") in texts
    links = {a.href: a.children for a in _links(card)}
    assert links == {"/city/hillsboro-usa": "Hillsboro", "https://example.org/brochure": "The brochure"}
    assert "Example:" in [t for _, t in texts]
    bare = recommendation_card({**rec, "examples": []})
    assert not [t for _, t in _texts(bare) if t.startswith("Example")]
    assert {a.href for a in _links(bare)} == {"https://example.org/brochure"}
    section = recommendations_section([{"layer": "components", "title": "Components", "text": "…",
                                        "recommendations": [rec]}])
    assert "Markdown" not in json.dumps(section.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)


def test_the_page_links_to_its_recommendations_section(flask_client, store):
    import app as app_module
    from dashboard import ids
    from dashboard.pages.findings import layout as findings_layout

    with app_module.server.test_request_context("/findings"):
        layout = findings_layout()  # the page's components (Dash gets their static parts compacted)
    columns = next(c for c in layout.children if getattr(c, "className", None) == "findings-layout")
    contents, body = columns.children
    sections = [c for c in body.children if type(c).__name__ == "Section"]
    # the list of contents comes before the sections and names each by its heading
    assert contents.id == ids.FINDINGS_CONTENTS and len(sections) > 5
    assert [(a.href, a.children) for a in _links(contents)] == [("#" + s.id, s.children[0].children) for s in sections]
    section = next(s for s in sections if s.id == ids.FINDINGS_RECOMMENDATIONS == "recommendations")
    text = json.dumps(section.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)
    for row in store.recommendations():
        assert row["title"] in text and row["summary"] in text and row["source_url"] in text
        for c in row["example_cities"]:
            assert f'"/city/{c["id"]}"' in text


def _walk(component):
    """Every component of a layout tree."""
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            yield from _walk(child)


def test_every_published_chart_offers_its_own_embed_code_and_the_code_opens_that_chart(flask_client, published):
    """"Embed this chart" under each published chart: its code's address is the chart's own embed
    (``chart=key&embed=1``), and that address draws the same chart."""
    import app as app_module
    from dashboard.pages.findings import chart_by_key, layout
    from dashboard.views import findings_view as view
    from dashboard.views.chart_style import chart_table

    with app_module.server.test_request_context("/findings?region=europe"):
        tree = list(_walk(layout(region="europe")))  # the page's components (Dash gets them compacted)
        figures = [c for c in tree if getattr(c, "className", "") == "chart atlas-chart"]
        codes = [c for c in tree if str(getattr(c, "id", "")).startswith("embed-code-")]
        assert len(codes) == len(figures) - len(view.LIVE_CHARTS) > 5  # not the live ones (the page's filters)
        assert len({c.id for c in codes}) == len(codes)
        for code in codes:
            key = code.id.removeprefix("embed-code-")
            src = code.children.split('src="', 1)[1].split('"', 1)[0]
            assert src == f"http://localhost/findings?chart={key}&amp;embed=1"
            one = [c for c in _walk(chart_by_key(key)) if getattr(c, "className", "") == "chart atlas-chart"]
            assert len(one) == 1
            title = chart_table(json.loads(getattr(one[0], "data-figure")))["caption"]
            assert f'title="City Innovation Atlas: {html.escape(title, quote=False).replace(chr(34), "&quot;")}"' \
                in code.children
            assert not [c for c in _walk(one[0]) if str(getattr(c, "id", "")).startswith("embed-code-")]
