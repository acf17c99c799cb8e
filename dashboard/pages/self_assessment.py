"""Assess a city that is not in the atlas (``/self-assessment``): the profile questions, and the
estimate for the answers. The answers live in the URL only; the logic is in
``dashboard/views/self_assessment.py``."""
import dash
from dash import Input, Output, clientside_callback, dcc, html

from dashboard import ids, urls, vocabulary
from dashboard.i18n import _, ngettext
from dashboard.pages.city import component_block
from dashboard.ui.first_view import page_html
from dashboard.ui.static_html import input_element
from dashboard.ui.components import bar, source_link
from dashboard.views import self_assessment as sa

PAGE_CLASS = "prose self-assessment"


def first_view(_query) -> str:
    """The page's heading and introduction as HTML before any script runs (app.py ``first_paint``);
    the form, drawn by Dash, follows."""
    return page_html(html.Article(page_top(), className=PAGE_CLASS))


dash.register_page(__name__, path=urls.SELF_ASSESSMENT_PATH, title=sa.page_title, name="Self-assessment",
                   first_view=first_view)

NUMERIC = ("residents", "popyear", "nroles")
RADIO_FIELDS = ("explicit", "approach", "iteam", "budget")
CHECK_FIELDS = ("policies", "roles", "terms", "aims", "factors")


# The form is plain HTML (a GET form that no callback reads, so it reaches the browser as one static
# part): the browser alone keeps what is typed and ticked, and Enter in a field sends it, with none of
# the work Dash's controls cost a phone as the page is drawn. Sent, its fields come back as a request
# with ``sent=1``, which dashboard/web/self_assessment.py moves to the answers' own address
# (``sa.sent_address``); the page is drawn from that address.

def message(name: str, checked: sa.Checked):
    out = []
    if name in checked.errors:
        out.append(html.P([html.Strong(_("Check this answer: ")), checked.errors[name]], className="field-error",
                          id=_error_id(name)))
    if name in checked.notes:
        out.append(html.P(checked.notes[name], className="field-note"))
    return out


def _error_id(name: str) -> str:
    return ids.sa_field(name) + "-error"


def _invalid(name: str, checked: sa.Checked) -> dict:
    """A field's attributes when its answer needs a change: marked, and described by the message."""
    return {"aria-invalid": "true", "aria-describedby": _error_id(name)} if name in checked.errors else {}


def _described(name: str, checked: sa.Checked) -> dict:
    """A question's group (a fieldset, which takes no aria-invalid) described by its message."""
    return {"aria-describedby": _error_id(name)} if name in checked.errors else {}


def hint_line(name: str):
    text = sa.hint(name)
    return html.P(text, className="field-hint") if text else None


def text_field(name: str, value: str, checked: sa.Checked) -> html.Div:
    extra = {"inputMode": "numeric"} if name in NUMERIC else {}
    return html.Div([
        html.Label(sa.question(name), htmlFor=ids.sa_field(name)),
        input_element(id=ids.sa_field(name), name=name, type="text", value=value, maxLength=urls.MAX_TEXT_CHARS,
                      autoComplete="off", className="field-input" + (" invalid" if name in checked.errors else ""),
                      **extra, **_invalid(name, checked)),
        hint_line(name),
        *message(name, checked),
    ], className="field")


def country_field(value: str, checked: sa.Checked) -> html.Div:
    options = [html.Option(_("Choose the country"), value="")]
    options += [html.Option(words, value=code, selected=code == value) for code, words in sa.country_options()]
    return html.Div([
        html.Label(sa.question("nation"), htmlFor=ids.sa_field("nation")),
        html.Select(options, id=ids.sa_field("nation"), name="nation",
                    className="field-input field-select" + (" invalid" if "nation" in checked.errors else ""),
                    **_invalid("nation", checked)),
        *message("nation", checked),
    ], className="field")


def _choices(name: str, kind: str, chosen) -> html.Div:
    return html.Div([html.Label([input_element(type=kind, name=name, value=code, checked=code in chosen,
                                               className="facet-input"), words])
                     for code, words in sa.choices(name)],
                    id=ids.sa_field(name), className="choice-list" + (" columns" if kind == "checkbox" else " inline"))


def radio_field(name: str, value: str, checked: sa.Checked) -> html.Fieldset:
    return html.Fieldset([
        html.Legend(sa.question(name)),
        _choices(name, "radio", {value or ""}),
        *message(name, checked),
    ], className="field question", **_described(name, checked))


def check_field(name: str, value: list, checked: sa.Checked) -> html.Fieldset:
    return html.Fieldset([
        html.Legend(sa.question(name)),
        hint_line(name),
        _choices(name, "checkbox", set(value)),
        *message(name, checked),
    ], className="field question", **_described(name, checked))


