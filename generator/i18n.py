"""The words of the layout in one language, and CLDR formatting through Babel.

Country names, lists, numbers and dates come from CLDR; the layout's own
labels ("País líder", "Calendario"…) from ``LABELS``.
"""
from __future__ import annotations

import datetime
from functools import cached_property

from babel import Locale
from babel.core import get_global
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_compact_decimal, format_decimal

from .period import Period
from .resolve import Organisation, Target

LABELS = {
    "es": {
        "contents": "Índice",
        "update_contents": "Actualice el índice para ver su contenido (en Word: clic derecho, Actualizar campos).",
        "origin": "Origen",
        "recipients": "Destinatario(s)",
        "reference": "Referencia",
        "subject": "Objeto",
        "lead": "País líder",
        "co_leads": "País(es) colíder(es)",
        "participants": "Países participantes",
        "date": "Fecha",
        "languages": "Idioma(s)",
        "objectives": "Objetivos",
        "strategic_objectives": "Objetivos estratégicos (OE)",
        "strategic_objective": "Objetivo estratégico",
        "context": "Contexto",
        "priorities": "Prioridades de trabajo",
        "action_participants": "Países, socios y organismos participantes",
        "summary": "Resumen de los objetivos de la acción operativa",
        "kpis": "Indicadores principales de rendimiento",
        "target": "Objetivo",
        "at_least": "Al menos",
        "activities": "Actividades",
        "calendar": "Calendario",
        "sheet_title": "Ficha de acción operativa",
        "period": "Periodo",
        "participant_countries": "Países participantes",
        "participant_organisations": "Organismos participantes",
        "kpi": "Indicador",
        "activity": "Actividad",
        "page": "Página",
        "of": "de",
    },
}


class Words:
    """Everything language-dependent that a template shows, for one language."""

    def __init__(self, language: str, organisations: dict[str, Organisation]) -> None:
        self.language = language
        self.locale = Locale.parse(language)
        self.organisations = organisations
        self.labels = LABELS[language] if language in LABELS else LABELS["es"]

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

    def language_names(self, codes: tuple[str, ...]) -> str:
        names = [self.locale.languages.get(code, code) for code in codes]
        return format_list([name[:1].upper() + name[1:] for name in names], locale=self.locale)

    def span(self, period: Period) -> str:
        """A plan's period: "2022–2023", "S2/2022–S1/2024"."""
        first, last = Period(period.first, period.first), Period(period.last, period.last)
        if period.first % 2 == 0 and period.last % 2 == 1:  # whole years
            first, last = Period(period.first, period.first + 1), Period(period.last - 1, period.last)
        return first.label() if first == last else f"{first.label()}–{last.label()}"

    def calendar(self, periods: tuple[Period, ...]) -> str:
        return format_list([period.label() for period in periods], locale=self.locale)

    def date(self, date: datetime.date, precision: str) -> str:
        return format_date(date, "MM/yyyy" if precision == "month" else "dd/MM/yyyy", locale=self.locale)

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)

    def target(self, target: Target) -> str:
        """"Al menos 2 reuniones", "2 productos", "Al menos 2 M USD incautados…", "Red creada"."""
        if target.comparator == "achieved":
            return target.counted
        if target.currency:
            # no-break space, as CLDR puts between "2" and "M": the amount stays on one line
            amount = f"{format_compact_decimal(target.value, locale=self.locale, fraction_digits=2)}\u00a0{target.currency}"
        else:
            amount = self.number(target.value)
        phrase = f"{amount} {target.counted}".strip()
        if target.comparator == "at_least":
            phrase = f"{self.labels['at_least']} {phrase}"
        return phrase
