"""The chart drawer: a process of its own that draws the annexes' charts while the build does the rest.

What a user would check: the charts it draws are the bytes this process draws,
a chart it cannot draw is left to the document (which reports why), it never
holds a build up once stopped or killed, and a build starts it early only when
the build is sure to draw.
"""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from generator import pipeline
from generator.documents import kinds
from generator.documents.charts import Chart, Charts
from generator.processes import CHARTS, Drawer
from generator.selection import Selection
from tests.conftest import Project

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the drawer is a forked process")


def _label(text: str) -> bytes:
    if text == "broken":
        raise ValueError("cannot draw this")
    return f"drawn in {text}".encode()


def _chart(text: str) -> Chart:
    return Chart(f"key-{text}", _label, {"text": text}, Charts())


def test_the_drawer_draws_each_chart_it_is_given_once_and_leaves_those_it_cannot_draw(tmp_path: Path):
    charts = [_chart("a"), _chart("broken"), _chart("b"), _chart("a")]
    with Drawer() as drawer:
        drawer.draw(charts)
        assert drawer.pngs({"key-a", "key-b", "key-broken"}) == {"key-a": b"drawn in a", "key-b": b"drawn in b"}
        assert sorted(drawer.drawn) == ["key-a", "key-b", "key-broken"]
        assert drawer.drawn["key-broken"].result() is None  # the document that shows it draws it, and says why it fails


def test_the_drawer_draws_an_annexs_charts_as_this_process_would(reference_project: Project):
    sources = pipeline.load(reference_project.folder / "source")
    (edition,) = pipeline.localize(sources, Selection(languages=("es",)))
    annexes = [document for document in kinds.documents(edition) if document.charts()]
    assert len(annexes) == 2
    charts = [chart for annex in annexes for chart in annex.charts()]
    with Drawer() as drawer:
        drawer.draw(charts)
        drawn = drawer.pngs({chart.key for chart in charts})
    assert drawn == {chart.key: chart.draw(**chart.data) for chart in charts}
    assert all(png.startswith(b"\x89PNG") for png in drawn.values())


def test_a_drawer_stopped_or_killed_answers_every_chart_and_holds_nothing_up():
    with Drawer() as drawer:
        assert drawer._process.pid is not None
        os.kill(drawer._process.pid, signal.SIGKILL)
        drawer._process.join()
        drawer.draw([_chart("late")])
        assert drawer.pngs({"key-late"}) == {}
    drawer = Drawer()
    drawer.draw([_chart(str(n)) for n in range(50)])
    drawer.stop()
    assert all(future.done() for future in drawer.drawn.values())
    assert not drawer._process.is_alive()


def test_a_build_starts_its_drawer_early_only_when_it_is_sure_to_draw(tmp_path: Path):
    out = tmp_path / "build"
    for jobs, annexes in ((1, True), (2, False)):
        assert Drawer.early(out, jobs, annexes) is None  # one process asked for; or no annex made
    early = Drawer.early(out, 2, True)  # a first build: no chart kept
    assert early is not None
    early.stop()
    (out / CHARTS).mkdir(parents=True)
    (out / CHARTS / "0123.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert Drawer.early(out, 2, True) is None  # charts kept: the build learns which it lacks once it has read the sources

