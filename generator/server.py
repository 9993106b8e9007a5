"""``pao serve``: the plans as web pages on this computer, updated as their sources are saved.

A ``Preview`` holds the project as the browser sees it: the editions of the
current sources (``pipeline.load`` and ``localize``, the checks of ``pao
validate``), or the located problems that stop them.  watchfiles tells it
when a file of the sources or templates is saved; it reloads, and every open
page, which listens on ``/events`` (server-sent events), reloads itself.
Pages come from ``html``; .docx and PDF downloads from ``pipeline.render``
and ``pipeline.convert``, as ``pao build`` makes them (nothing is written);
``/diff`` is ``pao diff``'s report from ``review``.  The server listens on
127.0.0.1 only and serves nothing but what it builds: no file is read by its
address.
"""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
import tempfile
import threading
import traceback
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from types import FrameType
from urllib.parse import urlencode

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Route

from . import pipeline
from .diagnostics import Diagnostic, Diagnostics, SelectionError, SourceError, count
from .documents.edition import Edition
from .documents.kinds import Document, documents
from .html.changes import changes_page
from .html.pages import Chrome, document_page, index_page, problems_page
from .output import Output
from .project import Project
from .review import Compared, compare_versions, redlines
from .review.versions import Version

HOST = "127.0.0.1"  # this computer only: the pages show unpublished plans
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PING = 15.0  # seconds between keep-alive comments on /events


@dataclasses.dataclass(frozen=True)
class Loaded:
    """Sources that load: their documents by path without ``.docx``, and the warnings of ``pao validate``."""

    documents: dict[str, Document]
    editions: list[Edition]
    warnings: list[Diagnostic]


@dataclasses.dataclass(frozen=True)
class Broken:
    """Sources with errors: the lines ``pao validate`` prints (errors, warnings, their count)."""

    lines: list[str]


class Preview:
    """The project's current sources, reloaded when told; ``version`` grows at every reload."""

    def __init__(self, project: Project, selection: pipeline.Selection | None = None, pdf_timeout: float = 180.0) -> None:
        self.project = project
        self.selection = selection or pipeline.Selection()
        self.refused: SelectionError | None = None  # the last load's: a plan or language chosen is not in the sources
        self.pdf_timeout = pdf_timeout
        self.version = 0
        self.state: Loaded | Broken = Broken([])
        self.lock = threading.Lock()  # one render at a time: matplotlib's pyplot is not thread-safe
        self._changed: asyncio.Event | None = None
        self.loop: asyncio.AbstractEventLoop | None = None  # the server's, once it runs
        self.closing = False  # the server stops: open event streams end, so that it need not cut them
        self.reload()

    def reload(self) -> Loaded | Broken:
        """Load the sources again: their documents, or the problems that stop them."""
        warnings: list[Diagnostic] = []
        self.refused = None
        try:
            sources = pipeline.load(self.project.source, warn=warnings.append)
            pipeline.check_selection(sources, self.selection)
            pipeline.check_file_names(sources)
            editions = pipeline.localize(sources, self.selection, warn=warnings.append)
            state: Loaded | Broken = Loaded({d.path.removesuffix(".docx"): d for e in editions for d in documents(e)}, editions, warnings)
        except SourceError as error:
            errors = [d for d in error.diagnostics if d.severity == "ERROR"]
            warnings += [d for d in error.diagnostics if d.severity == "WARNING"]
            state = Broken([*map(str, errors + warnings), count(len(errors), len(warnings))])
        except SelectionError as error:  # a plan or language chosen with --plan or --lang is not (or no longer) there
            self.refused = error
            state = Broken([str(error)])
        self.state = state
        self.version += 1
        return state

    async def changed(self) -> None:
        """Wait until the next reload."""
        if self._changed is None:
            self._changed = asyncio.Event()
        await self._changed.wait()

    def announce(self) -> None:
        """Wake whoever waits in ``changed`` (in the server's event loop)."""
        if self._changed is not None:
            self._changed.set()
        self._changed = asyncio.Event()

    def watched(self) -> list[Path]:
        return [folder for folder in (self.project.source, self.project.templates) if folder.is_dir()]


