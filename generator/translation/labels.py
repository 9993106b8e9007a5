"""The layout's own words: labels in Spanish, translated in pao's own catalogs.

The labels a template shows ("País líder", "Calendario"…) are written here in
Spanish and translated in ``translation/locale/<language>.po`` (message
context: the label's key), which ``pao translations update --layout`` keeps up
to date.
"""
from __future__ import annotations

import datetime
import functools
import io
from pathlib import Path

from ..diagnostics import Diagnostics, Location

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
        "partner_organisations": "Organizaciones socias",
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
        "at_most": "Como máximo",
        "between": "Entre {low} y {high}",
        "to_be_determined": "{counted} (por determinar)",
        "activities": "Actividades",
        "calendar": "Calendario",
        "permanent": "Permanente",
        "continuous": "Continua",
        "budget": "Presupuesto",
        "funding_source": "Fuente de financiación",
        "amount": "Importe",
        "budget_total": "Presupuesto total",
        "objective_budget": "Presupuesto del objetivo estratégico",
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
        "form_title": "Formulario de seguimiento",
        "form_instructions": "Instrucciones",
        "form_language": "Idioma del formulario",
        "form_intro": "Informe aquí lo logrado durante el periodo en cada acción operativa de su país: una hoja por acción operativa.",
        "form_step_cells": "Rellene solo las celdas sombreadas; las demás están protegidas para evitar cambios por error.",
        "form_step_value": "Valor en este periodo: lo logrado durante el periodo, no el acumulado. Un recuento es un número entero, 0 o más; un importe, un número en la moneda del objetivo; un indicador sí/no, Sí o No.",
        "form_step_status": "Estado: elija uno de la lista. Una actividad completada necesita su fecha de finalización, dentro del periodo.",
        "form_step_notes": "Notas: texto libre, opcional.",
        "form_step_keep": "Una celda vacía no cambia nada. No cambie el nombre de las hojas ni borre filas o columnas; guarde el archivo en formato .xlsx y envíelo a la secretaría.",
        "form_action_notes": "Notas sobre la acción operativa",
        "form_cumulative_before": "Acumulado antes de este periodo",
        "form_value": "Valor en este periodo",
        "form_status_before": "Estado antes de este periodo",
        "form_status": "Estado en este periodo",
        "form_completed_on": "Fecha de finalización",
        "form_invalid_count": "Escriba un número entero, 0 o más.",
        "form_invalid_amount": "Escriba un número, 0 o más.",
        "form_invalid_choice": "Elija un valor de la lista.",
        "form_invalid_date": "Escriba una fecha dentro del periodo.",
    },
}


# labels that depend on a number: (one, other) in Spanish; catalogs give every CLDR form
PLURAL_LABELS = {
    "overdue_count": ("{n} actividad está retrasada.", "{n} actividades están retrasadas."),
    # "País líder" or, where a plan names several, "Países líderes" ({n}: how many)
    "lead_countries": ("País líder", "Países líderes"),
}
LAYOUT_CATALOGS = Path(__file__).with_name("locale")
SOURCE_LANGUAGE = "es"
LAYOUT_LANGUAGES = ("en", "pt", "fr")


@functools.cache
def layout_words(language: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]], str]:
    """Labels, plural labels and the plural rule of the layout in ``language``."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    labels: dict[str, str] = dict(LABELS[SOURCE_LANGUAGE])
    plurals: dict[str, tuple[str, ...]] = dict(PLURAL_LABELS)
    path = LAYOUT_CATALOGS / f"{language}.po"
    if language == SOURCE_LANGUAGE or not path.is_file():
        return labels, plurals, Catalog(locale=SOURCE_LANGUAGE).plural_expr
    catalog = read_po(io.BytesIO(path.read_bytes()), locale=language)
    for message in catalog:
        if not message.context or not message.string or message.fuzzy:
            continue
        if isinstance(message.string, str):
            labels[message.context] = message.string
        elif all(message.string):
            plurals[message.context] = tuple(message.string)
    return labels, plurals, catalog.plural_expr



def update_layout_catalogs(diagnostics: Diagnostics) -> list[Path]:
    """Bring pao's own catalogs (the layout's labels) up to date; the paths that changed."""
    from .catalogs import Entry, write_catalog

    source = Path(__file__)
    lines = source.read_text(encoding="utf-8").split("\n")

    def where(key: str) -> Location:
        number = next((n for n, line in enumerate(lines, start=1) if line.strip().startswith(f'"{key}":')), 0)
        return Location(f"generator/translation/{source.name}", number)

    wanted = [Entry(key, text, where(key), prose=False) for key, text in LABELS[SOURCE_LANGUAGE].items()]
    wanted += [Entry(key, forms, where(key), prose=False) for key, forms in PLURAL_LABELS.items()]
    changed = []
    for language in LAYOUT_LANGUAGES:
        path = LAYOUT_CATALOGS / f"{language}.po"
        created = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)
        comment = f"# pao's own words (the layout of its documents) in {language}.\n# Context: the label's key in generator/translation/labels.py."
        if write_catalog(path, language, wanted, "pao", created, comment, diagnostics):
            changed.append(path)
    return changed
