"""The words of the layout in one language, and CLDR formatting through Babel.

Country names, lists, numbers and dates come from CLDR; the layout's own
labels ("País líder", "Calendario"…) are written in Spanish in ``LABELS`` and
translated in pao's own catalogs, ``generator/locale/<language>.po`` (message
context: the label's key).
"""
from __future__ import annotations

import datetime
import functools
import gettext
import io
import re
from functools import cached_property
from pathlib import Path

from babel import Locale
from babel.core import get_global
from babel.dates import format_date, match_skeleton
from babel.lists import format_list
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from .period import Period
from .resolve import Organisation, Target

LABELS = {
    "es": {
        "colon": ": ",
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
        "annex_title": "Anexo de seguimiento",
        "sample_mark": "DATOS ILUSTRATIVOS",
        "sample_note": "Este anexo presenta datos de ejemplo: no son los datos reales de seguimiento del plan.",
        "plan": "Plan",
        "period_covered": "Periodo cubierto",
        "report_date": "Fecha del informe",
        "summary_heading": "Resumen",
        "charts_heading": "Gráficos",
        "details_heading": "Detalle por acción operativa",
        "overdue_heading": "Actividades retrasadas",
        "no_overdue": "Ninguna actividad está retrasada.",
        "action": "Acción operativa",
        "kpis_achieved": "KPI logrados",
        "activities_completed": "Actividades completadas",
        "overdue": "Retrasadas",
        "status": "Estado",
        "this_period": "Este periodo",
        "cumulative": "Acumulado",
        "attainment": "Logro",
        "notes": "Notas",
        "total": "Total",
        "yes": "Sí",
        "no": "No",
        "overdue_mark": "Retrasada",
        "delay": "Retraso",
        "not_reported": "—",
        "latest_status": "Situación a",
        "chart_attainment_title": "Logro medio de los KPI por acción operativa",
        "chart_attainment_axis": "Logro (cada KPI cuenta hasta el 100 %)",
        "chart_attainment_alt": "Gráfico de barras del logro medio de los KPI por acción operativa: {values}.",
        "chart_activities_title": "Actividades por estado",
        "chart_activities_axis": "Número de actividades",
        "chart_activities_alt": "Gráfico de barras apiladas del número de actividades por estado y acción operativa: {values}.",
        "kpi_achieved": "Logrado",
        "kpi_on_track": "En buen camino",
        "kpi_at_risk": "En riesgo",
        "kpi_not_started": "No iniciado",
        "activity_not_started": "No iniciada",
        "activity_in_progress": "En curso",
        "activity_completed": "Completada",
        "activity_postponed": "Aplazada",
        "activity_cancelled": "Cancelada",
        "page": "Página",
        "of": "de",
    },
}


# labels that depend on a number: (one, other) in Spanish; catalogs give every CLDR form
PLURAL_LABELS = {
    "overdue_count": ("{n} actividad está retrasada.", "{n} actividades están retrasadas."),
}
LAYOUT_CATALOGS = Path(__file__).with_name("locale")
SOURCE_LANGUAGE = "es"
LAYOUT_LANGUAGES = ("en", "pt", "fr")


@functools.lru_cache(maxsize=None)
def layout_words(language: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]], str]:
    """Labels, plural labels and the plural rule of the layout in ``language``."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    labels, plurals = dict(LABELS[SOURCE_LANGUAGE]), dict(PLURAL_LABELS)
    path = LAYOUT_CATALOGS / f"{language}.po"
    if language == SOURCE_LANGUAGE or not path.is_file():
        return labels, plurals, Catalog(locale=SOURCE_LANGUAGE).plural_expr
    catalog = read_po(io.BytesIO(path.read_bytes()), locale=language)
    for message in catalog:
        if not message.context or not message.string or message.fuzzy:
            continue
        if isinstance(message.string, tuple):
            if all(message.string):
                plurals[message.context] = message.string
        else:
            labels[message.context] = message.string
    return labels, plurals, catalog.plural_expr


# a symbol and a colour for each status: the word and symbol read in black and white too
STATUS_SYMBOLS = {"achieved": "✔", "on_track": "●", "at_risk": "▲", "not_started": "○"}
STATUS_FILLS = {"achieved": "C6EFCE", "on_track": "DDEBF7", "at_risk": "F8CBAD", "not_started": "EDEDED"}


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

    def language_names(self, codes: tuple[str, ...]) -> str:
        names = [self.locale.languages.get(code, code) for code in codes]
        return format_list([name[:1].upper() + name[1:] for name in names], locale=self.locale)

    def span(self, period: Period) -> str:
        """A plan's period: "2022–2023", "S2/2022–S1/2024"."""
        first, last = period.first_semester, period.last_semester
        if period.first % 2 == 0 and period.last % 2 == 1:  # whole years
            first, last = Period(period.first, period.first + 1), Period(period.last - 1, period.last)
        return first.label() if first == last else f"{first.label()}–{last.label()}"

    def calendar(self, periods: tuple[Period, ...]) -> str:
        return format_list([period.label() for period in periods], locale=self.locale)

    def date(self, date: datetime.date, precision: str) -> str:
        """The language's numeric date (CLDR), two-digit day and month: 06/2022, 31/07/2023, 07/31/2023."""
        skeletons = self.locale.datetime_skeletons
        pattern = skeletons[match_skeleton("yMM" if precision == "month" else "yMMdd", skeletons)].pattern
        pattern = re.sub(r"(?<!M)M(?!M)", "MM", re.sub(r"(?<!d)d(?!d)", "dd", pattern))
        return format_date(date, pattern, locale=self.locale)

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, value: float) -> str:
        """37.5 → "37,5 %" (one decimal at most, the language's spacing)."""
        return format_percent(round(value / 100, 3), locale=self.locale, decimal_quantization=False)

    def amount(self, value: float | int, currency: str | None) -> str:
        return f"{self.number(value)}\u00a0{currency}" if currency else self.number(value)

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


def update_layout_catalogs(diagnostics) -> list[Path]:
    """Bring pao's own catalogs (the layout's labels) up to date; the paths that changed."""
    from .catalogs import Entry, write_catalog
    from .diagnostics import Location

    source = Path(__file__)
    lines = source.read_text(encoding="utf-8").split("\n")

    def where(key: str) -> Location:
        number = next((n for n, line in enumerate(lines, start=1) if line.strip().startswith(f'"{key}":')), 0)
        return Location(f"generator/{source.name}", number)

    wanted = [Entry(key, text, where(key), prose=False) for key, text in LABELS[SOURCE_LANGUAGE].items()]
    wanted += [Entry(key, forms, where(key), prose=False) for key, forms in PLURAL_LABELS.items()]
    changed = []
    for language in LAYOUT_LANGUAGES:
        path = LAYOUT_CATALOGS / f"{language}.po"
        created = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)
        comment = f"# pao's own words (the layout of its documents) in {language}.\n# Context: the label's key in generator/i18n.py."
        if write_catalog(path, language, wanted, "pao", created, comment, diagnostics):
            changed.append(path)
    return changed