def ranks_field(ranks: dict, checked: sa.Checked) -> html.Fieldset:
    rows = [html.Div([
        input_element(id=ids.sa_rank(code), name=sa.RANK_FIELD + code, type="text", inputMode="numeric", maxLength=3,
                      autoComplete="off", value=str(ranks[code]) if code in ranks else "", className="rank-input"),
        html.Label(words, htmlFor=ids.sa_rank(code)),
    ], className="rank-row") for code, words in sa.choices("activities")]
    return html.Fieldset([html.Legend(sa.question("activities")), hint_line("activities"), *rows,
                          *message("activities", checked)], className="field question")


def control(name: str, values: dict, checked: sa.Checked):
    if name == "nation":
        return country_field(values[name], checked)
    if name == "activities":
        return ranks_field(values["ranks"], checked)
    if name in RADIO_FIELDS:
        return radio_field(name, values[name], checked)
    if name in CHECK_FIELDS:
        return check_field(name, values[name], checked)
    return text_field(name, values[name], checked)


def form(checked: sa.Checked) -> html.Form:
    values = sa.form_values(checked.answers)
    groups = [html.Fieldset([html.Legend(sa.group_title(group), className="group-legend"),
                             *[control(name, values, checked) for name in names]],
                            className=f"sa-group sa-group-{group}") for group, names in sa.GROUPS]
    lang = urls.link_lang()
    return html.Form([
        *groups,
        input_element(type="hidden", name=sa.SENT, value="1"),
        input_element(type="hidden", name="lang", value=lang) if lang else None,
        html.Button(_("Show the estimate"), className="button primary", type="submit"),
    ], id=ids.SA_FORM, className="sa-form", method="get", action=urls.SELF_ASSESSMENT_PATH, noValidate=True)


# ------------------------------------------------------------------ the outcome

def error_summary(checked: sa.Checked) -> html.Section:
    names = [n for _g, group in sa.GROUPS for n in group if n in checked.errors]
    return html.Section([
        html.H2(ngettext("{n} answer needs a change", "{n} answers need a change", len(names)),
                id=ids.SA_OUTCOME, tabIndex="-1"),
        html.Ul([html.Li(html.A(f"{sa.question(n)}: {checked.errors[n]}", href="#" + ids.sa_field(n)))
                 for n in names]),
    ], className="sa-errors")


def histogram(r: dict) -> html.Figure:
    st = r["standing"]
    top = max(st["bins"]) or 1
    cols = []
    for i, n in enumerate(st["bins"]):
        mine = st["mine"] == i
        cols.append(html.Div([
            html.Span(str(n), className="sa-bin-count"),
            html.Div(className="sa-bin-bar", style={"height": f"{100 * n / top:.0f}%"}),
            html.Span(f"{i}–{i + 1}", className="sa-bin-label", **{"aria-hidden": "true"}),
            html.Span(_("▲ {city}", city=r["name"]), className="sa-bin-mine") if mine else None,
        ], className="sa-bin mine" if mine else "sa-bin"))
    words = "; ".join(f"{sa.bin_label(i)}: {vocabulary.cities(n)}" for i, n in enumerate(st["bins"]))
    return html.Figure([
        html.Div(cols, className="sa-histogram", role="img",
                 **{"aria-label": _("Surveyed cities by estimate: {bins}", bins=words)}),
        html.Figcaption(_("Surveyed cities by the atlas's estimate, in bands of one point (the last includes 10); "
                          "{city}'s band is marked.", city=r["name"])),
    ], className="sa-distribution")


