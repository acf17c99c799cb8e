"""Logic of the presentation (``/present``) and of a city's spotlight, as plain data.

The slides' order and what each shows live in ``data/slides.csv`` (validated by the store's
build); every figure on a slide comes from the store with its source. Each slide is a view of
the atlas: the cities it highlights on the map, where the map flies to, and the same view in the
explorer (the map page's address), which Esc opens.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from dashboard import data, urls, vocabulary
from dashboard.facets import COVID_HORIZON, Filters
from dashboard.i18n import _, decimal, ngettext, number
from dashboard.store.estimate import COMPONENTS
from dashboard.store.sources import GAP_CHARTS
from dashboard.views import chart_style, city_view, findings_view
from dashboard.views.map_view import WORLD_BOUNDS, FirstMap, bounds, center, first_cities, first_zooms
from layers.firstmap import layer_point

WORLD = {"bounds": WORLD_BOUNDS, "center": center(WORLD_BOUNDS), "zoom": 2}
ZOOM_SNAP = 0.25  # the map zooms in quarter steps: a slide's cities fill its box closely
# the room the map leaves free when it fits a slide's cities (pixels): [[left, top], [right, bottom], and the
# right's largest share of the map's width]; on the right, the names beside the rings
FIT_PADDING = [[20, 20], [180, 20], 0.25]
CITY_ZOOM = 6
NAMED_MAX = 6  # up to this many highlighted cities are named on the map
# a published chart on a projector: the page's chart, with type large enough to read from the back
CHART_FONT, CHART_TITLE_FONT, CHART_NOTE_FONT = 20, 24, 16
CHART_HEIGHT = 430  # pixels: fits under a slide's title at 1280x720


@dataclass(frozen=True)
class Slide:
    """One slide as plain data (rendered by ``dashboard/ui/present.py``).

    ``lines``: statements, each ``{"text", "source": {"title", "url"} | None, "lang"}`` (``lang``:
    the language of a text from the data); ``figure``: a plotly figure, ``chart_title`` its title
    (``{"text", "lang"}``); ``city``: a city's big
    profile (``city_profile``); ``highlight``: the cities the map highlights, each ``{"id", "name",
    "lat", "lon", "named"}``; ``view``: where the map goes (``{"center", "zoom"}`` or
    ``{"bounds"}``); ``explore``: the same view in the explorer."""
    number: int
    kind: str
    title: str
    lead: str = ""
    lines: tuple[dict, ...] = ()
    figure: dict | None = None
    chart_title: dict | None = None
    city: dict | None = None
    highlight: tuple[dict, ...] = ()
    view: dict = field(default_factory=lambda: dict(WORLD))
    explore: str = urls.MAP_PATH
    notes: str = ""
    links: tuple[dict, ...] = ()
    everything: int = 0  # the slide is about every city (this many): none is highlighted
    sources: tuple[dict, ...] = ()  # sources of the whole slide (its lines name their own)

    @property
    def highlight_text(self) -> str:
        if self.everything:
            return ngettext("{count} city on the map", "All {count} cities on the map", self.everything,
                            count=number(self.everything))
        n = len(self.highlight)
        return ngettext("{count} city highlighted on the map", "{count} cities highlighted on the map", n,
                        count=number(n))


def _line(text: str, source: dict | None = None, lang: str | None = None) -> dict:
    return {"text": text, "source": source, "lang": lang}


def _source(title: str, url: str) -> dict:
    return {"title": title, "url": url}


def _filters(raw: str | None) -> Filters:
    return data.read_filters(raw or "")


def _points(filters: Filters | None, named: list[str]) -> list[dict]:
    """The highlighted cities: the named ones (in the given order) and the selection's."""
    rows = {r["id"]: r for r in data.city_rows(Filters())}
    chosen = [c for c in dict.fromkeys(named) if c in rows]
    selected = [r["id"] for r in data.city_rows(filters)] if filters is not None else []
    out = [{"id": c, "name": rows[c]["name"], "lat": rows[c]["lat"], "lon": rows[c]["lon"], "named": True}
           for c in chosen]
    many = len(chosen) > NAMED_MAX
    for point in out:
        point["named"] = not many
    out += [{"id": c, "name": rows[c]["name"], "lat": rows[c]["lat"], "lon": rows[c]["lon"], "named": False}
            for c in selected if c not in chosen]
    return out


