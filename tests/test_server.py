"""pao serve: the pages, downloads and review of a project, served on 127.0.0.1, with the located problems
of pao validate while the sources have errors."""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from generator.diagnostics import SelectionError
from generator.project import find_project
from generator.server import HOST, Preview, application, listening_socket, server
from tests.conftest import PAO, PLAN_ID, Project, _chdir
from tests.html.reading import found, page_text
from tests.review.test_diff import PATCH, _git

PAGE = "/" + PAO.removesuffix(".docx") + ".html"
PLAN = f"source/{PLAN_ID}/plan.yaml"
KPI = "text: Número de reuniones de intercambio de inteligencia criminal."


@pytest.fixture
def served(tmp_path: Path):
    """A copy of the project and a client of its preview (no file watching: tests reload by hand)."""
    project = Project(tmp_path)
    with _chdir(project.folder):
        preview = Preview(find_project(project.folder))
        yield project, preview, TestClient(application(preview, watch=False))


def test_the_index_links_every_document_of_every_language(served):
    _, _, client = served
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    links = re.findall(r'href="(/[^"]+\.html)"', response.text)
    assert len(links) == 24 and PAGE in links
    assert f'href="/{PLAN_ID}/pt/anexo-{PLAN_ID}-2023-S1-pt.pdf"' in response.text
    for link in links:
        page = client.get(link)
        assert page.status_code == 200, link
        assert "<h1>" in page.text and 'src="/events"' not in page.text


def test_a_page_links_the_same_document_in_the_other_languages(served):
    _, _, client = served
    html = client.get(f"/{PLAN_ID}/en/ficha-{PLAN_ID}-AO-2.1-en.html").text
    links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)">', html)
    assert links == [(f"/{PLAN_ID}/es/ficha-{PLAN_ID}-AO-2.1-es.html", "es"), (f"/{PLAN_ID}/pt/ficha-{PLAN_ID}-AO-2.1-pt.html", "pt")]


def test_a_page_reloads_itself_when_the_sources_change(served):
    _, preview, client = served
    html = client.get(PAGE).text
    assert 'new EventSource("/events")' in html and f'var seen = "{preview.version}";' in html
    assert 'href="/' + PAO.removesuffix(".docx") + '.docx" download>.docx</a>' in html


def test_the_docx_download_is_the_document_pao_build_makes(served, built):
    _, _, client = served
    response = client.get("/" + PAO)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="pao-{PLAN_ID}-es.docx"'
    assert hashlib.sha256(response.content).digest() == hashlib.sha256((built / PAO).read_bytes()).digest()


def test_a_pdf_is_converted_on_demand(served):
    from generator.pdf.office import Office, OfficeMissing

    try:
        Office.find()
    except OfficeMissing as exc:
        pytest.skip(str(exc))
    _, _, client = served
    response = client.get(f"/{PLAN_ID}/es/ficha-{PLAN_ID}-AO-1.1-es.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert response.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize(
    "address",
    ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", f"/{PLAN_ID}/es/../../../../etc/passwd", "/etc/passwd",
     f"/{PLAN_ID}/es/pao-{PLAN_ID}-es", f"/{PLAN_ID}/es/pao-{PLAN_ID}-es.yaml", "/source/organisations.yaml",
     f"/source/{PLAN_ID}/plan.yaml", "/pyproject.toml"],
)
def test_nothing_but_the_documents_is_served(served, address):
    _, _, client = served
    response = client.get(address)
    assert response.status_code == 404
    assert "root:" not in response.text and "strategic_objectives" not in response.text


def test_a_raw_path_leading_out_is_not_found(served):
    # httpx would tidy ../ away: send it as written
    project, preview, _ = served
    sock = listening_socket(0)
    running = server(preview)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        port = sock.getsockname()[1]
        _wait_until_up(port)
        import http.client

        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        connection.request("GET", "/../../etc/passwd")
        response = connection.getresponse()
        assert response.status == 404 and b"root:" not in response.read()
        connection.close()
    finally:
        running.stop()
        thread.join(10)
    assert not thread.is_alive()


def _wait_until_up(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds  # a busy machine takes its time to import and load
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=5) as response:
                response.read()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not start within {seconds:g} s")


def test_the_server_listens_on_this_computer_only():
    sock = listening_socket(0)
    try:
        assert sock.getsockname()[0] == "127.0.0.1" == HOST
    finally:
        sock.close()


def test_a_port_in_use_is_a_clear_message():
    first = listening_socket(0)
    try:
        with pytest.raises(SelectionError, match=rf"^--port {first.getsockname()[1]}: .*: choose another port$|^--port {first.getsockname()[1]}: .*; choose another port$"):
            listening_socket(first.getsockname()[1])
    finally:
        first.close()


