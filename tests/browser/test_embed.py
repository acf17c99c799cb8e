"""Embeds (?embed=1) as a journalist uses them: the embed code of the view as it is, pasted into an
article on another site, shows the same filtered map without the atlas's header; pages that are not
embeds refuse to be framed."""
from __future__ import annotations

import html
import re
import threading
import time
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.conftest import free_port, start_gunicorn
from tests.browser.helpers import MARKERS_JS, count_text, expect_cities, open_map

pytestmark = pytest.mark.browser

CREDITS = "City data: GeoNames (CC BY 4.0)"


@pytest.fixture(scope="module")
def atlas_url(app_env):
    """The atlas with three workers: a page of another site opens its own connections to the atlas
    (Chromium keeps one pool per top-level site, and opens some ahead of need), and an idle one holds
    a sync worker until it times out, as in production without a buffering proxy (README)."""
    proc, url = start_gunicorn(app_env, workers=3)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def news_site():
    """Another site on this machine (``localhost``, another port: another origin and site than the
    atlas's ``127.0.0.1``) serving one article page, whose iframe's address is its query string."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import unquote

    class Article(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            src = html.escape(unquote(self.path.partition("?")[2]), quote=True)  # /favicon.ico: none
            body = (f'<!DOCTYPE html><html><body><h1>An article</h1><iframe src="{src}" title="atlas" '
                    'width="900" height="560" style="border:0"></iframe></body></html>').encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Article)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}/article"
    server.shutdown()
    server.server_close()


def article(page, site: str, src: str) -> None:
    """Open the other site's article with an iframe of ``src``."""
    page.goto(site + "?" + quote(src, safe=""))


@pytest.mark.parametrize("path, what", [
    ("/?region=europe&tier=high&embed=1", "World region: Europe; Innovation-capacity tier: High"),
    ("/city/bologna-ita?embed=1", "Bologna"),
    ("/compare?cities=bologna-ita,madrid-esp&embed=1", "Bologna, Madrid"),
    ("/findings?embed=1", "Survey findings"),
    ("/findings?chart=f19&embed=1", "Survey findings"),
])
def test_an_embed_has_no_header_but_the_attribution_and_a_link_to_the_full_atlas(page, app_url, console_errors,
                                                                                path, what):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(app_url + path)
    bar = page.locator("#embed-bar")
    expect(bar).to_contain_text(what, timeout=20000)
    for hidden in (".site-header", ".site-footer", "#site-nav"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator(".embed-credit")).to_contain_text(CREDITS)
    full = bar.get_by_role("link", name="View in the full atlas")
    expect(full).to_have_attribute("href", path.replace("&embed=1", "").replace("?embed=1", ""))
    expect(full).to_have_attribute("target", "_blank")
    assert console_errors == []


def test_an_embedded_map_on_another_site_shows_the_filtered_map(page, atlas_url, news_site, console_errors):
    article(page, news_site, atlas_url + "/?region=europe&tier=high&embed=1")
    frame = page.frame_locator("iframe")
    expect(frame.locator("#embed-bar")).to_contain_text("World region: Europe", timeout=20000)
    expect(frame.locator(".site-header")).to_be_hidden()
    inner = next(f for f in page.frames if "embed=1" in f.url)
    n = int(frame.locator("#selection-count").text_content().split()[0])
    expect(frame.locator("#embed-bar")).to_contain_text(count_text(n))
    frame.locator("#atlas-map").hover()  # the reader reaches for the map: it loads Leaflet
    inner.wait_for_function(f"() => ({MARKERS_JS})() === {n}", timeout=20000)
    # the map fills its frame: the page is the frame's height, and nothing scrolls
    assert inner.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")
    assert console_errors == []


def test_a_page_that_is_not_an_embed_refuses_to_be_framed(page, atlas_url, news_site):
    for path in ("/?region=europe", "/present", "/table?embed=1"):
        article(page, news_site, atlas_url + path)
        page.wait_for_function("() => document.querySelector('iframe') !== null")
        deadline = time.monotonic() + 20
        while not page.frames[1].url.startswith("chrome-error:") and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert page.frames[1].url.startswith("chrome-error:"), path  # Chromium's "refused to connect" page
        assert page.frame_locator("iframe").locator("#react-entry-point").count() == 0


def test_the_embed_code_opens_the_view_as_it_is_now(page, atlas_url, news_site, console_errors):
    open_map(page, atlas_url + "/?region=europe")
    expect_cities(page, int(page.locator("#selection-count").text_content().split()[0]))
    page.locator("#filter-tier input[value=high]").check()
    page.wait_for_url(re.compile(r".*/\?region=europe&tier=high(&z=.*)?$"), timeout=20000)
    page.locator(".embed-tool summary").click()
    code = page.locator("#embed-code")
    view = page.url  # the view as it is now: its filters, and its zoom and centre once the map moved
    expect(code).to_have_value(f'<iframe src="{html.escape(view + "&embed=1")}" '
                               'title="City Innovation Atlas: Map of cities" width="100%" height="560" '
                               'style="border:0" loading="lazy"></iframe>')
    # pasted into an article, it shows the same selection
    n = int(page.locator("#selection-count").text_content().split()[0])
    src = code.input_value().split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    article(page, news_site, src)
    expect(page.frame_locator("iframe").locator("#embed-bar")).to_contain_text(count_text(n), timeout=20000)
    assert console_errors == []


def test_a_findings_chart_has_its_own_embed_code_that_shows_the_chart_on_another_site(page, atlas_url, news_site,
                                                                                       console_errors):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(atlas_url + "/findings?region=europe")
    first = page.locator("figure.atlas-chart").first
    title = first.locator("caption").first.text_content().split(" — ")[0]
    first.locator(".embed-tool summary").click()
    code = first.locator(".embed-code")
    expect(code).to_be_visible()
    value = code.input_value()
    src = value.split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    key = re.fullmatch(re.escape(atlas_url) + r"/findings\?chart=([a-z0-9-]+)&embed=1", src).group(1)
    assert 'title="City Innovation Atlas: ' in value
    height = int(re.search(r'height="(\d+)"', value).group(1))
    # copying it copies the chart's code (not the page's address) and says so
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    first.get_by_role("button", name="Copy embed code").click()
    expect(first.locator(".copy-status")).to_have_text("Embed code copied")
    assert page.evaluate("navigator.clipboard.readText()") == value == code.input_value()
    # pasted into an article: the chart alone, with its title, source and the atlas's credit, in its height
    article(page, news_site, src)
    frame = page.frame_locator("iframe")
    expect(frame.locator("figure.atlas-chart")).to_have_count(1, timeout=20000)
    expect(frame.locator("figure.atlas-chart caption")).to_contain_text(title)
    expect(frame.locator(".chart-source")).to_contain_text("Source:")
    expect(frame.locator(".embed-credit")).to_contain_text(CREDITS)
    expect(frame.locator(".site-header")).to_be_hidden()
    expect(frame.locator(".embed-tool")).to_have_count(0)
    inner = next(f for f in page.frames if "embed=1" in f.url)
    inner.wait_for_function("() => document.querySelector('figure.atlas-chart .main-svg') !== null", timeout=20000)
    assert f"chart={key}" in inner.url
    assert inner.evaluate("document.documentElement.scrollHeight") <= height
    assert console_errors == []