def map_view(points: list[dict], focus: list[str]) -> dict:
    """Where the map goes: the highlighted cities fitted, or a city alone close up; none, the world."""
    focused = points if len(points) > len(focus) else [p for p in points if p["id"] in focus]
    if not focused:
        return dict(WORLD)
    if len(focused) == 1:
        return {"center": [round(focused[0]["lat"], 4), round(focused[0]["lon"], 4)], "zoom": CITY_ZOOM}
    lats, lons = [p["lat"] for p in focused], [p["lon"] for p in focused]
    box = bounds([min(lats), min(lons), max(lats), max(lons)], pad=3.0)
    return {"bounds": box, "center": center(box)}


def first_map(slide: Slide) -> FirstMap | None:
    """The map of ``slide`` as the page opens on it (every city, the slide's cities ringed), for the
    page's first view to draw (dashboard/ui/first_map.py); None above FIRST_VIEW_MAX cities."""
    view, fit = slide.view, slide.view.get("bounds")
    zoom = view.get("zoom", WORLD["zoom"])
    zooms = first_zooms(fit, zoom, FIT_PADDING, ZOOM_SNAP)
    drawn = first_cities(Filters(), zooms)
    if drawn is None:
        return None
    ringed = {z: tuple((*layer_point(p["lat"], p["lon"], z), p["name"] if p["named"] else None) for p in slide.highlight)
              for z in zooms}
    return FirstMap(*drawn, fit, view.get("center", WORLD["center"]), zoom, snap=ZOOM_SNAP, padding=FIT_PADDING,
                    highlight=ringed)


def big_figure(figure: dict) -> dict:
    """A published chart of the findings page for a projector: the same figure, its type larger, its
    height the slide's, without its title (the slide prints it as text, which wraps at any width and
    which no button covers) and without the source block printed under it for a downloaded PNG (the
    slide links its sources)."""
    fig = copy.deepcopy(figure)
    layout = fig.setdefault("layout", {})
    layout["height"] = CHART_HEIGHT
    layout["autosize"] = True
    layout["font"] = {**layout.get("font", {}), "size": CHART_FONT}
    for axis in ("xaxis", "yaxis"):
        layout[axis] = {**layout.get(axis, {}), "tickfont": {"size": CHART_FONT}}
    layout["title"] = {"text": ""}
    narrow = (layout.get("meta") or {}).get("narrow")
    if narrow:
        narrow["layout"].pop("title", None)
    layout["annotations"] = []
    margin = {"t": CHART_FONT, "b": CHART_FONT * 4, "r": CHART_FONT * 4}
    if layout.get("showlegend"):
        # over the plot, in a row: the plot keeps the slide's width
        layout["legend"] = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom",
                            "traceorder": "normal", "font": {"size": CHART_FONT}}
        margin["t"] = CHART_FONT * 3
    if len({y for trace in fig.get("data", []) for y in trace.get("y", [])}) == 1:
        # one question: the slide prints it over the chart, its label would only narrow the bars
        layout["yaxis"]["showticklabels"] = False
        margin["l"] = CHART_FONT * 2
    layout["margin"] = {**layout.get("margin", {}), **margin}
    for axis in ("xaxis", "yaxis"):
        if isinstance(layout.get(axis), dict) and isinstance(layout[axis].get("title"), dict):
            layout[axis]["title"]["font"] = {**layout[axis]["title"].get("font", {}), "size": CHART_FONT}
    return fig


def chart_figure(key: str) -> tuple[dict, list[dict], dict] | None:
    """A chart of the findings page by key (a findings id, or ``wellbeing-psi`` / ``wellbeing-data-use``),
    drawn by the findings page's own functions, with its sources and its title (``{"text", "lang"}``,
    ``lang`` the language of a title from the data); None when there is none."""
    published = data.findings()
    if key in GAP_CHARTS:
        for sample, rows in findings_view.gap_groups(published["wellbeing_gaps"]):
            if sample == GAP_CHARTS[key]:
                return (findings_view.gap_figure(sample, rows), [_source(t, u) for t, u in findings_view.sources(rows)],
                        {"text": findings_view.gap_sample_title(sample), "lang": None})
        return None
    for chart in findings_view.finding_charts(published["findings"]):
        if any(r["id"] == key for r in chart.rows):
            return (findings_view.finding_figure(chart), [_source(t, u) for t, u in findings_view.sources(chart.rows)],
                    {"text": chart.stem if chart.kind == "items" else " / ".join(chart.questions),
                     "lang": vocabulary.DATA_LANG})
    return None


def spotlight(city: dict, prefer_url: str | None = None) -> dict | None:
    """One case study of the city: the one from ``prefer_url`` when it has one, else one from the
    brochure the recommendations cite (its example cities' stories), else the first."""
    studies = city_view.case_studies(city)
    wanted = {prefer_url} if prefer_url else {r["source_url"] for r in data.recommendations()}
    preferred = [s for s in studies if s["source"]["url"] in wanted]
    return (preferred or studies or [None])[0]


