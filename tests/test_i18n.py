"""Every interface string goes through the translation layer, and every catalogue is complete."""
from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from dashboard import i18n
from tests.conftest import ROOT

LOCALE = ROOT / "dashboard" / "locale"
TEMPLATE = LOCALE / "messages.pot"
NBSP, NNBSP = "\u00a0", "\u202f"


def _msgids(path) -> set[str]:
    with open(path, "rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def fields(text: str) -> set[str]:
    """The ``{name:spec}`` fields of a message ("{share:.0f}" stays whole: the spec must match too)."""
    out = set()
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            out.add("{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}")
    return out


def catalogue_problems(template: Path, po: Path) -> list[str]:
    """What is wrong with the catalogue ``po`` against ``template``: a template string without its
    translation (missing, fuzzy or empty, any plural form), an entry the template no longer has,
    a placeholder that differs between the English and the translation, wrong plural forms."""
    with open(template, "rb") as fh:
        pot = read_po(fh)
    with open(po, "rb") as fh:
        cat = read_po(fh)
    problems = []
    wanted = {m.id for m in pot if m.id}
    expected_plurals = get_plural(cat.locale)
    if cat.num_plurals != expected_plurals.num_plurals or cat.plural_expr != expected_plurals.plural_expr:
        problems.append(f"Plural-Forms is {cat.plural_forms!r}, Babel's for {cat.locale} is "
                        f"{expected_plurals.plural_forms!r}")
    for m in pot:
        if not m.id:
            continue
        entry = cat.get(m.id)
        if entry is None:
            problems.append(f"missing: {m.id!r}")
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {m.id!r}")
        forms = entry.string if isinstance(entry.string, (list, tuple)) else (entry.string,)
        if isinstance(m.id, tuple) and len(forms) != cat.num_plurals:
            problems.append(f"{len(forms)} plural forms instead of {cat.num_plurals}: {m.id!r}")
        if not all(forms):
            problems.append(f"empty: {m.id!r}")
            continue
        english = set().union(*(fields(x) for x in (m.id if isinstance(m.id, tuple) else (m.id,))))
        for form in forms:
            if fields(form) != english:
                problems.append(f"placeholders {sorted(fields(form))} instead of {sorted(english)}: {form!r}")
    problems += [f"unused (not in the template): {m.id!r}" for m in cat if m.id and m.id not in wanted]
    return problems


def catalogues() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/messages.po"))


def test_catalogue_template_is_up_to_date(tmp_path):
    out = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "--no-location", "-F",
                    "babel.cfg", "-o", str(out), "app.py", "dashboard", "layers"], cwd=ROOT, check=True,
                   capture_output=True)
    assert _msgids(out) == _msgids(TEMPLATE), "run `make messages` and commit dashboard/locale/messages.pot"


def test_there_is_a_french_catalogue():
    assert LOCALE / "fr" / "LC_MESSAGES" / "messages.po" in catalogues()
    assert i18n.available() == ("en", "fr")


@pytest.mark.parametrize("po", catalogues(), ids=lambda p: p.parent.parent.name)
def test_catalogue_is_complete(po):
    problems = catalogue_problems(TEMPLATE, po)
    assert not problems, "\n".join(problems[:40])


def _write(path: Path, catalog: Catalog) -> Path:
    with open(path, "wb") as fh:
        write_po(fh, catalog)
    return path


