"""Charts of the progress annexes, drawn by matplotlib as PNG.

The same data always gives the same bytes: the Agg renderer, a fixed size and
resolution, matplotlib's own DejaVu font, and no software or date in the PNG
metadata.  Bars carry hatch patterns as well as colours, so that a chart still
reads when printed in black and white.
"""
from __future__ import annotations

import io
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..model.progress import ACTIVITY_STATUSES, PlanProgress
from ..translation.words import Words

COLOURS = {
    "completed": "#2E7D32",
    "in_progress": "#1F5FA8",
    "not_started": "#BDBDBD",
    "postponed": "#E08E0B",
    "cancelled": "#6D4C41",
}
HATCHES = {"completed": "", "in_progress": "//", "not_started": "..", "postponed": "xx", "cancelled": "--"}
STYLE: dict[Any, Any] = {  # matplotlib's rcParams
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "svg.hashsalt": "pao",
    "hatch.linewidth": 0.8,
    "text.parse_math": False,  # an action's reference is text: "AO $1$" is drawn as written, "AO $x^$" does not fail
}


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def kpi_attainment(progress: PlanProgress, words: Words) -> bytes:
    """Mean KPI attainment per action (each KPI counted up to 100 %)."""
    with plt.rc_context(STYLE):
        labels = [a.action.reference for a in progress.actions]
        values = [a.mean_attainment for a in progress.actions]
        figure, axes = plt.subplots(figsize=(6.4, 0.45 * len(labels) + 1.2))
        bars = axes.barh(labels, values, color="#1F3A68", edgecolor="black", linewidth=0.6, hatch="//")
        axes.invert_yaxis()
        axes.set_xlim(0, 115)
        axes.set_xticks([0, 25, 50, 75, 100])
        axes.set_xticklabels([words.percent(v) for v in (0, 25, 50, 75, 100)])
        axes.set_xlabel(words.labels["chart_attainment_axis"])
        axes.set_title(words.labels["chart_attainment_title"])
        for bar, value in zip(bars, values):
            axes.text(bar.get_width() + 1.5, bar.get_y() + bar.get_height() / 2, words.percent(value), va="center")
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        return _png(figure)


def activities_by_status(progress: PlanProgress, words: Words) -> bytes:
    """How many activities of each action are in each status, as stacked bars."""
    with plt.rc_context(STYLE):
        labels = [a.action.reference for a in progress.actions]
        figure, axes = plt.subplots(figsize=(6.4, 0.45 * len(labels) + 1.6))
        left = [0] * len(labels)
        for status in ACTIVITY_STATUSES:
            counts = [sum(x.status == status for x in a.activities) for a in progress.actions]
            axes.barh(
                labels, counts, left=left, color=COLOURS[status], hatch=HATCHES[status],
                edgecolor="black", linewidth=0.6, label=words.activity_status(status),
            )
            left = [a + b for a, b in zip(left, counts)]
        axes.invert_yaxis()
        axes.set_xlabel(words.labels["chart_activities_axis"])
        axes.set_title(words.labels["chart_activities_title"])
        cast(MaxNLocator, axes.xaxis.get_major_locator()).set_params(integer=True)  # the default AutoLocator is one
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=3, frameon=False, fontsize=8)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        return _png(figure)
