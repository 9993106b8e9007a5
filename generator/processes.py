"""The processes a build forks besides itself: each ends with the build, and one of them draws the charts.

Importing matplotlib takes about a second, and drawing a chart a fifth of one: in
a build that draws, that is the longest single part.  ``Drawer`` is a process of
its own that imports matplotlib as soon as it starts and then draws whatever
charts it is given, while the build reads the sources, checks the templates and
renders the documents that show no chart.  A first build starts it before
anything else (it is sure to draw), as it starts LibreOffice.

This module imports nothing heavy: the command line starts a drawer before it
imports the pipeline.
"""
from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
import os
import queue
import signal
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .documents.charts import Chart

CHARTS = ".pao-charts"  # in the build folder: the charts drawn by earlier builds, by the digest of their data


def can_fork() -> bool:
    """Whether the system forks processes (Linux: the children inherit what the build has loaded)."""
    return "fork" in multiprocessing.get_all_start_methods()


def end_with_parent() -> None:
    """In a forked process: end as soon as the build that started it ends, even killed (SIGKILL), rather than
    wait forever for work and keep what it inherited (the staging folder's lock) held; SIGTERM ends it at once
    (the build itself cleans up)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class Drawer:
    """Draws charts in a process of its own, forked as it is made: ``draw`` gives it charts, ``drawn`` holds each
    one's future PNG by key (None when its drawing failed: the document that shows it draws it again, and reports
    what went wrong).  ``stop`` (or leaving a ``with`` block) ends the process, whatever it was doing."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self.drawn: dict[str, Future[bytes | None]] = {}
        self._lock = threading.Lock()
        self._connection, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs,), daemon=True, name="pao-charts")
        self._process.start()
        theirs.close()  # so that its end alone holds the pipe open: when it ends, ``_receive`` hears it
        # charts are sent by a thread of their own: a pipe holds some 60 of them, and the build goes on meanwhile
        self._outbox: queue.SimpleQueue[Chart | None] = queue.SimpleQueue()
        self._threads = [threading.Thread(target=work, daemon=True) for work in (self._send, self._receive)]
        for thread in self._threads:
            thread.start()

    @classmethod
    def early(cls, jobs: int, annexes: bool) -> Drawer | None:
        """A drawer started before the sources are read, for a first build into its folder (sure to draw: every
        document is new) that may make annexes (``annexes``), with other processes to work meanwhile (``jobs``)."""
        return cls() if jobs > 1 and annexes and can_fork() else None

    def __enter__(self) -> Drawer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def draw(self, charts: Sequence[Chart]) -> None:
        """Draw these charts (those not already asked for), in this order; returns at once."""
        for chart in charts:
            with self._lock:
                if chart.key in self.drawn:
                    continue
                self.drawn[chart.key] = Future()
            self._outbox.put(chart)

    def pngs(self, keys: set[str]) -> dict[str, bytes]:
        """The PNGs of the charts ``keys`` it was given (waiting for them), less those whose drawing failed."""
        drawn = {key: self.drawn[key].result() for key in keys if key in self.drawn}
        return {key: png for key, png in drawn.items() if png is not None}

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._outbox.put(None)
        for thread in self._threads:
            thread.join()
        self._connection.close()

    def _send(self) -> None:
        while (chart := self._outbox.get()) is not None:
            try:
                self._connection.send((chart.key, chart.draw, chart.data))
            except OSError:  # the process ended: the documents draw their charts themselves
                self._settle(chart.key, None)

    def _receive(self) -> None:
        try:
            while True:
                self._settle(*self._connection.recv())
        except (EOFError, OSError):  # the process ended
            pass
        with self._lock:
            for future in self.drawn.values():
                if not future.done():
                    future.set_result(None)

    def _settle(self, key: str, png: bytes | None) -> None:
        with self._lock:
            if not self.drawn[key].done():
                self.drawn[key].set_result(png)


def _serve(connection: multiprocessing.connection.Connection) -> None:
    """The drawer's process: matplotlib imported at once, then each chart it is sent drawn and sent back."""
    end_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the build answers it
    gc.disable()  # importing matplotlib makes many objects and no garbage: the collector would scan them again and again
    from .documents import charts

    charts.warm()
    gc.freeze()  # what is imported lives as long as the process: its collections need not scan it
    gc.enable()  # a figure drawn is garbage with cycles
    while True:
        try:
            key, draw, data = connection.recv()
        except EOFError:  # the build is done with it
            return
        try:
            png: bytes | None = draw(**data)
        except Exception:  # drawn again, where the error is reported, by the document that shows it
            png = None
        connection.send((key, png))