def test_completeness_check_finds_each_kind_of_problem(tmp_path):
    pot = Catalog()
    pot.add("Map")
    pot.add("Table")
    pot.add("{count} city")
    pot.add(("{n} city", "{n} cities"))
    pot.add("{share:.0f}% yes")
    template = _write(tmp_path / "messages.pot", pot)

    def problems(changes: dict | None = None):
        fr = Catalog(locale="fr")
        entries = {"Map": "Carte", "Table": "Tableau", "{count} city": "{count} ville",
                   ("{n} city", "{n} cities"): ("{n} ville", "{n} villes", "{n} villes"),
                   "{share:.0f}% yes": "{share:.0f} % de oui", **(changes or {})}
        for msgid, msgstr in entries.items():
            if msgstr is None:
                continue
            fuzzy = isinstance(msgstr, str) and msgstr.startswith("~")
            fr.add(msgid, msgstr.lstrip("~") if fuzzy else msgstr, flags=("fuzzy",) if fuzzy else ())
        return catalogue_problems(template, _write(tmp_path / "fr.po", fr))

    assert problems() == []
    assert problems({"Map": None}) == ["missing: 'Map'"]
    assert problems({"Map": "~Carte"}) == ["fuzzy: 'Map'"]
    assert problems({"Table": ""}) == ["empty: 'Table'"]
    assert problems({"Legend": "Légende"}) == ["unused (not in the template): 'Legend'"]
    assert len(problems({"{count} city": "{n} ville"})) == 1  # placeholder renamed
    assert len(problems({"{share:.0f}% yes": "{share} % de oui"})) == 1  # format spec dropped
    assert len(problems({("{n} city", "{n} cities"): ("{n} ville", "villes", "{n} villes")})) == 1
    assert len(problems({("{n} city", "{n} cities"): ("{n} ville", "{n} villes")})) == 1  # fr has 3 forms


