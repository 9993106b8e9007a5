"""pao serve in a real browser: Debian's chromium, driven by Playwright (not Playwright's own browsers).

Each test serves a copy of the project (never source/ itself) on 127.0.0.1 and
reads the pages as a person sees them; screenshots of the PAO and of the diff
page are left in build/screenshots/ for a person to look at.
"""
from __future__ import annotations

import re
import shutil
import threading
import time
from pathlib import Path

import pytest

from generator.ooxml.reader import docx_text
from generator.project import find_project
from generator.server import HOST, Preview, listening_socket, server
from tests.conftest import PAO, PLAN_ID, ROOT, Project, _chdir
from tests.html.reading import sentences
from tests.review.test_diff import _git

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make system installs it): no browser to test pao serve in")

PAGE = "/" + PAO.removesuffix(".docx") + ".html"
PLAN = f"source/{PLAN_ID}/plan.yaml"
KPI = "text: Número de reuniones de intercambio de inteligencia criminal."
SCREENSHOTS = ROOT / "build" / "screenshots"
# the page's words as a person reads them: footnote marks and back links aside
READ = """() => {
  const main = document.querySelector("main").cloneNode(true);
  main.querySelectorAll(".note-ref, .note-back").forEach(e => e.remove());
  document.body.appendChild(main);  // innerText needs the layout
  const text = main.innerText;
  main.remove();
  return text;
}"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # CI runs the tests as root, where chromium's sandbox cannot start, in a container whose /dev/shm is small
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield launched
        launched.close()


class Served:
    def __init__(self, project: Project, preview: Preview, port: int) -> None:
        self.project, self.preview, self.port = project, preview, port

    def edit(self, relative: str, old: str, new: str) -> None:
        """Edit a source and wait until the server has read it again."""
        version = self.preview.version
        self.project.edit(relative, old, new)
        started = time.monotonic()
        while self.preview.version == version:
            assert time.monotonic() - started < 10, "the server did not reload"
            time.sleep(0.05)

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"


@pytest.fixture
def served(tmp_path: Path):
    """A copy of the project, committed in git, served by pao serve's server (watching its files) on a free port."""
    project = Project(tmp_path)
    _git(project.folder, "init", "-q")
    _git(project.folder, "add", ".")
    _git(project.folder, "commit", "-qm", "v1")
    with _chdir(project.folder):
        preview = Preview(find_project(project.folder))
        sock = listening_socket(0)
        running = server(preview)
        thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not running.started:
            time.sleep(0.05)
        time.sleep(0.3)  # the watcher starts with the application
        yield Served(project, preview, sock.getsockname()[1])
        running.stop()
        thread.join(10)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pao_page_shows_every_sentence_of_the_spanish_pao(served, page, built):
    page.goto(served.url(PAGE))
    text = _words(page.evaluate(READ))
    expected = sentences(docx_text((built / PAO).read_bytes()))
    assert len(expected) > 200
    assert [line for line in expected if line not in text] == []
    assert page.title() == "Plan de acción operativo 2022-2024"
    assert page.locator("html").get_attribute("lang") == "es"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"pao-{PLAN_ID}-es.png"), full_page=True)


def test_footnote_links_jump_to_the_note_and_back(served, page):
    from playwright.sync_api import expect

    page.goto(served.url(PAGE))
    for n in (1, 9, 17):
        page.click(f"#mark-{n}")
        expect(page).to_have_url(re.compile(rf"#note-{n}$"))
        expect(page.locator(f"#note-{n}")).to_be_in_viewport()
        page.click(f"#note-{n} .note-back")
        expect(page).to_have_url(re.compile(rf"#mark-{n}$"))
        expect(page.locator(f"#mark-{n}")).to_be_in_viewport()
    assert page.locator("#note-1").inner_text().startswith("Evaluación de la Amenaza del Crimen Transnacional Organizado")


def test_editing_a_kpi_updates_the_open_page(served, page):
    page.goto(served.url(PAGE))
    assert "reuniones bilaterales" not in page.evaluate(READ)
    started = time.monotonic()
    served.project.edit(PLAN, KPI, "text: Número de reuniones bilaterales de intercambio de inteligencia criminal.")
    page.wait_for_function("() => document.body.innerText.includes('a) Número de reuniones bilaterales de intercambio')", timeout=10_000)
    elapsed = time.monotonic() - started
    print(f"the page updated {elapsed:.2f} s after the save")
    assert elapsed < 3.0, f"the page took {elapsed:.1f} s to update"


def test_a_syntax_error_shows_the_located_message_and_fixing_it_brings_the_page_back(served, page):
    page.goto(served.url(PAGE))
    served.project.edit(PLAN, KPI, KPI + "\n        target: [")
    expected = served.project.pao("validate").stderr.strip()
    page.wait_for_selector("pre.problems", timeout=10_000)
    assert page.inner_text("pre.problems").strip() == expected
    assert re.match(rf"source/{PLAN_ID}/plan\.yaml:\d+:\d+: ERROR: YAML syntax error", expected)
    served.project.edit(PLAN, KPI + "\n        target: [", KPI)
    page.wait_for_selector("h1:has-text('Plan de acción operativo 2022-2024')", timeout=10_000)
    assert page.locator("pre.problems").count() == 0
    assert "a) Número de reuniones de intercambio de inteligencia criminal." in page.evaluate(READ)


def test_the_diff_page_highlights_an_inserted_word(served, page):
    served.project.edit(PLAN, KPI, "text: Número de reuniones bilaterales de intercambio de inteligencia criminal.")
    served.edit(PLAN, "target: {comparator: at_least, value: 2, counted: reuniones}", "target: {comparator: at_least, value: 3, counted: reuniones}")
    page.goto(served.url("/diff?old=HEAD"))
    inserted = page.locator("ins", has_text="bilaterales")
    assert inserted.is_visible()
    assert inserted.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    row = page.locator("tr", has=page.locator(".change-id", has_text="AO-1.1/intelligence-meetings")).filter(has_text="target")
    assert row.locator("td").nth(0).locator("del").inner_text() == "2"
    assert row.locator("td").nth(1).locator("ins").inner_text() == "3"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"diff-{PLAN_ID}.png"), full_page=True)
    with page.expect_download() as download:
        page.click(f"text=redline-pao-{PLAN_ID}-es.docx")
    assert "reuniones bilaterales" in docx_text(Path(download.value.path()).read_bytes())


# the lowest contrast ratio (WCAG 2) between any text of the page and the background it is drawn on
LOWEST_CONTRAST = """() => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const background = e => {
    for (; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  let lowest = [21, ""];
  for (const e of document.querySelectorAll("body *")) {
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !e.getClientRects().length) continue;
    const a = luminance(rgb(getComputedStyle(e).color)), b = luminance(background(e));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < lowest[0]) lowest = [ratio, e.tagName + ": " + e.textContent.trim().slice(0, 40)];
  }
  return lowest;
}"""


@pytest.mark.parametrize("path", [PAGE, f"/{PLAN_ID}/es/anexo-{PLAN_ID}-2023-S1-es.html", f"/{PLAN_ID}/pt/ficha-{PLAN_ID}-AO-3.1-pt.html", "/", "/diff?old=HEAD"])
def test_every_text_has_sufficient_contrast(served, page, path):
    served.edit(PLAN, KPI, "text: Número de reuniones bilaterales de intercambio de inteligencia criminal.")  # a change for /diff
    page.goto(served.url(path))
    ratio, where = page.evaluate(LOWEST_CONTRAST)
    assert ratio >= 4.5, f"contrast {ratio:.2f} at {where}"
