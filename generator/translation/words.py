"""What a template shows that depends on the language: CLDR formatting through Babel.

Country names, lists, numbers, percentages, amounts and dates come from CLDR;
the layout's own labels come from ``labels``.
"""
from __future__ import annotations

import datetime
import decimal
import gettext
import re
from functools import cached_property

from babel import Locale
from babel.core import get_global
from babel.dates import format_date, format_skeleton, match_skeleton
from babel.lists import format_list
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_precision,
    get_territory_currencies,
)

from ..model.period import Period
from ..model.plan import BudgetLine, Organisation, Target, budget_totals
from .labels import layout_words

# a symbol for each status: the word and symbol read in black and white too
STATUS_SYMBOLS = {"achieved": "✔", "on_track": "●", "at_risk": "▲", "not_started": "○"}
# the day whose legal tenders say which currency is a language's own: a fixed day, so that the same sources
# print the same amounts every day (move it when a country of a shipped language changes currency)
CURRENCIES_ON = datetime.date(2026, 1, 1)


class Words:
    """Everything language-dependent that a template shows, for one language."""

    def __init__(self, language: str, organisations: dict[str, Organisation]) -> None:
        self.language = language
        self.locale = Locale.parse(language)
        self.organisations = organisations
        self.labels, self._plurals, rule = layout_words(language)
        self._plural_index = gettext.c2py(rule)

    @cached_property
    def tag(self) -> str:
        """BCP 47 tag with the language's likely region (es → es-ES), as Word expects."""
        likely = get_global("likely_subtags").get(self.language, self.language)
        parts = Locale.parse(likely)
        return f"{parts.language}-{parts.territory}" if parts.territory else parts.language

    def party(self, code: str) -> str:
        """A country's CLDR name or an organisation's declared name."""
        if code in self.organisations:
            return self.organisations[code].name(self.language, "es")
        return self.locale.territories.get(code, code)

    def parties(self, codes: tuple[str, ...] | list[str]) -> str:
        return ", ".join(self.party(code) for code in codes)

    def is_organisation(self, code: str) -> bool:
        return code in self.organisations

    def countries(self, codes: tuple[str, ...]) -> str:
        """The countries among ``codes`` (a header's participating countries), without the organisations."""
        return self.parties([code for code in codes if not self.is_organisation(code)])

    def partner_organisations(self, codes: tuple[str, ...]) -> str:
        """The organisations among ``codes``: a line of their own, apart from the countries."""
        return self.parties([code for code in codes if self.is_organisation(code)])

    def leads(self, codes: tuple[str, ...]) -> str:
        """"Brasil", "Brasil y Paraguay": one lead country or several, listed the language's way (CLDR)."""
        return format_list([self.party(code) for code in codes], locale=self.locale) if codes else ""

    def lead_label(self, codes: tuple[str, ...]) -> str:
        """"País líder", or with several "Países líderes" (the language's plural)."""
        return self.labels["lead"] if len(codes) <= 1 else self.plural("lead_countries", len(codes))

    def language_names(self, codes: tuple[str, ...]) -> str:
        """"Portugués y español": each name as the language writes it (CLDR), the list begun with a capital (a cell)."""
        listed = format_list([self.locale.languages.get(code, code) for code in codes], locale=self.locale)
        return listed[:1].upper() + listed[1:]

    def span(self, period: Period) -> str:
        """A plan's period: "2022–2023", "S2/2022–S1/2024"."""
        first, last = period.first_semester, period.last_semester
        if period.first % 12 == 0 and period.last % 12 == 11:  # whole years
            first, last = Period.of(period.year, 0, 12), Period.of(period.last // 12, 0, 12)
        return first.label() if first == last else f"{first.label()}–{last.label()}"

    def calendar(self, periods: tuple[Period, ...], ongoing: str | None = None) -> str:
        """"S2/2022 y 2023", "Marzo de 2023 y T2 2023" (months and quarters as CLDR writes them), or
        "Permanente" for an ongoing activity; begun with a capital (a cell)."""
        if ongoing:
            return self.labels[ongoing]
        listed = format_list([self._period(period) for period in periods], locale=self.locale)
        return listed[:1].upper() + listed[1:]

    def _period(self, period: Period) -> str:
        if period.grain == "month":
            return format_skeleton("yMMMM", period.first_day, locale=self.locale)
        if period.grain == "quarter":
            return format_skeleton("yQQQ", period.first_day, locale=self.locale)
        return period.label()

    def date(self, date: datetime.date, precision: str) -> str:
        """The language's numeric date (CLDR), two-digit day and month: 06/2022, 31/07/2023, 07/31/2023."""
        skeletons = self.locale.datetime_skeletons
        pattern = skeletons[match_skeleton("yMM" if precision == "month" else "yMMdd", skeletons)].pattern
        pattern = re.sub(r"(?<!M)M(?!M)", "MM", re.sub(r"(?<!d)d(?!d)", "dd", pattern))
        return format_date(date, pattern, locale=self.locale)

    def number(self, value: float | int | decimal.Decimal) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, value: float | None) -> str:
        """37.5 → "37,5 %" (one decimal at most, rounded half up: 6.25 → "6,3 %"; the language's spacing);
        None (nothing to measure against) → the not-reported dash."""
        if value is None:
            return self.labels["not_reported"]
        # half up on the decimal written, as people round: Python's round() gives 6.2 (6.25 is 6.2499… as a float)
        tenths = decimal.Decimal(repr(value)).quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)
        return format_percent(tenths / 100, locale=self.locale, decimal_quantization=False)

    def _percent_joiner(self) -> str:
        """What CLDR writes between a number and its percent sign in this language ("1 %" → no-break space)."""
        sample = format_percent(1, locale=self.locale)
        return sample[sample.rindex("0") + 1:sample.index("%")] if "%" in sample and "0" in sample else "\u00a0"

    @cached_property
    def own_currency(self) -> str | None:
        """The currency of the language's region (written, pt-BR, or CLDR's likely one: pt → Brazil, en → United States)."""
        territory = self.locale.territory or Locale.parse(get_global("likely_subtags").get(self.locale.language, self.language)).territory
        tenders = get_territory_currencies(territory, start_date=CURRENCIES_ON, tender=True) if territory else []
        return tenders[0] if tenders else None

    def amount(self, value: float | int | decimal.Decimal, currency: str | None) -> str:
        """2500000 USD → "2.500.000 USD", 1200000.5 BRL → "1.200.000,50 BRL"; the language's own currency with its CLDR
        symbol: "R$ 2.500.000" in Portuguese."""
        if currency and currency == self.own_currency:
            # the locale's pattern; a whole amount without ",00"
            pattern = self.locale.currency_formats["standard"].pattern.split(";")[0]
            pattern = pattern.replace(".00", "") if value == int(value) else pattern
            return format_currency(value, currency, format=pattern, locale=self.locale, currency_digits=False)
        if not currency:
            return self.number(value)
        # another currency keeps its code; with cents, as many decimals as the currency has (CLDR): 1.200.000,50 BRL
        digits = get_currency_precision(currency) if value != int(value) else 0
        number = format_decimal(value, format="#,##0." + "0" * digits if digits else None, locale=self.locale)
        return f"{number}\u00a0{currency}"

    def compact_amount(self, value: float | int, currency: str) -> str:
        """"2 M USD"; the language's own currency with its CLDR symbol: "R$ 12,5 mi", "$2M"."""
        if currency == self.own_currency:
            return format_compact_currency(value, currency, locale=self.locale, fraction_digits=2)
        # no-break space, as CLDR puts between "2" and "M": the amount stays on one line
        return f"{format_compact_decimal(value, locale=self.locale, fraction_digits=2)}\u00a0{currency}"

    def budget(self, lines: tuple[BudgetLine, ...]) -> str:
        """The total of each currency, one line each ("250.000 €" then "80.000 USD"): never added together."""
        return "\n".join(self.amount(total, currency) for currency, total in budget_totals(lines))

    def progress_value(self, value: bool | int | float | None, currency: str | None) -> str:
        """A reported or cumulative value: a number, an amount, yes/no, or a dash when not reported."""
        if value is None:
            return self.labels["not_reported"]
        if isinstance(value, bool):
            return self.labels["yes"] if value else self.labels["no"]
        return self.amount(value, currency)

    def plural(self, key: str, n: int) -> str:
        """A label for the number ``n``, in the plural form the language uses for it."""
        forms = self._plurals[key]
        index = self._plural_index(n) if len(forms) > 2 else (0 if n == 1 else 1)
        return forms[min(index, len(forms) - 1)].format(n=self.number(n))

    def kpi_status(self, status: str) -> str:
        """The status word with its symbol, so that it reads without colour."""
        return f"{STATUS_SYMBOLS[status]} {self.labels['kpi_' + status]}"

    def activity_status(self, status: str) -> str:
        return self.labels["activity_" + status]

    def target(self, target: Target) -> str:
        """"Al menos 2 reuniones", "2 productos", "Al menos 2 M USD incautados…", "Red creada", "Como máximo 48 h…",
        "Entre 40 y 60 % de…", "Tasa de resolución (por determinar)"."""
        if target.comparator == "achieved":
            return target.counted
        if target.comparator == "to_be_determined":
            return self.labels["to_be_determined"].format(counted=target.counted)
        assert target.value is not None  # a count, a level or an amount has its number (checked with the sources)
        amount = self.compact_amount(target.value, target.currency) if target.currency else self.number(target.value)
        if target.comparator == "between":
            assert target.up_to is not None  # checked with the sources
            amount = self.labels["between"].format(low=amount, high=self.number(target.up_to))
        # "80 % de víctimas": a percent sign written in ``counted`` stays with its number as the language's generated
        # percentages do (CLDR: a no-break space in Spanish, none in English)
        joiner = self._percent_joiner() if target.counted.startswith("%") else " "
        phrase = f"{amount}{joiner}{target.counted}".strip()
        if target.comparator in ("at_least", "at_most"):
            phrase = f"{self.labels[target.comparator]} {phrase}"
        return phrase
