"""The chart drawer: a process of its own that draws the annexes' charts while the build does the rest.

What a user would check: the charts it draws are the bytes this process draws,
a chart it cannot draw is left to the document (which reports why), it never
holds a build up once stopped or killed, and a build starts it early only when
the build is sure to draw.
"""
from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from generator import pipeline
from generator.documents import kinds
from generator.documents.charts import Chart, Charts
from generator.processes import CHARTS, Drawer
from generator.selection import Selection
from tests.conftest import PLAN_ID, Project

PLAN = f"source/{PLAN_ID}/plan.yaml"

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


def test_giving_the_drawer_more_charts_than_its_pipe_holds_never_holds_the_build_up():
    """A programme's first build may draw hundreds of charts: while the drawer is busy (here: stopped), the build
    hands them over and goes on."""
    charts = [Chart(f"key-{n}", _label, {"text": f"{n} {'x' * 2000}"}, Charts()) for n in range(300)]  # ~600 KB
    with Drawer() as drawer:
        assert drawer._process.pid is not None
        os.kill(drawer._process.pid, signal.SIGSTOP)
        handing = threading.Thread(target=drawer.draw, args=(charts,))
        handing.start()
        handing.join(timeout=60)  # not a timing: without its sending thread, draw() waits until the drawer reads
        assert not handing.is_alive()
        os.kill(drawer._process.pid, signal.SIGCONT)
        assert drawer.pngs({"key-0", "key-299"}) == {"key-0": f"drawn in 0 {'x' * 2000}".encode(), "key-299": f"drawn in 299 {'x' * 2000}".encode()}


def test_a_first_build_starts_its_drawer_before_reading_the_sources_only_when_it_may_draw(project: Project, monkeypatch):
    assert Drawer.early(1, True) is None  # one process asked for
    assert Drawer.early(2, False) is None  # no annex made
    early = Drawer.early(2, True)
    assert early is not None
    early.stop()
    started: list[Drawer] = []

    def counted(cls: type[Drawer], jobs: int, annexes: bool) -> Drawer:
        started.append(cls())
        return started[-1]

    monkeypatch.setattr(Drawer, "early", classmethod(counted))

    def build() -> None:
        result = project.pao("build", "-q", "--format", "docx", "--lang", "es", "-j", "2")
        assert result.exit_code == 0, result.output

    build()  # the first: no manifest yet
    assert len(started) == 1 and not started[0]._process.is_alive()  # ended with the build
    assert len(list(project.path(f"build/{CHARTS}").glob("*.png"))) == 4
    build()  # nothing changed
    project.edit(PLAN, "Plan de acción operativo", "Plan de acción operativo revisado")
    build()  # the PAO's title changed: the annexes' charts are kept
    assert len(started) == 1
