"""The translation layer: every string the interface shows goes through ``_``.

Source strings are English. Catalogues are gettext ``.po`` files under
``dashboard/locale/<lang>/LC_MESSAGES/messages.po`` (extracted with Babel, see
``make messages``); they are compiled in memory at start-up, so no ``.mo``
files are kept in the repository. The language of a request comes from the
``lang`` query parameter (of the request, or of the page a Dash callback
renders), then the ``atlas_lang`` cookie (set whenever a page is asked for
with ``lang=``, so later pages keep the choice), then the browser's
Accept-Language header, then ``ATLAS_LANG``. Links that leave the page's
context (permalinks, exports) carry ``lang=`` (``dashboard.urls``).
"""
from __future__ import annotations

import gettext
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g, has_request_context, request

from dashboard import config

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANG = "en"
COOKIE = "atlas_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


@lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    """Languages the interface can be shown in: English plus every catalogue (read once)."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))
    return (SOURCE_LANG, *[x for x in found if x != SOURCE_LANG])


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == SOURCE_LANG or not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def current_lang() -> str:
    """The request's language (worked out once per request), else the configured default."""
    if not has_request_context():
        return default_lang()
    lang = g.get("atlas_lang")
    if lang is None:
        lang = g.atlas_lang = _request_lang()
    return lang


def requested_lang() -> str | None:
    """The language the request's address asks for with ``lang=`` (a known one), else None.

    For a Dash callback (a page being rendered) that is the page's own address."""
    if not has_request_context():
        return None
    candidate = request.args.get("lang")
    if candidate is None and request.path.startswith("/_dash-update-component"):
        candidate = _page_query_lang()
    return candidate if candidate in available() else None


def _page_query_lang() -> str | None:
    try:
        from dash import callback_context

        search = callback_context.inputs.get("_pages_location.search")
    except Exception:  # not inside a callback
        return None
    if not isinstance(search, str):
        return None
    from urllib.parse import parse_qs

    values = parse_qs(search.lstrip("?")[:4000]).get("lang")
    return values[0] if values else None


@contextmanager
def language(lang: str) -> Iterator[None]:
    """The words of ``lang`` for the duration of the block (e.g. a word's English form, to look up a
    label printed in English); outside a request it changes nothing."""
    if not has_request_context():
        yield
        return
    before = g.get("atlas_lang")
    g.atlas_lang = lang
    try:
        yield
    finally:
        g.atlas_lang = before


def _request_lang() -> str:
    langs = available()
    for candidate in (requested_lang(), request.cookies.get(COOKIE)):
        if candidate in langs:
            return candidate
    return request.accept_languages.best_match(langs) or default_lang()


def default_lang() -> str:
    """The language of a request that asks for none (``ATLAS_LANG`` when there is its catalogue)."""
    default = config.load().default_lang
    return default if default in available() else SOURCE_LANG


def _(message: str, **values) -> str:
    """Translate ``message`` for the current request; fill ``{name}`` fields."""
    text = translations(current_lang()).gettext(message)
    return text.format(**values) if values else text


def colon() -> str:
    """What goes between a label and its value: ": " in English, " : " (a no-break space first) in French."""
    return _(": ")


def semicolon() -> str:
    """What goes between the items of a list of clauses: "; " in English, " ; " (narrow no-break space) in French."""
    return _("; ")


def ngettext(singular: str, plural: str, n: int, **values) -> str:
    text = translations(current_lang()).ngettext(singular, plural, n)
    return text.format(n=n, **values)


def number(value: float | int, digits: int = 0) -> str:
    """A number in the current language's format ("394,843" in English)."""
    return _number(value, digits, current_lang())


def number_format(digits: int = 0) -> Callable[[float | int], str]:
    """``number`` with the current language looked up once, for many numbers in a row (the
    request's language costs a context lookup each time)."""
    lang = current_lang()
    return lambda value: _number(value, digits, lang)


def decimal(value: float | int) -> str:
    """A measured value with the decimals it has, up to two ("7.5", "7" in English; "7,5" in French)."""
    return _decimal(value, current_lang())


def percent_sign() -> str:
    """What follows a number of percent: "%" in English, " %" (narrow no-break space) in French."""
    return _percent(1, current_lang())[len(_number(100, 0, current_lang())):]


def separators() -> str:
    """The decimal and the thousands separators, as plotly's ``layout.separators`` takes them."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    lang = current_lang()
    return get_decimal_symbol(lang) + get_group_symbol(lang)


def percent(share: float) -> str:
    """A share (0..1) as a whole percentage in the current language's format."""
    return _percent(share, current_lang())


# Babel's formatting takes about 0.1 ms a number; pages and filter options repeat the same few
# (counts, shares), so each is formatted once per language
@lru_cache(maxsize=4096)
def _number(value: float | int, digits: int, lang: str) -> str:
    from babel.numbers import format_decimal

    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=fmt, locale=lang)


@lru_cache(maxsize=4096)
def _decimal(value: float | int, lang: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0.##", locale=lang)


@lru_cache(maxsize=4096)
def _percent(share: float, lang: str) -> str:
    from babel.numbers import format_percent

    # the language's own pattern: "55%" in English, "55 %" in French, where the space is narrow
    # (CLDR gives a full no-break space; the catalogue's own "%" signs use the narrow one)
    return format_percent(share, locale=lang).replace("\u00a0%", "\u202f%")