def result_section(r: dict) -> html.Section:
    body = [html.H2(_("The estimate for {city}, {country}", city=r["name"], country=r["country"]),
                    id=ids.SA_OUTCOME, tabIndex="-1"),
            html.P(html.Strong(r["tier_text"]), className="tier-words")]
    if r["score"] is not None:
        body += [html.P([html.Span(f"{r['score']:g}", className="score-value"), " / 10"], className="score-line"),
                 bar(r["score"], 10, f"{r['score']:g} / 10")]
    else:
        body.append(html.P(_("Not enough answers for an estimate: {n} of 5 components are answered, and the "
                             "estimate needs at least 3, as for the surveyed cities.", n=r["answered"]),
                           className="not-published"))
    body.append(html.P([_("Estimate by the atlas from your answers, by the same rules as for the surveyed cities; "
                          "not an OECD score. "), html.A(_("How the estimate is computed"), href=urls.METHOD_URL)],
                       className="score-provenance"))
    body += [html.H3(_("The five components, from your answers")),
             html.Ol([component_block(c) for c in r["components"]], className="components")]
    st = r["standing"]
    body += [html.H3(_("Among the surveyed cities")),
             html.P(st["text"] or _("Without an estimate the city has no place among the {n} surveyed cities with "
                                    "one.", n=st["scored"])),
             histogram(r)]
    body.append(html.H3(_("Surveyed cities with the most similar answers")))
    if r["similar"]:
        body.append(html.Ol([html.Li([html.A(s["name"], href=s["href"]), f", {s['country']}",
                                      html.Span(f" · {s['tier_text']}", className="similar-tier"),
                                      html.Div(s["why"], className="similar-why")]) for s in r["similar"]],
                            className="sa-similar"))
    else:
        body.append(html.P(_("No surveyed city shares an answer with these yet: answer more questions."),
                           className="not-published"))
    body.append(html.H3(_("Recommendations for the weakest components")))
    if r["recommendations"]:
        body += [html.P(_("The weakest: {components}. The OECD brochure's recommendations for them:",
                          components=", ".join(r["weakest"]))),
                 html.Ol([html.Li([html.H4(f"{x['number']}. {x['title']}"), html.P(x["summary"]),
                                   html.P([_("For: {components}. ", components=", ".join(x["components"])),
                                           source_link(x["source"])], className="section-source")],
                                  className="entry") for x in r["recommendations"]], className="entries sa-recs")]
    else:
        body.append(html.P(_("No answered component is below full points."), className="not-published"))
    body.append(html.P(html.A(_("All ten recommendations of the brochure"), href=r["all_recommendations"])))
    links = r["links"]
    body += [html.H3(_("Keep or send your answers")),
             html.P(_("Nothing is stored on the server: the answers are only in this page's address. Bookmark or "
                      "share it to come back to this result.")),
             html.P([html.A(_("Link to this assessment"), href=links["share"], className="sa-share")]),
             html.P(_("To be added to the atlas, send the answers to the OECD survey team in the form its data "
                      "import reads (one row of profile answers; the city would get the id {id}).", id=r["city_id"])),
             html.Nav([html.A(_("Download the answers as CSV"), href=links["csv"], className="button", download=""),
                       html.A(_("Download the answers as JSON"), href=links["json"], className="button",
                              download="")], className="actions", **{"aria-label": _("Downloads")})]
    if r["known_href"]:
        body.insert(2, html.P([_("{city} is already in the atlas: ", city=r["name"]),
                               html.A(_("see its published profile"), href=r["known_href"])], className="fact-note"))
    return html.Section(body, className="sa-result score score-estimate")


def outcome(checked: sa.Checked):
    if checked.errors:
        return error_summary(checked)
    if checked.empty:
        return None
    return result_section(sa.result(checked))


def page_top() -> list:
    """The heading, the introduction and the note that nothing is stored: what comes before the form."""
    return [
        html.H1(_("Assess your city")),
        html.P(_("Is your city not on the map? Answer the questions of the OECD city profile to see the atlas's "
                 "estimate of its innovation capacity, where it would sit among the surveyed cities and which "
                 "surveyed cities answered most like it. Every question is optional except the city's name and "
                 "country; an unanswered component is left out of the estimate, not counted as zero.")),
        html.P(_("Nothing you enter is stored: the answers are kept only in this page's address."),
               className="fact-note"),
    ]


def layout(**query):
    checked = sa.check(query)
    if checked.empty and urls.parameters(query).get(sa.SENT):  # sent with nothing answered
        checked = sa.nothing_answered()
    shown = outcome(checked)
    return html.Article([
        *page_top(),
        form(checked),
        html.Div(shown),
        dcc.Store(id=ids.SA_FOCUS_REQUEST, data=0 if shown is None else 1),
        dcc.Store(id=ids.SA_FOCUS),
    ], id=ids.SA_PAGE, className=PAGE_CLASS,
        # every static part written as the page is drawn (assets/atlas_static.js): the browser scrolls to
        # the outcome as it takes the focus, and nothing above it may grow after
        **{"data-static-now": "true"})


# Move the keyboard focus to the result or to the list of answers to change when the page is drawn
# with answers or sent (after a submit, or from a shared URL).
FOCUS_OUTCOME = """function(request) {
    const el = request && document.getElementById("%s");
    if (el) { setTimeout(function () { el.focus(); }, 0); }
    return window.dash_clientside.no_update;
}""" % ids.SA_OUTCOME
clientside_callback(FOCUS_OUTCOME, Output(ids.SA_FOCUS, "data"), Input(ids.SA_FOCUS_REQUEST, "data"))
