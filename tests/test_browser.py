"""A person's view: headless Chromium opens the landing page and every report offline.

Every image must decode, no resource may fail to load, nothing may be fetched from the network,
and the Chinese headings must be there as text. Skips with its reason where Chromium is absent
(CI installs Debian's `chromium`, see .ci/run).
"""

from __future__ import annotations

import shutil
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