def test_french_typography_in_the_catalogue():
    """French puts a no-break space before : ; ? ! % and inside « » (never a plain space, which
    would let the sign start a line)."""
    with open(LOCALE / "fr" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        cat = read_po(fh)
    bad = []
    for m in cat:
        for form in (m.string if isinstance(m.string, (list, tuple)) else (m.string,)):
            if m.id and any(sign in form for sign in (" :", " ;", " ?", " !", " %", "« ", " »")):
                bad.append(form)
    assert not bad, bad[:10]


def test_a_catalogue_translates_the_interface(monkeypatch, tmp_path, flask_client):
    catalog = Catalog(locale="fr")
    catalog.add("About the data", "À propos des données")
    catalog.add("{n} cities shown", "{n} villes affichées")
    po_dir = tmp_path / "fr" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    with open(po_dir / "messages.po", "wb") as fh:
        write_po(fh, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    i18n.available.cache_clear()
    try:
        import app as app_module

        with app_module.server.test_request_context("/?lang=fr"):
            assert i18n.available() == ("en", "fr")
            assert i18n._("About the data") == "À propos des données"
            assert "À propos des données" in str(app_module.shell().to_plotly_json())
        with app_module.server.test_request_context("/?lang=xx"):
            assert i18n._("About the data") == "About the data"
    finally:
        i18n.translations.cache_clear()
        i18n.available.cache_clear()


# ------------------------------------------------------------------ the language of a request

def _html_lang(response) -> str:
    text = response.get_data(as_text=True)
    return text[text.index("<html"):text.index(">", text.index("<html")) + 1]


def test_accept_language_picks_the_language_and_html_lang_follows(app_env):
    import app as app_module

    client = app_module.server.test_client()  # no cookie
    assert _html_lang(client.get("/table", headers={"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.5"})) \
        == '<html lang="fr">'
    assert _html_lang(client.get("/table", headers={"Accept-Language": "de, en;q=0.5"})) == '<html lang="en">'
    assert _html_lang(client.get("/table")) == '<html lang="en">'  # nothing asked: ATLAS_LANG
    assert client.get_cookie(i18n.COOKIE) is None  # only lang= sets it


def test_lang_parameter_is_kept_by_a_cookie(app_env):
    import app as app_module

    client = app_module.server.test_client()
    first = client.get("/about?lang=fr", headers={"Accept-Language": "en"})
    assert _html_lang(first) == '<html lang="fr">'
    assert "Cookie" in first.headers["Vary"] and "Accept-Language" in first.headers["Vary"]
    assert client.get_cookie(i18n.COOKIE).value == "fr"
    # later pages, the page frame (Dash's layout request) and its callbacks keep French
    assert _html_lang(client.get("/table", headers={"Accept-Language": "en"})) == '<html lang="fr">'
    assert "Carte" in client.get("/_dash-layout").get_data(as_text=True)
    # an unknown language changes nothing; lang=en switches back
    client.get("/about?lang=xx")
    assert client.get_cookie(i18n.COOKIE).value == "fr"
    client.get("/about?lang=en")
    assert client.get_cookie(i18n.COOKIE).value == "en"
    assert "Carte" not in client.get("/_dash-layout").get_data(as_text=True)
    # the data API never sets it
    client.get("/api/cities.json?lang=fr")
    assert client.get_cookie(i18n.COOKIE).value == "en"


def test_language_switcher_in_the_page_frame(app_env):
    import app as app_module

    for lang, current in (("en", "English"), ("fr", "Français")):
        with app_module.server.test_request_context(f"/?lang={lang}"):
            switch = app_module.language_switch()
            links = [c.to_plotly_json()["props"] for c in switch.children if c._type == "A"]
            assert [(a["children"], a["href"], a["lang"]) for a in links] == [
                ("English", "?lang=en", "en"), ("Français", "?lang=fr", "fr")]
            assert [a["children"] for a in links if a.get("aria-current")] == [current]
            assert switch.to_plotly_json()["props"]["aria-label"] == ("Language" if lang == "en" else "Langue")


def test_links_keep_a_language_other_than_the_default(app_env):
    import app as app_module
    from dashboard import urls
    from dashboard.facets import Filters

    europe = Filters({"region": ("europe",)})
    with app_module.server.test_request_context("/?lang=fr"):
        assert urls.map_url(europe, city="bologna-ita") == "/?region=europe&city=bologna-ita&lang=fr"
        assert urls.table_url(europe) == "/table?region=europe&lang=fr"
        assert urls.findings_url() == "/findings?lang=fr"
        assert urls.compare_url(["bologna-ita", "madrid-esp"]) == "/compare?cities=bologna-ita,madrid-esp&lang=fr"
        assert urls.city_url("bologna-ita") == "/city/bologna-ita?lang=fr"
        assert urls.about_url("sources") == "/about?lang=fr#sources"
        assert urls.api_cities_url("csv", europe) == "/api/cities.csv?region=europe&lang=fr"
        assert urls.city_url("bologna-ita", lang=None) == "/city/bologna-ita"  # the API's own links
        assert urls.lang_url("/table", "?region=europe&lang=fr&junk=1", "en") == "/table?region=europe&lang=en"
    with app_module.server.test_request_context("/?lang=en"):  # the default language: bare links
        assert urls.map_url(europe) == "/?region=europe"
        assert urls.city_url("bologna-ita") == "/city/bologna-ita"
    assert urls.table_url(europe) == "/table?region=europe"  # outside a request


def test_api_rows_do_not_vary_with_the_visitor(flask_client):
    import app as app_module

    client = app_module.server.test_client()
    client.set_cookie(i18n.COOKIE, "fr")
    rows = client.get("/api/cities.json?region=europe", headers={"Accept-Language": "fr"}).get_json()["rows"]
    assert rows and all(r["city_path"] == "/city/" + r["id"] for r in rows)
    city = client.get("/api/cities/bologna-ita.json").get_json()["city"]
    assert city["city_path"] == "/city/bologna-ita"


def test_numbers_and_words_in_french(app_env):
    import app as app_module
    from dashboard import vocabulary

    with app_module.server.test_request_context("/?lang=fr"):
        assert vocabulary.tier_label("high", "official", 7.5) == \
            "Capacité d'innovation\u00a0: élevée, 7,5 sur 10 (score officiel de l'OCDE)"
        assert vocabulary.tier_label("low", "estimate") == "Capacité d'innovation\u00a0: faible (estimation)"
        assert i18n.percent(0.55) == "55\u202f%"
        assert i18n.number(394843) == "394\u202f843"
        assert i18n.decimal(7.5) == "7,5" and i18n.decimal(6) == "6"
        from dashboard.views import chart_style

        assert chart_style.pct(12.5) == "12,5\u202f%" and i18n.separators() == ",\u202f"  # charts too
        assert vocabulary.cities(1) == "1 ville" and vocabulary.cities(0) == "0 ville"
        assert vocabulary.cities(23) == "23 villes"
        assert vocabulary.value_label("region", "latin-america") == "Amérique latine"
        assert vocabulary.page_title("table") == "Tableau - Atlas de l'innovation des villes"
    with app_module.server.test_request_context("/?lang=en"):
        assert vocabulary.tier_label("high", "official", 7.5) == \
            "Innovation capacity: high, 7.5 of 10 (official OECD score)"
        assert i18n.percent(0.55) == "55%"
        assert chart_style.pct(12.5) == "12.5%" and i18n.separators() == ".,"


def test_labels_as_printed_take_the_atlas_words_or_keep_their_language(app_env):
    import app as app_module
    from dashboard import vocabulary

    with app_module.server.test_request_context("/?lang=fr"):
        assert vocabulary.printed("Project manager") == ("Chef de projet", None)
        assert vocabulary.printed("Economic development") == ("Développement économique", None)
        assert vocabulary.printed("Yes") == ("Oui", None) and vocabulary.printed("Other") == ("Autre", None)
        assert vocabulary.printed("Mayor's office") == ("Mayor's office", "en")  # not a word of the atlas
        assert vocabulary.printed("Not published") == ("Not published", "en")  # "unknown" is no printed label
        assert vocabulary.cities(2) == "2 villes"  # the lookup left the request's language as it was
    with app_module.server.test_request_context("/?lang=en"):
        assert vocabulary.printed("Project manager") == ("Project manager", None)


def test_api_meta_wording_follows_lang_in_the_address_only(flask_client):
    import app as app_module

    client = app_module.server.test_client()
    english = client.get("/api/cities.json?region=europe")
    french = client.get("/api/cities.json?region=europe&lang=fr")
    assert "Natural Earth (public domain)" in english.get_json()["meta"]["licence"]
    assert "Natural Earth (domaine public)" in french.get_json()["meta"]["licence"]
    assert french.get_json()["meta"]["note"].startswith("psi_index et psi_tier")
    assert french.get_json()["rows"] == english.get_json()["rows"]  # the data itself does not change
    assert french.headers["ETag"] != english.headers["ETag"]
    # the visitor's cookie or browser never changes an address's answer
    client.set_cookie(i18n.COOKIE, "fr")
    again = client.get("/api/cities.json?region=europe", headers={"Accept-Language": "fr"})
    assert again.get_json()["meta"] == english.get_json()["meta"] and again.headers["ETag"] == english.headers["ETag"]


def test_component_points_agree_in_number(app_env):
    import app as app_module
    from dashboard import vocabulary

    with app_module.server.test_request_context("/?lang=fr"):
        assert [vocabulary.points_of(p, 2) for p in (0, 1, 2)] == ["0 point sur 2", "1 point sur 2", "2 points sur 2"]
    with app_module.server.test_request_context("/?lang=en"):
        assert [vocabulary.points_of(p, 2) for p in (1, 2)] == ["1 of 2 points", "2 of 2 points"]


def test_every_recommendation_title_of_the_data_has_its_french(app_env, store):
    import app as app_module
    from dashboard import vocabulary

    titles = [r["title"] for r in store.recommendations()]
    assert len(titles) == 10
    with app_module.server.test_request_context("/?lang=fr"):
        shown = [vocabulary.printed(t) for t in titles]
    assert all(lang is None and text != title for (text, lang), title in zip(shown, titles)), \
        "a title in data/recommendations.csv changed: give its words to vocabulary._recommendation_titles"


def test_country_names_follow_the_language(flask_client):
    """Country names come from Babel's CLDR data by the cities' ISO3 codes in French, and stay as
    the data writes them in English (no list of names typed in the code)."""
    import app as app_module
    from dashboard import data, vocabulary
    from dashboard.views import city_view, map_view

    bologna = data.city("bologna-ita")
    with app_module.server.test_request_context("/?lang=fr"):
        assert vocabulary.country_name("United States") == "États-Unis"
        assert vocabulary.country_name("Italy", "ITA") == "Italie"
        assert city_view.subtitle(bologna).startswith("Italie · ")
        assert vocabulary.value_label("country", "DEU") == "Allemagne"
        # every country of the map, in French where CLDR knows it, else as the data writes it
        names = vocabulary.map_labels()["countries"]
        written = {c["iso3"]: c["country"] for c in data.world_countries()}
        assert names.keys() == written.keys()
        assert names["GBR"] == "Royaume-Uni" and names["CYN"] == written["CYN"]
        # the search finds a city by its country's name in either language
        option = next(o for o in map_view.city_options(None, None) if o["value"] == "bologna-ita")
        assert option["label"] == "Bologna (Italie)" and "italy" in option["search"] and "italie" in option["search"]
    with app_module.server.test_request_context("/?lang=en"):
        assert vocabulary.country_name("United States") == "United States"
        assert city_view.subtitle(bologna).startswith("Italy · ")
        assert vocabulary.map_labels()["countries"] == {}