def city_profile(city_id: str) -> dict | None:
    """One city, big: name, country, score with its provenance, the five components, one spotlight."""
    city = data.city(city_id)
    if not city:
        return None
    score = city_view.score(city)
    profile = city_view.profile_source(city)
    return {"id": city["id"], "name": city["name"], "country": vocabulary.city_country(city),
            "score": score, "value": None if score["value"] is None else number(score["value"], 1),
            "components": score["components"], "spotlight": spotlight(city),
            "profile": profile, "url": urls.city_url(city["id"])}


# ------------------------------------------------------------------ the kinds of slides

def _title_slide(row: dict) -> dict:
    summary = data.summary()
    return {"title": vocabulary.page_title("map"), "lead": _("How city governments build the capacity to innovate and use "
                                                    "data, and what it does for residents' well-being"),
            "lines": (_line(_("{cities} in {countries} countries on the map", cities=vocabulary.cities(summary["cities"]),
                              countries=number(summary["countries"]))),
                      _line(vocabulary.survey_source())),
            "filters": Filters()}


def _survey_slide(row: dict) -> dict:
    summary = data.summary()
    waves = data.facet_counts(Filters())["wave"]
    lines = [_line(_("{count} of them confirmed as survey respondents", count=number(summary["respondents"]))),
             *[_line(_("Survey wave {wave}: {cities}", wave=w, cities=vocabulary.cities(waves.get(w, 0))))
               for w in vocabulary.facet_values("wave") if w != "unknown" and waves.get(w)],
             _line(_("Five components of innovation capacity: {names}",
                     names="; ".join(city_view.component_name(c) for c in COMPONENTS)))]
    return {"title": _("What was surveyed"), "lead": vocabulary.cities(summary["cities"]), "lines": tuple(lines),
            "filters": Filters(), "links": ({"text": _("About the data"), "url": urls.about_url("sources")},)}


def _finding_line(finding_id: str) -> dict | None:
    row = next((f for f in data.findings()["findings"] if f["id"] == finding_id), None)
    if row is None or row["share_pct"] is None:
        return None
    approx = "≈ " if row["confidence"] == "read-from-chart" else ""
    return {"share": approx + chart_style.pct(row["share_pct"]),
            "line": _line(f"{row['question']} — {row['answer']} · {row['sample']}",
                          _source(row["source_title"], row["source_url"]), vocabulary.DATA_LANG)}


def _wellbeing_slide(row: dict) -> dict:
    gaps = [g for g in data.findings()["wellbeing_gaps"] if g["index_sample"] == "psi"][:3]
    def value(v):
        return decimal(v) if v is not None else vocabulary.not_published()

    lines = tuple(_line(_("{indicator}: {group_a} {a}, {group_b} {b} ({unit})", indicator=g["indicator"],
                          group_a=g["group_a"], a=value(g["value_a"]), group_b=g["group_b"], b=value(g["value_b"]),
                          unit=g["unit"]), _source(g["source_title"], g["source_url"]), vocabulary.DATA_LANG)
                  for g in gaps)
    lead = (_("+{gap} points: {indicator}, {group_a} vs {group_b}", gap=decimal(gaps[0]["gap_points"]),
              indicator=gaps[0]["indicator"], group_a=gaps[0]["group_a"], group_b=gaps[0]["group_b"])
            if gaps else "")
    return {"title": _("Life is better in cities that innovate"), "lead": lead, "lines": lines,
            "filters": Filters(), "links": ({"text": _("All the findings"), "url": urls.findings_url()},)}


def _component_slide(row: dict) -> dict:
    found = _finding_line(row["finding"]) if row["finding"] else None
    example = row["cities"][0] if row["cities"] else None
    lines = [found["line"]] if found else []
    if example and (city := data.city(example)):
        study = spotlight(city)
        lines.append(_line(_("Example: {city} ({country})", city=city["name"],
                             country=vocabulary.city_country(city))))
        if study:
            lines.append(_line(study["title"], study["source"], vocabulary.DATA_LANG))
    filters = _filters(row["filters"])
    if filters.active:
        lines.append(_line(_("On the map: {filters}", filters=vocabulary.filters_in_words(filters))))
    return {"title": city_view.component_name(row["subject"]), "lead": found["share"] if found else "",
            "lines": tuple(lines), "filters": filters if filters.active else None}


