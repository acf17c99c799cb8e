"""The translation layer: every string the interface shows goes through ``_``.

Source strings are English. Catalogues are gettext ``.po`` files under
``dashboard/locale/<lang>/LC_MESSAGES/messages.po`` (extracted with Babel, see
``make messages``); they are compiled in memory at start-up, so no ``.mo``
files are kept in the repository. The language of a request comes from the
``lang`` query parameter, then the ``atlas_lang`` cookie, then the browser's
Accept-Language header, then ``ATLAS_LANG``.
"""
from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g, has_request_context, request

from dashboard import config

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANG = "en"


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
        return _default_lang()
    lang = g.get("atlas_lang")
    if lang is None:
        lang = g.atlas_lang = _request_lang()
    return lang


def _request_lang() -> str:
    langs = available()
    for candidate in (request.args.get("lang"), request.cookies.get("atlas_lang")):
        if candidate in langs:
            return candidate
    return request.accept_languages.best_match(langs) or _default_lang()


def _default_lang() -> str:
    default = config.load().default_lang
    return default if default in available() else SOURCE_LANG


def _(message: str, **values) -> str:
    """Translate ``message`` for the current request; fill ``{name}`` fields."""
    text = translations(current_lang()).gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, **values) -> str:
    text = translations(current_lang()).ngettext(singular, plural, n)
    return text.format(n=n, **values)


def number(value: float | int, digits: int = 0) -> str:
    """A number in the current language's format ("394,843" in English)."""
    return _number(value, digits, current_lang())


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
def _percent(share: float, lang: str) -> str:
    from babel.numbers import format_percent

    return format_percent(share, format="#,##0%", locale=lang)
