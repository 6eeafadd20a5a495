"""The dashboard in a real browser: notebooks/dashboard.ipynb served by Voilà on localhost,
opened in Debian's headless chromium through Playwright. The widgets render, a control
changes the verdict, a view draws its figure. The screenshot is kept as a test artifact
(in $SMOTE_DIAG_ARTIFACTS when set, else pytest's tmp_path), never committed."""

import os
import pathlib
import re

from ..browser import chromium_page, needs_chromium, needs_voila, voila_server

pytestmark = [*needs_chromium, needs_voila]
NOTEBOOK = pathlib.Path(__file__).parents[2] / "notebooks" / "dashboard.ipynb"
WAIT_MS = 120_000  # the kernel starts and diagnoses the demo data first


def _artifacts(tmp_path) -> pathlib.Path:
    folder = pathlib.Path(os.environ.get("SMOTE_DIAG_ARTIFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_dashboard_renders_and_reacts_in_chromium(tmp_path):
    errors, outside = [], []
    with (
        voila_server(NOTEBOOK) as url,
        chromium_page(viewport={"width": 1200, "height": 1100}) as page,
    ):
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
    assert errors == []
    assert n_sliders >= 2 and n_dropdowns >= 3
    assert "minority clustering" in clusters
    assert all("cdn.jsdelivr.net" in u for u in outside), outside  # nothing of ours leaves