def test_text_with_ampersands_brackets_quotes_and_emoji_is_shown_verbatim(served):
    project, preview, client = served
    typed = 'R&D <b>bold?</b> "quoted" \'single\' 🚀'
    project.edit(PLAN, KPI, 'text: "' + typed.replace('"', '\\"') + '"')
    preview.reload()
    html = client.get(PAGE).text
    assert "R&amp;D &lt;b&gt;bold?&lt;/b&gt; &#34;quoted&#34; &#39;single&#39; 🚀" in html
    assert typed in page_text(html)
    sheet = client.get(f"/{PLAN_ID}/es/ficha-{PLAN_ID}-AO-1.1-es.html").text
    assert typed in page_text(sheet)


def test_errors_show_the_messages_of_pao_validate_and_the_page_recovers(served):
    project, preview, client = served
    project.edit(PLAN, KPI, KPI + "\n        target: [")
    expected = project.pao("validate")
    assert expected.exit_code == 1
    preview.reload()
    for address in (PAGE, "/", "/" + PAO):
        response = client.get(address)
        assert response.status_code == 500
        shown = found(r'<pre class="problems" role="alert">(.*?)</pre>', response.text, 1)
        assert shown.replace("&#39;", "'").replace("&#34;", '"') == expected.stderr.strip()
    assert re.match(rf"source/{PLAN_ID}/plan.yaml:\d+:\d+: ERROR: ", expected.stderr)
    assert 'new EventSource("/events")' in client.get(PAGE).text  # it comes back by itself
    project.edit(PLAN, KPI + "\n        target: [", KPI)
    preview.reload()
    response = client.get(PAGE)
    assert response.status_code == 200 and "Número de reuniones de intercambio de inteligencia criminal." in page_text(response.text)


def test_every_mistake_in_a_catalog_or_progress_report_is_shown_located(served):
    project, preview, client = served
    report = next((project.plan / "progress").glob("*.yaml"))
    text = report.read_text(encoding="utf-8")
    report.write_text(text + "\nunknown_field: 1\n", encoding="utf-8")
    expected = project.pao("validate").stderr.strip()
    preview.reload()
    response = client.get(PAGE)
    assert response.status_code == 500 and f"progress/{report.name}:" in response.text
    assert expected.split("\n")[0] in response.text.replace("&#39;", "'").replace("&#34;", '"')


def test_the_preview_reloads_when_a_file_is_saved(served):
    project, preview, _ = served
    with TestClient(application(preview)) as client:  # its lifespan watches the sources
        before = preview.version
        time.sleep(0.3)  # the watcher starts
        started = time.monotonic()
        project.edit(PLAN, KPI, "text: Número de reuniones semestrales de intercambio.")
        while preview.version == before and time.monotonic() - started < 10:
            time.sleep(0.05)
        assert preview.version > before, "no reload within 10 s"
        assert "reuniones semestrales de intercambio" in client.get(PAGE).text


def test_the_preview_keeps_watching_after_a_reload_that_fails_unexpectedly(served, monkeypatch, capsys):
    project, preview, _ = served
    reload = preview.reload
    failures: list[bool] = []

    def failing_once():
        if not failures:
            failures.append(True)
            raise RuntimeError("a bug")
        return reload()

    monkeypatch.setattr(preview, "reload", failing_once)
    with TestClient(application(preview)) as client:
        before = preview.version
        time.sleep(0.3)  # the watcher starts
        project.edit(PLAN, KPI, "text: Número de reuniones semestrales de intercambio.")
        started = time.monotonic()
        while not failures and time.monotonic() - started < 10:
            time.sleep(0.05)
        time.sleep(1.5)  # past the watcher's debounce: the next save is a new change
        project.edit(PLAN, "reuniones semestrales de intercambio", "reuniones anuales de intercambio")
        while preview.version == before and time.monotonic() - started < 20:
            time.sleep(0.05)
        assert preview.version > before, "the watcher stopped after the failure"
        assert "reuniones anuales de intercambio" in client.get(PAGE).text
    assert "RuntimeError: a bug" in capsys.readouterr().err


@pytest.fixture
def versioned(tmp_path: Path):
    """The project committed in git, then edited as tests/fixtures/plan-v2.patch says (not committed)."""
    project = Project(tmp_path)
    _git(project.folder, "init", "-q")
    _git(project.folder, "add", ".")
    _git(project.folder, "commit", "-qm", "v1")
    _git(project.folder, "apply", str(PATCH))
    with _chdir(project.folder):
        preview = Preview(find_project(project.folder))
        yield project, TestClient(application(preview, watch=False))


