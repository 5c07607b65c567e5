"""A person's view: headless Chromium opens the landing page and every report offline.

Every image must decode, no resource may fail to load, nothing may be fetched from the network,
and the Chinese headings must be there as text. Each page prints to A4 with every table header
in the PDF's text (pdftotext from poppler-utils), the landing page fits a 390 px phone, every
report links back to index.html, and no Python repr, "None", "nan" or data-quality code shows
(zh and en runs). Skips with its reason where Chromium is absent (CI installs Debian's
`chromium`, see .ci/run).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("published")]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip(
            "headless Chromium is not installed (apt-get install chromium); .ci/run installs it"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright (Python) is not installed"
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _open(browser, path: Path) -> dict:
    page = browser.new_page()
    failures: list[str] = []
    external: list[str] = []
    page.on("requestfailed", lambda r: failures.append(f"{r.url} {r.failure}"))
    page.on(
        "response", lambda r: failures.append(f"{r.url} {r.status}") if r.status >= 400 else None
    )

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            return r.continue_()
        external.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri(), wait_until="load")
    images = page.evaluate(
        "() => Array.from(document.images).map(i => ({src: i.src.slice(0, 40), ok: i.complete && i.naturalWidth > 0}))"
    )
    text = page.inner_text("body")
    page.close()
    return {"failures": failures, "external": external, "images": images, "text": text}


def test_landing_page_and_reports_render_offline(browser, published) -> None:
    folder: Path = published.folder
    pages = [
        folder / "index.html",
        *sorted(p for p in folder.glob("*.html") if p.name != "index.html"),
    ]
    assert len(pages) >= 2
    for path in pages:
        seen = _open(browser, path)
        assert seen["failures"] == [], f"{path.name}: {seen['failures']}"
        assert seen["external"] == [], f"{path.name} reaches the network: {seen['external']}"
        broken = [i for i in seen["images"] if not i["ok"]]
        assert broken == [], f"{path.name}: images that do not decode: {broken}"
        assert "Traceback" not in seen["text"]
    landing = _open(browser, folder / "index.html")
    assert "客服运营分析工作簿" in landing["text"]
    assert "数据质量" in landing["text"]


def test_reports_have_charts(browser, published) -> None:
    for path in sorted(published.folder.glob("*.html")):
        if path.name == "index.html":
            continue
        seen = _open(browser, path)
        assert seen["images"], f"{path.name} has no chart"


PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture(scope="module")
def published_en(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path):
    """The same run in English: the shell must speak English too."""
    from analysis.runner import Progress, run

    out = tmp_path_factory.mktemp("reports-en")
    result = run(data=str(sample_dir), out=str(out), lang="en", progress=Progress(quiet=True))
    assert result.exit_code == 0, result.message
    return result


def _pages(folder: Path) -> list[Path]:
    return [
        folder / "index.html",
        *sorted(p for p in folder.glob("*.html") if p.name != "index.html"),
    ]


def _squash(text: str) -> str:
    """Text without whitespace: a PDF breaks a wrapped header cell over lines."""
    return re.sub(r"\s+", "", text)


Word = tuple[float, float, float, float, str]  # xMin, yMin, xMax, page, text


def _pdf_words(pdf: Path) -> list[Word]:
    """Every word of a PDF with its box (pdftotext -bbox), to find a header wrapped in its cell."""
    out = subprocess.run(
        [PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words: list[Word] = []
    for n, page in enumerate(out.split("<page ")[1:]):
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>',
            page,
        ):
            x, y, x2, text = float(m[1]), float(m[2]), float(m[3]), html.unescape(m[4])
            words.append((x, y, x2, n, text))
    return words


def _printed(header: str, words: list[Word], flat: str) -> bool:
    """Whether ``header`` is in the PDF: in its text flow, or as words stacked in one cell (the
    next piece right beside on the same line, or on one of the next lines at the same left)."""
    want = _squash(header)
    if want in flat:
        return True

    def rest(i: int, left: str, col: float) -> bool:
        if not left:
            return True
        x, y, x2, pg, _ = words[i]
        for j, (xj, yj, _x2, pj, tj) in enumerate(words):
            if pj != pg or not tj or not left.startswith(tj):
                continue
            # beside: the same line (CJK and Latin glyph boxes start a few points apart)
            beside = abs(yj - y) < 7 and -1 <= xj - x2 < 15
            # below: on a next line, within the piece's own width (right-aligned headers too)
            below = 0 < yj - y < 30 and col - 40 < xj < x2 + 10
            if (beside or below) and rest(j, left[len(tj) :], col):
                return True
        return False

    return any(
        want.startswith(t) and rest(i, want[len(t) :], w[0])
        for i, w in enumerate(words)
        if (t := w[4])
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_table_header_prints_to_a4(browser, published, published_en, lang, tmp_path) -> None:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
    folder = (published if lang == "zh" else published_en).folder
    for path in _pages(folder):
        page = browser.new_page()
        page.goto(path.as_uri(), wait_until="load")
        headers = page.evaluate(
            "() => Array.from(document.querySelectorAll('table thead th'))"
            ".filter(th => th.offsetParent !== null || getComputedStyle(th).display !== 'none')"
            ".map(th => th.textContent.trim()).filter(Boolean)"
        )
        pdf = tmp_path / f"{lang}-{path.stem}.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        page.close()
        flat = _squash(
            subprocess.run(
                [PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
        )
        words = _pdf_words(pdf)
        missing = sorted({h for h in headers if not _printed(h, words, flat)})
        assert missing == [], f"{lang} {path.name}: headers cut from the A4 print: {missing}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_landing_page_fits_a_phone(browser, published, published_en, lang) -> None:
    folder = (published if lang == "zh" else published_en).folder
    for path in _pages(folder):
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(path.as_uri(), wait_until="load")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        page.close()
        assert width <= 390, f"{lang} {path.name} scrolls sideways on a phone: {width} px"


def test_every_report_links_back_and_to_its_files(browser, published) -> None:
    folder = published.folder
    landing = browser.new_page()
    landing.goto((folder / "index.html").as_uri(), wait_until="load")
    linked = set(
        landing.evaluate("() => Array.from(document.links).map(a => a.getAttribute('href'))")
    )
    landing.close()
    for path in _pages(folder)[1:]:
        assert path.name in linked, f"index.html does not link {path.name}"
        page = browser.new_page()
        page.goto(path.as_uri(), wait_until="load")
        hrefs = page.evaluate("() => Array.from(document.links).map(a => a.getAttribute('href'))")
        page.close()
        assert "index.html" in hrefs, f"{path.name} has no link back to index.html"
        files = [h for h in hrefs if h and h.endswith((".csv", ".xlsx"))]
        assert files, f"{path.name} links none of its CSV/XLSX files"
        for f in files:
            assert (folder / f).is_file(), f"{path.name} links {f}, which is not published"


def test_tables_sort_and_filter_offline(browser, published) -> None:
    page = browser.new_page()
    page.goto((published.folder / "index.html").as_uri(), wait_until="load")
    table = page.locator("table.kefu-table").last
    rows = table.locator("tbody tr")
    n = rows.count()
    assert n > 15
    first_cell = lambda: rows.nth(0).locator("td").nth(1).inner_text()  # noqa: E731
    before = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(n)]
    table.locator("thead th").nth(1).click()
    after = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(n)]
    assert after == sorted(before), "clicking a header does not sort the table"
    table.locator("thead th").nth(1).click()
    assert first_cell() == max(before)
    box = page.locator("input.kefu-filter").last
    box.fill(before[-1])
    visible = page.evaluate(
        "() => Array.from(document.querySelectorAll('table.kefu-table')).pop()"
        ".querySelectorAll('tbody tr:not([style*=\"none\"])').length"
    )
    page.close()
    assert 0 < visible < n


#: Text that must never reach a reader: Python reprs and missing-value spellings.
REPRS = re.compile(r"PosixPath|WindowsPath|\bnan\b|\bNaN\b|\bNaT\b|<NA>")
NONE = re.compile(r"\bNone\b")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_repr_none_nan_or_code_in_visible_text(browser, published, published_en, lang) -> None:
    """Reprs, nan, "None" and data-quality codes fail on every page, the landing page and each
    report alike (the codes stay in data_quality.csv, the machine interface)."""
    from analysis.catalog import labels

    known = labels("dq", "zh")
    codes = re.compile(
        r"\b(" + "|".join(sorted((k for k in known if "_" in k), key=len, reverse=True)) + r")\b"
    )
    folder = (published if lang == "zh" else published_en).folder
    content: dict[str, list[str]] = {}
    for path in _pages(folder):
        text = _open(browser, path)["text"]
        reprs = sorted(set(REPRS.findall(text)))
        assert reprs == [], f"{lang} {path.name} shows {reprs}"
        found = sorted(set(codes.findall(text)) | set(NONE.findall(text)))
        if path.name == "index.html":
            assert found == [], f"{lang} index.html shows {found}"
        elif found:
            content[path.name] = found
    assert content == {}, f"{lang} report pages show codes or None: {content}"


CJK = re.compile(r"[\u3400-\u9fff]")


def test_english_run_shell_is_english(browser, published_en) -> None:
    """Title, nav bar and footer of every page, and the landing page's headings and
    verdicts, carry no Chinese in an English run (names and file names from the data may)."""
    for path in _pages(published_en.folder):
        page = browser.new_page()
        page.goto(path.as_uri(), wait_until="load")
        landing = path.name == "index.html"
        selector = (
            "h1, h2, .verdict, .card li > span:first-child"
            if landing
            else "nav.kefu-nav > a, .kefu-nav .files, .kefu-footer"
        )
        shell = page.evaluate(
            "(sel) => [document.title, ...Array.from(document.querySelectorAll(sel))"
            ".map(e => e.textContent)]",
            selector,
        )
        lang = page.evaluate("() => document.documentElement.lang")
        page.close()
        assert lang.startswith("en"), f"{path.name}: <html lang={lang}>"
        chinese = [s for s in shell if CJK.search(s or "")]
        assert chinese == [], f"{path.name} shell speaks Chinese in an English run: {chinese}"


@pytest.mark.parametrize("width", [1440, 390])
def test_service_report_reads_on_desktop_and_phone(browser, published, width) -> None:
    """服务质量月报: verdict first, every chart with an image, no sideways scroll on a phone."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((published.folder / "40_service.html").as_uri(), wait_until="load")
    first = page.evaluate("() => document.querySelector('ul.verdict li').textContent")
    headings = page.evaluate(
        "() => Array.from(document.querySelectorAll('h2')).map(h => h.textContent)"
    )
    n_images = page.evaluate("() => document.images.length")
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    page.close()
    assert first.startswith("3 日结案率未达标")
    assert {"各月趋势", "日内来电分布", "技能组", "班组", "坐席", "投诉统计", "周投诉统计"} <= set(
        headings
    )
    # two trends, intraday, the forecast's daily and intraday charts and its backtest,
    # complaints by type and channel, weekly
    assert n_images == 9
    assert scroll <= width