def _recommendations_slide(row: dict) -> dict:
    group = next((g for g in findings_view.recommendations() if g["layer"] == row["subject"]), None)
    lines, named = [], []
    for rec in group["recommendations"] if group else ():
        text = f"{rec['number']}. {vocabulary.printed(rec['title'])[0]}"
        examples = ", ".join(c["name"] for c in rec["examples"])
        named += [c["id"] for c in rec["examples"]]
        study = None
        if rec["examples"] and (city := data.city(rec["examples"][0]["id"])):
            study = spotlight(city, rec["source"]["url"])
        detail = f" — {examples}" + (f": {study['title']}" if study else "") if examples else ""
        lines.append(_line(text + detail, rec["source"]))
    return {"title": _("Recommendations: {layer}", layer=vocabulary.recommendation_layer(row["subject"])),
            "lead": group["text"] if group else "", "lines": tuple(lines), "named": named, "filters": None,
            "links": ({"text": _("The ten recommendations"), "url": urls.findings_url() + "#recommendations"},)}


def _covid_slide(row: dict) -> dict:
    categories = (row["subject"],) if row["subject"] else vocabulary.facet_values("covid")
    counts = data.facet_counts(Filters())["covid"]
    lines = tuple(_line(_("{horizon} — {category}: {cities}", category=vocabulary.value_label("covid", c),
                          horizon=city_view.horizon_label(COVID_HORIZON[c]), cities=vocabulary.cities(counts.get(c, 0))))
                  for c in categories)
    filters = Filters({"covid": categories})
    title = (vocabulary.value_label("covid", row["subject"]) if row["subject"]
             else _("Four kinds of COVID-19 response"))
    return {"title": title, "lead": _("Cities that innovated through the pandemic, in the brochure's categories"),
            "lines": lines, "filters": filters}


def _city_slide(row: dict) -> dict:
    profile = city_profile(row["subject"])
    return {"title": profile["name"] if profile else row["subject"], "city": profile, "named": [row["subject"]],
            "filters": None}


def _chart_slide(row: dict) -> dict:
    drawn = chart_figure(row["chart"])
    return {"title": _("A finding of the survey"),
            "figure": big_figure(drawn[0]) if drawn else None, "chart_title": drawn[2] if drawn else None,
            "sources": tuple(drawn[1]) if drawn else (),
            "filters": None}


def _explore_slide(row: dict) -> dict:
    return {"title": _("Explore the map"), "lead": _("Every city, its answers and its sources, in the live atlas"),
            "filters": Filters(),
            "links": ({"text": _("Open the map"), "url": urls.map_url()},
                      {"text": _("Table"), "url": urls.table_url()},
                      {"text": _("Survey findings"), "url": urls.findings_url()},
                      {"text": _("Assess your city"), "url": urls.self_assessment_url()})}


KINDS = {"title": _title_slide, "survey": _survey_slide, "wellbeing": _wellbeing_slide,
         "component": _component_slide, "recommendations": _recommendations_slide, "covid": _covid_slide,
         "city": _city_slide, "chart": _chart_slide, "explore": _explore_slide}


def slide(row: dict, number_: int) -> Slide:
    """One row of the slides table as a slide (``number_``: its place, from 1)."""
    parts = KINDS[row["kind"]](row)
    named = list(parts.pop("named", None) or row["cities"] or [])
    filters = parts.pop("filters", None)
    if row["kind"] == "chart" and row["filters"]:
        filters = _filters(row["filters"])
    figure = row["kind"] in ("wellbeing",) and row["chart"] and chart_figure(row["chart"])
    if figure:
        parts["figure"], parts["chart_title"] = big_figure(figure[0]), figure[2]
    everything = filters is not None and not filters.active
    points = _points(None if everything else filters, named)
    view = map_view(points, named)
    single = named[0] if len(named) == 1 else None
    return Slide(number=number_, kind=row["kind"], highlight=tuple(points), view=view,
                 explore=urls.map_url(filters or Filters(), single), notes=row["notes"] or "",
                 everything=data.city_count() if everything else 0, **parts)


def slides() -> list[Slide]:
    """The presentation, in the order of ``data/slides.csv``."""
    return [slide(row, i) for i, row in enumerate(data.slides(), start=1)]


def city_spotlight(city_id: str) -> Slide | None:
    """A city's spotlight ("Present this city"): one slide, the city big; None for an unknown city."""
    known = data.known_city(city_id)
    if not known:
        return None
    return slide({"kind": "city", "subject": known, "finding": None, "chart": None, "cities": [known],
                  "filters": None, "notes": None}, 1)
