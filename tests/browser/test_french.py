"""Every page in French: no English interface string left.

Each page is rendered in Chromium with ``?lang=fr``; every text node and every
text attribute a visitor or a screen reader meets (aria-label, title,
placeholder, alt, the document's title) is compared with the English
catalogue: a text that is an English message (its placeholders standing for
any text) is a string left untranslated. Text marked ``lang="en"`` (data
written in English: profile labels as printed, descriptions, case studies) is
skipped, and so are messages whose French is the same as the English (proper
names such as What Works Cities, "CSV", years).
"""
from __future__ import annotations

import re
import string

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Page

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

LOCALE = ROOT / "dashboard" / "locale"
PAGES = ["/", "/table", "/compare?cities=bologna-ita,madrid-esp", "/findings", "/about", "/city/bologna-ita",
         "/city/no-such-city-zzz", "/self-assessment", "/self-assessment?name=Lyon&nation=FRA&explicit=yes&iteam=no",
         "/no-such-page", "/present?slide=4", "/present?slide=10", "/present?slide=12", "/present?city=bologna-ita",
         "/city/bologna-ita?embed=1"]

# every text of the page outside elements marked lang="en", with the attributes read aloud
TEXTS_JS = """() => {
  const english = el => {
    const marked = el && el.closest('[lang]');
    return !!marked && marked !== document.documentElement && marked.getAttribute('lang').startsWith('en');
  };
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, noscript') || english(parent)) continue;
    out.push(node.textContent);
  }
  for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    if (english(el)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (el.hasAttribute(name)) out.push(el.getAttribute(name));
    }
  }
  return out;
}"""


NUMBER_FIELDS = {"n", "count", "total", "k", "shared", "points", "max", "min", "scored", "estimates", "official",
                 "respondents", "others", "yes", "no", "unknown", "listed", "year", "share", "gap", "cut", "pct", "low",
                 "high", "ticked", "stated", "ties", "rank", "missing", "example"}
NUMBER = r"[-+]?\d[\d.,\u00a0\u202f]*%?"


def _pattern(message: str) -> re.Pattern | None:
    """A message as a regular expression (a count's placeholder: a number; others: any text); None
    when the message has no word of its own to recognise it by."""
    parts = []
    literal = ""
    for text, name, _, _ in string.Formatter().parse(" ".join(message.split())):
        parts.append(re.escape(text))
        literal += text
        if name is not None:
            parts.append(NUMBER if name in NUMBER_FIELDS else ".+?")
    if not re.search(r"[A-Za-z]{2,}", literal):
        return None
    return re.compile("".join(parts), re.S)


def english_messages() -> dict[str, re.Pattern]:
    """The English catalogue's messages whose French differs, each as a pattern."""
    with open(LOCALE / "fr" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        french = read_po(fh)
    out = {}
    for m in french:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        forms = m.string if isinstance(m.string, (list, tuple)) else (m.string,)
        for msgid in ids:
            if msgid in forms:
                continue  # the same in French
            pattern = _pattern(msgid)
            if pattern is not None:
                out[msgid] = pattern
    return out


def english_left(texts: list[str], messages: dict[str, re.Pattern]) -> list[tuple[str, str]]:
    found = []
    for text in {" ".join(t.split()) for t in texts if t and t.strip()}:
        for msgid, pattern in messages.items():
            if pattern.fullmatch(text):
                found.append((msgid, text))
    return sorted(found)


def test_pattern_finds_a_message_with_its_values_filled_in():
    messages = {"m": _pattern("{count} of {total} cities"), "n": _pattern("Research note: ")}
    assert english_left(["12 of 109 cities", "Research note:", "12 villes sur 109"], messages) == [
        ("m", "12 of 109 cities"), ("n", "Research note:")]
    assert _pattern("{title}: {values}") is None and _pattern("{n} (GeoNames)") is not None


def render_french(page: Page, app_url: str, path: str) -> list[str]:
    page.goto(app_url + path + ("&" if "?" in path else "?") + "lang=fr")
    page.wait_for_selector("#main h1", timeout=20000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # the last callbacks' answers drawn
    assert page.evaluate("document.documentElement.lang") == "fr"
    return page.evaluate(TEXTS_JS)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_in_french_has_no_english_interface_string(page, app_url, console_errors, path):
    texts = render_french(page, app_url, path)
    assert any("Carte" in t for t in texts)  # the French page frame
    left = english_left(texts, english_messages())
    assert not left, "\n".join(f"{msgid!r} shown as {text!r}" for msgid, text in left)
    # the 404 pages' own status is the one resource that fails
    assert [e for e in console_errors if not ("404" in e and "no-such" in path)] == []
