"""The dashboard in a real browser: notebooks/dashboard.ipynb served by Voilà on localhost,
opened in Debian's headless chromium through Playwright. The widgets render, a control
changes the verdict, a view draws its figure; the Export view's link downloads the report and
its Copy button copies the code. The screenshot is kept as a test artifact (in
$SMOTE_DIAG_ARTIFACTS when set, else pytest's tmp_path), never committed. One Voilà server
serves the tests (each page gets its own kernel)."""

import os
import pathlib
import re
from contextlib import contextmanager

import pytest

from ..browser import chromium_page, needs_chromium, needs_voila, voila_server

pytestmark = [*needs_chromium, needs_voila]
NOTEBOOK = pathlib.Path(__file__).parents[2] / "notebooks" / "dashboard.ipynb"
WAIT_MS = 120_000  # the kernel starts and diagnoses the demo data first


def _artifacts(tmp_path) -> pathlib.Path:
    folder = pathlib.Path(os.environ.get("SMOTE_DIAG_ARTIFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def url():
    with voila_server(NOTEBOOK) as served:
        yield served


@contextmanager
def dashboard_page(url, errors, outside):
    """The dashboard in a fresh page, once its verdict shows; nothing leaves localhost."""
    with chromium_page(viewport={"width": 1200, "height": 1100}) as page:
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        def only_localhost(route):
            if route.request.url.startswith(url):
                route.continue_()
            else:  # Voilà's own page asks a CDN for icon fonts; the closed network refuses
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", only_localhost)
        page.goto(url, timeout=WAIT_MS)
        page.wait_for_selector(".widget-tab", timeout=WAIT_MS)
        page.wait_for_function(
            "document.body.innerText.includes('Recommendation:')", timeout=WAIT_MS
        )
        yield page


def test_the_dashboard_renders_and_reacts_in_chromium(url, tmp_path):
    errors, outside = [], []
    with dashboard_page(url, errors, outside) as page:
        n_sliders = page.locator(".widget-slider").count()
        n_dropdowns = page.locator(".widget-dropdown select").count()
        assert "(objective: balanced accuracy)" in page.inner_text("body")
        assert re.search(r"Recommendation:\s*cluster_smote", page.inner_text("body"))

        dropdown = page.locator(".widget-dropdown", has_text="objective").locator("select")
        dropdown.select_option("probability")
        page.wait_for_function(
            "document.body.innerText.includes('(objective: probability)')", timeout=WAIT_MS
        )
        # for calibrated probabilities the advice on the demo changes: no resampling
        page.wait_for_function(
            r"/Recommendation:\s*no_resampling/.test(document.body.innerText)", timeout=WAIT_MS
        )

        page.get_by_text("Clusters", exact=True).click()
        page.wait_for_function(
            """() => [...document.querySelectorAll('.widget-image')]
                 .some(img => img.offsetParent !== null && img.naturalWidth > 0)""",
            timeout=WAIT_MS,
        )
        clusters = page.inner_text("body")
        page.screenshot(path=str(_artifacts(tmp_path) / "dashboard.png"), full_page=True)

        # the advice adds nothing: the preview draws the real points and says why
        page.get_by_text("Resample preview", exact=True).click()
        page.wait_for_function(
            """() => document.body.innerText.includes('no synthetic rows')
                 && [...document.querySelectorAll('.widget-image')]
                      .some(img => img.offsetParent !== null && img.naturalWidth > 0)""",
            timeout=WAIT_MS,
        )
        assert "Nothing was resampled: " in page.inner_text("body")
    assert errors == []
    assert n_sliders >= 2 and n_dropdowns >= 3
    assert "minority clustering" in clusters
    assert all("cdn.jsdelivr.net" in u for u in outside), outside  # nothing of ours leaves


def test_the_export_view_downloads_the_report_and_copies_the_code(url):
    errors, outside = [], []
    with dashboard_page(url, errors, outside) as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url[:-1])
        page.get_by_text("Export", exact=True).click()
        link = page.locator("a[download='smote_diag.html']")
        link.wait_for(timeout=WAIT_MS)
        with page.expect_download(timeout=WAIT_MS) as download:
            link.click()
        assert download.value.failure() is None
        saved = pathlib.Path(download.value.path()).read_text(encoding="utf-8")
        assert download.value.suggested_filename == "smote_diag.html"
        assert saved.startswith("<!DOCTYPE html>") and "Recommendation:" in saved

        blocks = page.locator(".sd-code pre")
        family, line, size = blocks.first.evaluate(
            "p => ['fontFamily', 'lineHeight', 'fontSize'].map(k => getComputedStyle(p)[k])"
        )
        assert "monospace" in family and float(line[:-2]) < 1.6 * float(size[:-2])
        code = blocks.first.text_content()
        assert code.startswith("import smote_diag\n\nreport = smote_diag.diagnose(df, ")

        buttons = page.locator("button.sd-copy")
        buttons.first.click()  # the clipboard API (localhost is a secure context)
        page.wait_for_function(
            "document.querySelector('button.sd-copy').textContent === 'Copied'",
            timeout=10_000,
        )
        assert page.evaluate("navigator.clipboard.readText()") == code
        # without the clipboard API (plain http on another host): the code is selected
        page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
        buttons.nth(1).click()
        page.wait_for_function(
            "document.querySelectorAll('button.sd-copy')[1].textContent !== 'Copy'",
            timeout=10_000,
        )
        assert page.evaluate("window.getSelection().toString()") == blocks.nth(1).text_content()
    assert errors == []
    assert all("cdn.jsdelivr.net" in u for u in outside), outside
