"""Codes a plan writes, checked against CLDR: countries (ISO 3166), currencies (ISO 4217), languages.

Each check says what is wrong and, where one is close, which code was meant.
"""
from __future__ import annotations

import difflib
import functools
import os
from collections.abc import Collection

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import get_territory_currencies, list_currencies

from ..diagnostics import Diagnostics, Location

ORGANISATIONS_FILE = "organisations.yaml"

# CLDR's regions, less those that are no ISO 3166-1 country (EU, UN, "unknown region"…)
_NOT_COUNTRIES = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
COUNTRIES = frozenset(
    code for code in Locale("en").territories
    if isinstance(code, str) and len(code) == 2 and code.isalpha() and code.isupper() and code not in _NOT_COUNTRIES
)
_ALPHA3 = {alias: codes[0] for alias, codes in get_global("territory_aliases").items() if len(alias) == 3 and alias.isalpha() and codes[0] in COUNTRIES}
_CURRENCIES = frozenset(list_currencies())
# currencies in use somewhere today: the ones worth suggesting (not USN, a fund code)


def party_problem(code: str, organisations: Collection[str], countries_only: bool) -> tuple[str, str] | None:
    """What is wrong with a country code (or, unless ``countries_only``, an organisation id), and its code."""
    if code in COUNTRIES or (not countries_only and code in organisations):
        return None
    if code.upper() in COUNTRIES and code != code.upper():
        return f"'{code}': write country codes in capitals ('{code.upper()}')", "plan.unknown-country"
    known = sorted(COUNTRIES) + ([] if countries_only else sorted(organisations))
    close = [_ALPHA3[code.upper()]] if code.upper() in _ALPHA3 else difflib.get_close_matches(code, known, n=1, cutoff=0.5)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    if countries_only:
        return f"'{code}' is not an ISO 3166 country code{hint}", "plan.unknown-country"
    return (
        f"'{code}' is neither an ISO 3166 country code nor an organisation declared in {ORGANISATIONS_FILE}{hint}",
        "plan.unknown-participant",
    )


def currency_problem(currency: str) -> str | None:
    if currency in _CURRENCIES:
        return None
    close = _closest(currency.upper(), _tender())
    hint = f" (did you mean '{close}'?)" if close else ""
    return f"'{currency}' is not an ISO 4217 currency code{hint}"


def check_language(code: str, location: Location, diagnostics: Diagnostics) -> None:
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        diagnostics.error(location, f"'{code}' is not a language code (e.g. es, en, pt, fr)", "plan.unknown-language")


def language_name(code: str) -> str:
    """A language's English name for messages ("Portuguese"), or its code when CLDR has none."""
    try:
        return Locale("en").languages.get(str(Locale.parse(code).language), code)
    except (UnknownLocaleError, ValueError, TypeError):
        return code


@functools.cache
def _tender() -> frozenset[str]:
    """The currencies some country uses: what a misspelt code is compared with (read only then: 20 ms)."""
    return frozenset(c for t in COUNTRIES for c in get_territory_currencies(t, tender=True))


def _closest(word: str, candidates: Collection[str]) -> str | None:
    """The most similar candidate; among equals, the one sharing the longest beginning."""
    scored = [
        (difflib.SequenceMatcher(None, word, c).ratio(), len(os.path.commonprefix([word, c])), c)
        for c in sorted(candidates)
    ]
    scored = [item for item in scored if item[0] >= 0.6]
    return max(scored, key=lambda item: (item[0], item[1], [-ord(ch) for ch in item[2]]))[2] if scored else None