def application(preview: Preview, watch: bool = True, on_reload: Callable[[Loaded | Broken], None] = lambda state: None) -> Starlette:
    """The web application of ``preview``; ``watch`` reloads it when a watched file is saved."""

    def chrome(downloads: list[tuple[str, str]] | None = None) -> Chrome:
        return Chrome(downloads or [], version=preview.version)

    def broken(state: Broken) -> HTMLResponse:
        page = problems_page(
            "The sources have errors",
            "Fix them and save: this page comes back by itself. The same messages as pao validate:",
            "\n".join(state.lines), chrome(),
        )
        return HTMLResponse(page, status_code=500)

    def not_found(address: str) -> HTMLResponse:
        return HTMLResponse(problems_page("Not found", f"No document at {address}: the index lists every one.", "", chrome()), status_code=404)

    def index(request: Request) -> Response:
        state = preview.state
        if isinstance(state, Broken):
            return broken(state)
        with preview.lock:
            return HTMLResponse(index_page(state.editions, "\n".join(map(str, state.warnings)), chrome(), diff=True))

    def document(request: Request) -> Response:
        state, address = preview.state, request.path_params["address"]
        stem, dot, suffix = address.rpartition(".")
        if isinstance(state, Broken):
            return broken(state)
        found = state.documents.get(stem) if dot and suffix in ("html", "docx", "pdf") else None
        if found is None:
            return not_found(request.url.path)
        name = found.path.rsplit("/", 1)[-1].removesuffix(".docx")
        try:
            with preview.lock:
                if suffix == "html":
                    downloads = [(".docx", f"/{stem}.docx"), ("PDF", f"/{stem}.pdf")]
                    languages = [
                        (d.edition.language, f"/{path}.html") for path, d in state.documents.items()
                        if d.edition.plan.id == found.edition.plan.id and d.kind is found.kind
                        and d.kind.subject_id(d.subject) == found.kind.subject_id(found.subject) and d is not found
                    ]
                    return HTMLResponse(document_page(found, Chrome(downloads, languages, preview.version)))
                word = _render(preview, found)
        except SourceError as error:  # a template's mistake
            return broken(_problems(error))
        if suffix == "docx":
            return _download(word.data, DOCX, f"{name}.docx")
        problems = Diagnostics()  # LibreOffice runs apart: pages keep coming while it converts
        pdfs = pipeline.convert([word], preview.project.build, problems, preview.pdf_timeout)
        if not pdfs:
            return broken(Broken([*map(str, problems.sorted()), count(len(problems.errors), len(problems.warnings))]))
        return _download(pdfs[0].output.data, "application/pdf", f"{name}.pdf")

    def reviewed(request: Request, show: Callable[[Compared, Version, dict[str, str]], Response]) -> Response:
        """The two revisions the address names (``old``: HEAD, ``new``: the files as they are), compared and shown
        by ``show``; a located problem otherwise."""
        old, new = request.query_params.get("old") or "HEAD", request.query_params.get("new") or None
        refused = _not_a_revision(old) or _not_a_revision(new)
        if refused:
            return HTMLResponse(problems_page("Not a revision", refused, "", chrome()), status_code=400)
        versions = {"old": old, **({"new": new} if new else {})}
        with tempfile.TemporaryDirectory(prefix="pao-serve-diff-") as folder:
            try:
                before, after = Version(old, Path(folder), preview.project), Version(new, Path(folder), preview.project)
                with preview.lock:
                    return show(compare_versions(before, after), after, versions)
            except SourceError as error:
                return broken(_problems(error))

    def diff(request: Request) -> Response:
        def show(compared: Compared, after: Version, versions: dict[str, str]) -> Response:
            links = {
                r.plan.id: [(f"redline-pao-{r.plan.id}-{r.plan.language}.docx", "/diff/redline?" + urlencode({**versions, "plan": r.plan.id}))]
                for r in compared.plans
            }
            return HTMLResponse(changes_page(compared.plans, compared.notes, links, chrome()))

        return reviewed(request, show)

    def redline(request: Request) -> Response:
        def show(compared: Compared, after: Version, versions: dict[str, str]) -> Response:
            plan = next((r.plan for r in compared.plans if r.plan.id == request.query_params.get("plan")), None)
            made = redlines(compared, plan, after.templates, request.query_params.get("lang"), sheets=False) if plan else []
            if not made:  # no such plan in both versions, or not in that language
                return not_found(str(request.url.path))
            name, data = made[0]
            return _download(data, DOCX, name)

        return reviewed(request, show)

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            sent = preview.version
            yield f"retry: 500\ndata: {sent}\n\n"
            while not preview.closing:
                if preview.version == sent:
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(preview.changed(), PING)
                if preview.closing:
                    return
                if preview.version != sent:  # compared, not only awaited: a reload between two waits is not missed
                    sent = preview.version
                    yield f"data: {sent}\n\n"
                else:
                    yield ": still here\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        preview.loop = asyncio.get_running_loop()
        task = asyncio.create_task(_watch(preview, on_reload)) if watch else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    routes = [
        Route("/", index),
        Route("/events", events),
        Route("/diff", diff),
        Route("/diff/redline", redline),
        Route("/{address:path}", document),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


async def _watch(preview: Preview, on_reload: Callable[[Loaded | Broken], None]) -> None:
    from anyio import to_thread
    from watchfiles import awatch

    # step: how long a burst of saves may take; the page then shows them within a second
    folders = preview.watched()
    if not folders:  # no source folder yet: its pages say so; nothing to watch
        return
    async for _ in awatch(*folders, debounce=1000, step=50):
        try:
            state = await to_thread.run_sync(_reload, preview)
        except Exception:  # a bug of pao's, not a mistake in a source: said on the console; the next save tries again
            traceback.print_exc()
            continue
        preview.announce()
        on_reload(state)


def _reload(preview: Preview) -> Loaded | Broken:
    with preview.lock:
        return preview.reload()


def _problems(error: SourceError) -> Broken:
    return Broken([*map(str, error.diagnostics), count(error.errors, error.warnings)])


def _render(preview: Preview, document: Document) -> Output:
    """The document's .docx in memory, as ``pao build`` makes it."""
    kind = document.kind
    only = (kind.subject_id(document.subject) or kind.name,)
    return next(o for o in pipeline.render([document.edition], preview.project.templates, only) if o.path == document.path)


def _download(data: bytes, media_type: str, name: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _not_a_revision(spec: str | None) -> str:
    """Why ``spec`` is refused as a git revision ('' when it is one to try): the server reads no folder by name."""
    if spec is None:
        return ""
    if spec.startswith("-") or Path(spec).exists():
        return f"'{spec}' is not a git revision: give a tag, a commit or a branch (pao diff compares folders)"
    return ""


def listening_socket(port: int) -> socket.socket:
    """A socket listening on this computer only (127.0.0.1) at ``port`` (0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise SelectionError(f"--port {port}: {exc.strerror}; choose another port") from None
    sock.listen(128)
    return sock


class Server(uvicorn.Server):
    """uvicorn's server, which first ends the pages' event streams when it is told to stop."""

    def __init__(self, config: uvicorn.Config, preview: Preview) -> None:
        super().__init__(config)
        self.preview = preview

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._closing()
        super().handle_exit(sig, frame)

    def stop(self) -> None:
        """Stop serving (from any thread)."""
        self._closing()
        self.should_exit = True

    def _closing(self) -> None:
        self.preview.closing = True
        if self.preview.loop is not None:
            self.preview.loop.call_soon_threadsafe(self.preview.announce)


def server(preview: Preview, on_reload: Callable[[Loaded | Broken], None] = lambda state: None) -> Server:
    """A uvicorn server of ``preview``: ``run(sockets=[listening_socket(port)])`` serves until Ctrl-C or ``stop()``."""
    config = uvicorn.Config(application(preview, on_reload=on_reload), log_level="warning", timeout_graceful_shutdown=5, lifespan="on")
    return Server(config, preview)