def test_the_diff_page_shows_inserted_and_deleted_words_side_by_side(versioned):
    _, client = versioned
    response = client.get("/diff?old=HEAD")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Changes: HEAD → working tree</h1>" in html and "12 change(s)." in html
    row = found(r'<span class="change-id">AO-1.1/intelligence-meetings</span><br>changed: target</th>(.*?)</tr>', html, 1)
    assert row == '<td lang="es">Al menos <del>2</del> reuniones</td><td lang="es">Al menos <ins>3</ins> reuniones</td>'
    for title in ("Plan", "Operational actions", "KPIs and targets", "Activities and calendars", "Paragraphs, headings and list items", "Footnotes"):
        assert f"<h3>{title}</h3>" in html
    assert '<a href="/diff/redline?old=HEAD&amp;plan=cocaina-2022">' in html


def test_the_redline_is_downloaded_from_the_diff_page(versioned):
    from generator.ooxml.reader import docx_text

    _, client = versioned
    response = client.get(f"/diff/redline?old=HEAD&plan={PLAN_ID}")
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert response.headers["content-disposition"] == f'attachment; filename="redline-pao-{PLAN_ID}-es.docx"'
    assert "Al menos 3 reuniones" in docx_text(response.content)


@pytest.mark.parametrize("query", ["old=/etc", "old=source", "new=..", "old=--output=/tmp/x"])
def test_the_diff_page_compares_git_revisions_only(versioned, query):
    _, client = versioned
    response = client.get(f"/diff?{query}")
    assert response.status_code == 400 and "is not a git revision" in response.text


def test_an_unknown_revision_is_a_located_message(versioned):
    _, client = versioned
    response = client.get("/diff?old=v9")
    assert response.status_code == 500
    assert "v9: ERROR: unknown revision &#39;v9&#39;: give a tag, a commit, a branch or a folder [diff.unknown-revision]" in response.text


def test_pao_diff_html_writes_the_page_beside_the_reports(versioned):
    project, _ = versioned
    result = project.pao("diff", "HEAD", "--html")
    assert result.exit_code == 0, result.output
    page = project.path(f"build/diff/{PLAN_ID}/changes-{PLAN_ID}.html").read_text(encoding="utf-8")
    assert "Al menos <ins>3</ins> reuniones" in page and "Al menos <del>2</del> reuniones" in page
    assert f'<a href="redline-pao-{PLAN_ID}-es.docx">redline-pao-{PLAN_ID}-es.docx</a>' in page
    assert project.path(f"build/diff/{PLAN_ID}/redline-pao-{PLAN_ID}-es.docx").is_file()
    assert "<script" not in page and 'href="/' not in page  # a file to e-mail: no server behind it
    assert f"build/diff/{PLAN_ID}/changes-{PLAN_ID}.html  (written)" in result.stderr


def test_pao_diff_without_html_writes_no_page(versioned):
    project, _ = versioned
    assert project.pao("diff", "HEAD").exit_code == 0
    assert not project.path(f"build/diff/{PLAN_ID}/changes-{PLAN_ID}.html").exists()


def test_pao_serve_refuses_a_plan_or_language_that_is_not_there(project):
    result = project.pao("serve", "--plan", "nope")
    assert result.exit_code == 2 and "no plan named nope (plans: cocaina-2022)" in result.stderr
    result = project.pao("serve", "--lang", "fr")
    assert result.exit_code == 2 and "--lang: the plans are in en, es, pt" in result.stderr


def test_pao_serve_serves_until_stopped(project):
    # the real command, as a person runs it: Ctrl-C (SIGINT) ends it; pao.toml's languages are its default
    project.path("pao.toml").write_text('[build]\nlanguages = ["es", "en"]\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    sock = listening_socket(0)
    port = sock.getsockname()[1]
    sock.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--port", str(port)], cwd=project.folder, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        _wait_until_up(port)
        with urllib.request.urlopen(f"http://{HOST}:{port}{PAGE}", timeout=10) as response:
            html = response.read().decode()
        assert "Plan de acción operativo 2022-2024" in html
        with urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=10) as response:
            index = response.read().decode()
        assert f"/{PLAN_ID}/en/pao-{PLAN_ID}-en.html" in index and f"/{PLAN_ID}/pt/" not in index
    finally:
        process.send_signal(2)
        _, stderr = process.communicate(timeout=20)
    assert f"pao: serving the plans at http://127.0.0.1:{port}/ (Ctrl-C to stop)" in stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize("query", ["plan=nope", f"plan={PLAN_ID}&lang=fr", ""])
def test_a_redline_of_a_plan_or_language_that_is_not_there_is_not_found(versioned, query):
    _, client = versioned
    assert client.get(f"/diff/redline?old=HEAD&{query}").status_code == 404


def test_a_redline_in_another_language(versioned):
    from generator.ooxml.reader import docx_text

    _, client = versioned
    response = client.get(f"/diff/redline?old=HEAD&plan={PLAN_ID}&lang=en")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="redline-pao-{PLAN_ID}-en.docx"'
    assert "At least 3 meetings" in docx_text(response.content)
