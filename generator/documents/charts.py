"""Charts of the progress annexes, drawn by matplotlib as PNG, once per distinct data.

The same data always gives the same bytes: the Agg renderer, a fixed size and
resolution, matplotlib's own DejaVu font, and no software or date in the PNG
metadata.  Bars carry hatch patterns as well as colours, so that a chart still
reads when printed in black and white.

A chart is known by the digest of what it shows (its labels, values and words,
this module and matplotlib's version): ``Charts`` gives a ``Chart`` that is
drawn only when a document that shows it is rendered (a document's digest
needs only the chart's key), draws each once, and keeps it in a folder between
builds, so that a build whose annexes did not change neither imports matplotlib
(a second) nor draws, and a build that draws does it in the processes that
render, at once.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..files import write_atomically

if TYPE_CHECKING:  # the process that draws (started before the sources are read) needs neither model nor words
    from matplotlib.figure import Figure

    from ..model.progress import PlanProgress
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
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


_DRAWN: dict[str, bytes] = {}  # by key, for the process's life: every edition and build of a preview shares them
_KEEP = 256  # charts kept in memory, the latest drawn


@dataclasses.dataclass(frozen=True)
class Chart:
    """A chart to draw when it is needed: ``png`` draws it (or finds it drawn)."""

    key: str
    draw: Callable[..., bytes] = dataclasses.field(repr=False)
    data: dict[str, Any] = dataclasses.field(repr=False)
    charts: Charts = dataclasses.field(repr=False, compare=False)

    def png(self) -> bytes:
        return self.charts.png(self)

    @property
    def drawn(self) -> bool:
        """Drawn before: in this process, or kept by an earlier build (``png`` would not draw it)."""
        return self.charts.drawn(self.key)


class Charts:
    """Charts drawn once, kept in memory and, given a ``folder``, on disk between builds: those drawn by a build
    are put there by ``keep``, once the build has written its documents (a failed build leaves the folder as it was)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.new: dict[str, bytes] = {}  # drawn, not yet in the folder
        self.used: set[str] = set()  # the keys of every chart asked for

    def keep(self, only_used: bool = False) -> None:
        """Put the charts drawn since the last ``keep`` in the folder; ``only_used``: and remove from it those
        no document asked for (after a build of every document: the others belong to data no longer shown)."""
        if self.folder is None:
            return
        for key, png in sorted(self.new.items()):
            write_atomically(self.folder / f"{key}.png", png)
        self.new = {}
        if only_used:
            for kept in self.folder.glob("*.png"):
                if kept.stem not in self.used:
                    kept.unlink(missing_ok=True)

    def kpi_attainment(self, progress: PlanProgress, words: Words) -> Chart:
        """Mean KPI attainment per action (each KPI counted up to 100 %)."""
        values = [a.mean_attainment for a in progress.actions]
        return self._chart(
            _kpi_attainment,
            labels=[a.action.reference for a in progress.actions],
            values=values,
            shown=[words.percent(v) for v in values],
            ticks=[words.percent(v) for v in (0, 25, 50, 75, 100)],
            axis=words.labels["chart_attainment_axis"],
            title=words.labels["chart_attainment_title"],
        )

    def activities_by_status(self, progress: PlanProgress, words: Words) -> Chart:
        """How many activities of each action are in each status, as stacked bars."""
        from ..model.progress import ACTIVITY_STATUSES

        return self._chart(
            _activities_by_status,
            labels=[a.action.reference for a in progress.actions],
            counts={status: [sum(x.status == status for x in a.activities) for a in progress.actions] for status in ACTIVITY_STATUSES},
            legend={status: words.activity_status(status) for status in ACTIVITY_STATUSES},
            axis=words.labels["chart_activities_axis"],
            title=words.labels["chart_activities_title"],
        )

    def _chart(self, draw: Callable[..., bytes], **data: Any) -> Chart:
        key = _key(draw.__name__, data)
        self.used.add(key)
        return Chart(key, draw, data, self)

    def png(self, chart: Chart) -> bytes:
        """The chart's PNG: drawn now, unless it was drawn before (in this process, or kept by an earlier build)."""
        key = chart.key
        self.used.add(key)
        png = _DRAWN.get(key) or self.new.get(key) or self._kept(key)
        if png is None:
            png = chart.draw(**chart.data)
            self.new[key] = png
        elif self.folder is not None and key not in self.new and not (self.folder / f"{key}.png").is_file():
            self.new[key] = png  # drawn for another folder, or removed from this one
        _DRAWN[key] = png
        while len(_DRAWN) > _KEEP:
            del _DRAWN[next(iter(_DRAWN))]
        return png

    def drawn(self, key: str) -> bool:
        return key in _DRAWN or key in self.new or (self.folder is not None and (self.folder / f"{key}.png").is_file())

    def _kept(self, key: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            png = (self.folder / f"{key}.png").read_bytes()
        except OSError:
            return None
        return png if png.startswith(_PNG_SIGNATURE) else None  # not a PNG: drawn again


def share(pngs: dict[str, bytes]) -> None:
    """Charts drawn by another process (by key), for the documents this one renders."""
    _DRAWN.update(pngs)


def _key(chart: str, data: dict[str, Any]) -> str:
    digest = hashlib.sha256(_drawing())
    digest.update(json.dumps([chart, data], sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


@functools.cache
def _drawing() -> bytes:
    """What decides how a chart is drawn: this module's code and matplotlib's version (read once, not per chart)."""
    from importlib.metadata import version

    return hashlib.sha256(Path(__file__).read_bytes() + version("matplotlib").encode()).digest()


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # tight_layout has placed everything: without this, the layout it leaves behind ("none", not None) makes
    # savefig lay the whole chart out once more before drawing it (the same pixels, an eighth of the time)
    figure.set_layout_engine(None)
    figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    return buffer.getvalue()


def warm() -> None:
    """Import what drawing needs, before the first chart is asked for."""
    _matplotlib()


@functools.cache
def _matplotlib() -> Any:
    """matplotlib, and its Figure and Agg canvas: a second to import, only when a chart is drawn (pyplot, its
    figure managers and backends are not needed to draw a picture)."""
    import matplotlib.artist

    _without_set_help(matplotlib.artist.Artist)
    import matplotlib.backends.backend_agg
    import matplotlib.figure

    return matplotlib


def _without_set_help(artist: Any) -> None:
    """As each kind of artist (line, patch, text…: a hundred) is defined, matplotlib inspects its properties to
    write the help and signature of its ``set()``: a third of its import, for help no chart reads.  Left out,
    unless a matplotlib other than the one pao pins no longer works that way."""
    write = artist.__dict__.get("_update_set_signature_and_docstring")
    if isinstance(write, classmethod) and hasattr(artist.set, "_autogenerated_signature"):

        def marked(cls: type) -> None:  # what matplotlib needs of it: the mark that ``set`` is its own
            cls.set._autogenerated_signature = True  # type: ignore[attr-defined]

        artist._update_set_signature_and_docstring = classmethod(marked)


def _figure(height: float) -> Figure:
    return cast("Figure", _matplotlib().figure.Figure(figsize=(6.4, height)))


def _kpi_attainment(labels: list[str], values: list[float], shown: list[str], ticks: list[str], axis: str, title: str) -> bytes:
    with _matplotlib().rc_context(STYLE):
        figure = _figure(0.45 * len(labels) + 1.2)
        axes = figure.subplots()
        bars = axes.barh(labels, values, color="#1F3A68", edgecolor="black", linewidth=0.6, hatch="//")
        axes.invert_yaxis()
        axes.set_xlim(0, 115)
        axes.set_xticks([0, 25, 50, 75, 100])
        axes.set_xticklabels(ticks)
        axes.set_xlabel(axis)
        axes.set_title(title)
        for bar, text in zip(bars, shown):
            axes.text(bar.get_width() + 1.5, bar.get_y() + bar.get_height() / 2, text, va="center")
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        return _png(figure)


def _activities_by_status(labels: list[str], counts: dict[str, list[int]], legend: dict[str, str], axis: str, title: str) -> bytes:
    from matplotlib.ticker import MaxNLocator

    with _matplotlib().rc_context(STYLE):
        figure = _figure(0.45 * len(labels) + 1.6)
        axes = figure.subplots()
        left = [0] * len(labels)
        for status in counts:  # in the order of ACTIVITY_STATUSES
            axes.barh(
                labels, counts[status], left=left, color=COLOURS[status], hatch=HATCHES[status],
                edgecolor="black", linewidth=0.6, label=legend[status],
            )
            left = [a + b for a, b in zip(left, counts[status])]
        axes.invert_yaxis()
        axes.set_xlabel(axis)
        axes.set_title(title)
        cast(MaxNLocator, axes.xaxis.get_major_locator()).set_params(integer=True)  # the default AutoLocator is one
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=3, frameon=False, fontsize=8)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        return _png(figure)
