"""Logic of the findings page (``/findings``) as plain functions.

The page shows the OECD's published figures and the brochure's ten
recommendations, and charts of its own counts; two kinds of charts, never mixed:

* **Published** — the survey's aggregate findings and the well-being gaps as
  the sources print them (store tables ``findings`` and ``wellbeing_gaps``).
  Findings are charted together only when they share a topic, sample, wave,
  source and confidence, so each chart has one caption. ``ambiguous`` findings
  (values printed but not matched to answers) are never charted: they are
  listed as printed. ``read-from-chart`` values are drawn but say so.
* **Live** — computed by the atlas from the published city profiles of the
  current selection (the map's URL filters), each with its n.

The recommendations (store tables ``recommendations`` and
``recommendation_cities``) are text, grouped by the brochure's three layers.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from dashboard import data, urls
from dashboard.facets import FACET_BY_KEY, Filters
from dashboard.i18n import _, ngettext
from dashboard.store.sources import LAYERS
from dashboard.views import chart_style as style
from dashboard.views.map_view import options
from dashboard.vocabulary import facet_title, filters_in_words, not_published, printed, recommendation_layer

GROUPS = ("strategy", "staff", "funding", "data", "evaluation", "other")
TOPIC_GROUP = {"strategy": "strategy", "staff": "staff", "funding": "funding", "data": "data",
               "evaluation": "evaluation"}  # any other topic (culture, partnerships…) -> "other"
PAGE_FACETS = ("region", "tier")  # the page's filter bar; other URL filters still apply
LIVE_CHARTS = ("facts", "policy_area", "role", "activity")
ITEM_CHARTS = LIVE_CHARTS[1:]
TOP_ITEMS = 10
PROFILES_SITE = "https://cities-innovation-oecd.com/"
INDEX_SAMPLES = ("psi", "data-use")


def group_title(group: str) -> str:
    return {"strategy": _("Formal strategy and goals"), "staff": _("Innovation teams and roles"),
            "funding": _("Budget plans and funding"), "data": _("Data collection by policy area"),
            "evaluation": _("Evaluation"), "other": _("Culture and partnerships")}[group]


def group_of(topic: str) -> str:
    return TOPIC_GROUP.get(topic, "other")


def samples_caveat() -> str:
    return _("PSI (public-sector innovation) capacity and data use were measured on different city samples "
             "(the innovation-capacity survey; What Works Cities assessments): do not compare figures across them. "
             "Each share is of the sample named with its chart.")


def confidence_label(confidence: str) -> str:
    return {"stated": _("stated in the source text"),
            "read-from-chart": _("read from a chart in the source (approximate)"),
            "ambiguous": _("values printed in the source but not matched to answers: not charted")}[confidence]


# ------------------------------------------------------------------ published

@dataclass(frozen=True)
class FindingChart:
    """Findings drawn in one chart: same group, sample, wave, source and confidence.

    ``kind``: ``answers`` (several answers per question, one bar per answer),
    ``items`` (one list printed as "stem: item", e.g. roles on teams) or
    ``shares`` (one published share per question).
    """
    group: str
    kind: str
    stem: str | None
    rows: tuple[dict, ...]

    @property
    def key(self) -> str:
        ids = [r["id"] for r in self.rows]
        return "-".join(dict.fromkeys([ids[0], ids[-1]]))

    @property
    def questions(self) -> list[str]:
        return list(dict.fromkeys(r["question"] for r in self.rows))


def _stem(question: str) -> tuple[str | None, str]:
    """'Roles on innovation teams: designer' -> ('Roles on innovation teams', 'designer')."""
    head, sep, tail = question.partition(": ")
    return (head, tail) if sep else (None, question)


def _base_sample(sample: str) -> str:
    """'89 cities (48 cities)' -> '89 cities': the parenthesis counts the answers, not the sample."""
    return sample.split(" (", 1)[0].strip() if not sample.startswith("(") else sample


def is_charted(finding: dict) -> bool:
    return finding["confidence"] != "ambiguous" and finding["share_pct"] is not None


def finding_charts(findings: list[dict]) -> list[FindingChart]:
    """The charts the published findings make, in the order of their first finding."""
    charted = [f for f in findings if is_charted(f)]
    answers = Counter(f["question"] for f in charted)
    buckets: dict[tuple, list[dict]] = {}
    for f in charted:
        stem, _item = _stem(f["question"])
        kind = "answers" if answers[f["question"]] > 1 else ("items" if stem else "shares")
        key = (group_of(f["topic"]), kind, stem if kind == "items" else None, _base_sample(f["sample"]), f["wave"],
               f["source_url"], f["confidence"])
        buckets.setdefault(key, []).append(f)
    return [FindingChart(group, kind, stem, tuple(rows)) for (group, kind, stem, *_), rows in buckets.items()]


def listed_findings(findings: list[dict]) -> list[dict]:
    """Findings shown only as printed text (never as chart values)."""
    return [f for f in findings if not is_charted(f)]


def sources(rows: list[dict] | tuple[dict, ...]) -> list[tuple[str, str]]:
    """Distinct (title, url) of the rows, first title per address."""
    out: dict[str, str] = {}
    for r in rows:
        out.setdefault(r["source_url"], r["source_title"])
    return [(title, url) for url, title in out.items()]


def chart_caption(chart: FindingChart) -> dict:
    """What the caption of a published chart says (plain data, rendered by the page)."""
    rows = chart.rows
    return {
        "sample": "; ".join(dict.fromkeys(r["sample"] for r in rows)),
        "wave": "; ".join(dict.fromkeys(r["wave"] for r in rows)),
        "confidence": confidence_label(rows[0]["confidence"]),
        "sources": sources(rows),
        "notes": [f"{r['answer'] if chart.kind == 'answers' else _stem(r['question'])[1]}: {r['note']}"
                  for r in rows if r["note"]],
    }


def _note(source_list: list[tuple[str, str]], sample: str, wave: str, extra: str = "") -> list[str]:
    """The source lines printed under a chart (kept in a downloaded PNG)."""
    lines = []
    for title, url in source_list:
        lines += [_("Source: {title}", title=title), url]
    lines.append(_("Sample: {sample} · Wave: {wave}", sample=sample, wave=wave) + (f" · {extra}" if extra else ""))
    return lines


def _share_text(r: dict) -> str:
    return ("≈" if r["confidence"] == "read-from-chart" else "") + style.pct(r["share_pct"])


def _hover(r: dict, label: str) -> str:
    parts = [style.wrap(r["question"], style.HOVER_WIDTH), f"{style.plain(label)}: <b>{style.pct(r['share_pct'])}</b>",
             style.wrap(_("Sample: {sample}", sample=r["sample"]), style.HOVER_WIDTH), style.plain(confidence_label(r["confidence"]))]
    if r["note"]:
        parts.append(style.wrap(r["note"], style.HOVER_WIDTH))
    return "<br>".join(parts)


def _chart_title(chart: FindingChart) -> str:
    if chart.kind == "items":
        return chart.stem
    questions = chart.questions
    if chart.kind == "answers" or len(questions) == 1:
        return " / ".join(questions)
    return _("Shares of cities ({sample}, {wave})", sample=_base_sample(chart.rows[0]["sample"]),
             wave=chart.rows[0]["wave"])


def _share_bar(rows: list[dict], labels: list[str], hover_labels: list[str], **props) -> dict:
    return style.bar([r["share_pct"] for r in rows], labels,
                     [_share_text(r) for r in rows], [_hover(r, h) for r, h in zip(rows, hover_labels)], **props)


def finding_figure(chart: FindingChart) -> dict:
    """One published chart: horizontal bars of shares (0-100 %), source under it (plotly figure JSON)."""
    if chart.kind == "answers":
        by_answer: dict[str, list[dict]] = {}
        for r in chart.rows:  # an answer the atlas has a word for is shown in the page's language
            by_answer.setdefault(printed(r["answer"])[0], []).append(r)
        # the axis names the question, the colour (legend) and the hover the answer
        traces = [_share_bar(rows, [r["question"] for r in rows], [answer] * len(rows), name=style.plain(answer),
                             marker={"color": style.SERIES[i % len(style.SERIES)]})
                  for i, (answer, rows) in enumerate(by_answer.items())]
    else:
        labels = [_stem(r["question"])[1] if chart.kind == "items" else
                  (printed(r["answer"])[0] if len(chart.rows) == 1 else r["question"]) for r in chart.rows]
        traces = [_share_bar(list(chart.rows), labels, labels, marker={"color": style.BLUE})]
    caption = chart_caption(chart)
    note = _note(caption["sources"], caption["sample"], caption["wave"], caption["confidence"])
    return style.horizontal_bars(traces, title=_chart_title(chart), note=note, x_title=_("Share of cities"),
                                 axis=style.share_axis(), legend=chart.kind == "answers")


def gap_sample_title(index_sample: str) -> str:
    return {"psi": _("Residents' well-being in cities with higher and lower innovation capacity (PSI sample)"),
            "data-use": _("Residents' well-being in cities with more and less data use (data-use sample)")}[index_sample]


def gap_sample_text(index_sample: str) -> str:
    return {"psi": _("cities of the innovation-capacity survey, grouped by the PSI capacity index (0-10, high 6-10) "
                     "or by their survey answers"),
            "data-use": _("cities with What Works Cities assessments, grouped by the data-use index (0-38, high "
                          "23-38) or by its practices")}[index_sample]


def gap_wave_text(index_sample: str) -> str:
    return {"psi": _("2018 and 2020 survey waves (OECD analysis of 2021)"),
            "data-use": _("What Works Cities assessments used in the OECD analysis of 2021 (years not stated)")
            }[index_sample]


def gap_groups(gaps: list[dict]) -> list[tuple[str, list[dict]]]:
    """Gaps split by index sample: the two samples are never drawn in one chart."""
    return [(s, rows) for s in INDEX_SAMPLES if (rows := [g for g in gaps if g["index_sample"] == s])]


def _gap_text(g: dict) -> str:
    if g["value_a"] is not None and g["value_b"] is not None:
        return f"+{g['gap_points']:g} ({g['value_a']:g} vs {g['value_b']:g})"
    return f"+{g['gap_points']:g} {style.plain(g['unit'])}"


def _gap_hover(g: dict) -> str:
    parts = [style.plain(g["indicator"])]
    for group, value in ((g["group_a"], g["value_a"]), (g["group_b"], g["value_b"])):
        shown = f"{value:g} ({g['unit']})" if value is not None else _("value not published")
        parts.append(style.wrap(f"{group}: {shown}", style.HOVER_WIDTH))
    parts.append(_("Gap: {gap:g} points", gap=g["gap_points"]))
    if g["sample_note"]:
        parts.append(style.wrap(g["sample_note"], style.HOVER_WIDTH))
    return "<br>".join(parts)


def gap_figure(index_sample: str, gaps: list[dict]) -> dict:
    """Gaps of one index sample as bars (points by which the higher group leads)."""
    trace = style.bar([g["gap_points"] for g in gaps],
                      [f"{g['indicator']}: {g['group_a']} vs {g['group_b']}" for g in gaps],
                      [_gap_text(g) for g in gaps], [_gap_hover(g) for g in gaps],
                      marker={"color": style.BLUE if index_sample == "psi" else style.GREEN})
    top = max(g["gap_points"] for g in gaps)
    note = _note(sources(gaps), gap_sample_text(index_sample), gap_wave_text(index_sample),
                 _("descriptive statistics"))
    return style.horizontal_bars([trace], title=gap_sample_title(index_sample), note=note,
                                 x_title=_("Points by which the first group leads"), axis=style.value_axis(top))


# ------------------------------------------------------------ recommendations

def layer_text(layer: str) -> str:
    """What one layer of the recommendations is about (the brochure's layered framework, in our words)."""
    return {"meta-capacities": _("What makes innovation possible across a city government: leadership, staff, "
                                 "residents and a culture of innovation."),
            "components": _("The building blocks of innovation capacity that the survey measured: strategy, staff, "
                            "funding and the use of data to evaluate outcomes."),
            "tools": _("What a city's use of data needs: a data strategy, the capacity to carry it out, a legal and "
                       "regulatory framework and sound daily data management.")}[layer]


def recommendations() -> list[dict]:
    """The brochure's recommendations grouped by layer, in the brochure's order (meta-capacities,
    components, tools; layers with none are left out)::

        [{"layer", "title", "text",
          "recommendations": [{"number", "title", "summary", "source": {"title", "url"},
                               "examples": [{"id", "name", "country", "url"}]}]}]

    The examples are the brochure's example cities that the atlas has, each with its page's address.
    """
    rows = data.recommendations()
    groups = []
    for layer in LAYERS:
        mine = [{"number": r["number"], "title": r["title"], "summary": r["summary"],
                 "source": {"title": r["source_title"], "url": r["source_url"]},
                 "examples": [{**c, "url": urls.city_url(c["id"])} for c in r["example_cities"]]}
                for r in rows if r["layer"] == layer]
        if mine:
            groups.append({"layer": layer, "title": recommendation_layer(layer), "text": layer_text(layer),
                           "recommendations": mine})
    return groups


# ----------------------------------------------------------------------- live

def page_filters(search: str | None, values: dict[str, list[str] | None]) -> Filters:
    """The page's filter bar values applied over the filters of the current URL."""
    filters = data.read_filters(search or "")
    for key, value in values.items():
        filters = filters.replace(key, value or [])
    return filters


def page_search(filters: Filters, search: str | None) -> str:
    """The query string for ``filters``, keeping the URL's other parameters (e.g. ``lang``)."""
    kept = [(k, v) for k, v in urls.parameters(search or "").items() if k not in FACET_BY_KEY]
    return urls.query([*filters.to_query().items(), *kept])


def selection_text(filters: Filters) -> str:
    """The selection in words, e.g. 'World region: Europe; Innovation-capacity tier: High'."""
    return filters_in_words(filters) or _("all cities of the atlas")


def live_n_text(kind: str, n: int, total: int) -> str:
    """The chart's n, e.g. 'n = 48 cities with a published profile, of 52 selected'."""
    if kind == "facts":
        return ngettext("n = {n} city with a published profile, of {total} selected",
                        "n = {n} cities with a published profile, of {total} selected", n, total=total)
    if kind == "policy_area":
        return ngettext("n = {n} city with a published profile that lists policy areas",
                        "n = {n} cities with a published profile that lists policy areas", n)
    if kind == "role":
        return ngettext("n = {n} city with a published profile that lists innovation roles",
                        "n = {n} cities with a published profile that lists innovation roles", n)
    return ngettext("n = {n} city with a published profile that ranks innovation activities",
                    "n = {n} cities with a published profile that ranks innovation activities", n)


def live_title(kind: str) -> str:
    return {"facts": _("Strategy, team and funding in the published profiles"),
            "policy_area": _("Policy areas the cities focus on"),
            "role": _("Innovation roles on the cities' teams"),
            "activity": _("The cities' most common innovation activities")}[kind]


def live_wave_text() -> str:
    return _("city profiles of the 2018 and 2020 surveys (site versions of 2019 and 2021)")


def _live_note(filters: Filters, extra: str = "") -> list[str]:
    lines = [_("Source: city profiles on the OECD Innovation Capacity in Cities site, labels as printed; "
               "counted by the atlas, not an OECD figure") + " · " + PROFILES_SITE,
             _("Selection: {selection} · Wave: {wave}", selection=selection_text(filters), wave=live_wave_text())]
    return lines + ([extra] if extra else [])


def fact_lines(facts: dict) -> list[str]:
    """Each profile fact in words, e.g. 'Explicit innovation strategy: yes 59, no 48, not published 8 (55% of 107 answers)'."""
    lines = []
    for fact, c in facts["facts"].items():
        answered = c["yes"] + c["no"]
        if answered:
            lines.append(_("{fact}: yes {yes}, no {no}, not published {unknown} ({share:.0f}% yes of {n} published "
                           "answers)", fact=facet_title(fact), share=100 * c["yes"] / answered, n=answered, **c))
        else:
            lines.append(_("{fact}: yes {yes}, no {no}, not published {unknown}", fact=facet_title(fact), **c))
    return lines


def live_facts_figure(facts: dict, filters: Filters) -> dict:
    """Yes / no / not published counts of strategy, team and funding in the selection."""
    names = [facet_title(f) for f in facts["facts"]]
    traces = []
    for value, label, marker in (("yes", _("Yes"), {"color": style.BLUE}), ("no", _("No"), {"color": style.ORANGE}),
                                 ("unknown", not_published(), style.NOT_PUBLISHED)):
        counts = [c[value] for c in facts["facts"].values()]
        traces.append(style.bar(counts, names, [str(n) if n else "" for n in counts],
                                [f"{style.plain(n)}<br>{style.plain(label)}: {c}" for n, c in zip(names, counts)],
                                name=style.plain(label), marker=marker, textposition="inside",
                                insidetextanchor="middle"))
    n_text = live_n_text("facts", facts["profiles"], facts["cities"])
    return style.horizontal_bars(traces, title=live_title("facts"), subtitle=n_text, note=_live_note(filters),
                                 x_title=_("Number of cities in the selection"), legend=True, stacked=True,
                                 axis=style.count_axis(facts["cities"], headroom=1))


def live_items_figure(kind: str, counts: dict, filters: Filters) -> dict:
    """The most listed labels of one profile list in the selection (number of cities)."""
    n, items = counts["cities"], counts["items"]
    shown = items[:TOP_ITEMS]
    labels = [printed(i["label"])[0] for i in shown]  # labels as printed, the atlas's own words translated
    trace = style.bar([i["cities"] for i in shown], labels,
                      [str(i["cities"]) for i in shown],
                      [_("{label}: {k} of {n} cities ({share:.0f}%)", label=style.plain(label), k=i["cities"],
                         n=n, share=100 * i["cities"] / n) for i, label in zip(shown, labels)],
                      marker={"color": style.BLUE})
    extra = ""
    if len(items) > len(shown):
        extra = _("{k} more labels, each listed by fewer cities, are not shown.", k=len(items) - len(shown))
    elif not items:
        extra = _("No published profile in this selection has this list.")
    return style.horizontal_bars([trace], title=live_title(kind), subtitle=live_n_text(kind, n, n),
                                 note=_live_note(filters, extra), x_title=_("Number of cities (of {n})", n=n),
                                 axis=style.count_axis(max([i["cities"] for i in shown], default=0)))


def live_state(filters: Filters) -> dict:
    """Everything the live part of the page shows for a selection."""
    facts = data.profile_facts(filters)
    items = {kind: data.profile_item_counts(kind, filters) for kind in ITEM_CHARTS}
    counts = data.facet_counts(filters)
    figures = {"facts": live_facts_figure(facts, filters)}
    figures.update({kind: live_items_figure(kind, items[kind], filters) for kind in ITEM_CHARTS})
    n_texts = {"facts": live_n_text("facts", facts["profiles"], facts["cities"])}
    n_texts.update({kind: live_n_text(kind, items[kind]["cities"], facts["cities"]) for kind in ITEM_CHARTS})
    return {
        "count": facts["cities"],
        "profiles": facts["profiles"],
        "facts": facts,
        "items": items,
        "figures": figures,
        "n": n_texts,
        "fact_lines": fact_lines(facts),
        "selection": selection_text(filters),
        "options": {k: options(k, counts[k]) for k in PAGE_FACETS},
    }
