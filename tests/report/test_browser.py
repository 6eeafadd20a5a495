"""The standalone HTML report in a real headless browser (Debian's chromium, driven by
Playwright for Python): it renders, its figure loads, and it asks for nothing outside."""

import importlib.util
import shutil

import pytest

from smote_diag import diagnose, load_demo

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)"),
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None,
        reason="playwright is not installed (the test extra has it)",
    ),
]
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_the_report_renders_offline_in_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    path = tmp_path / "report.html"
    report = diagnose(load_demo(), target="status", random_state=0, verbose=0)
    report.to_html(path)
    requests, errors = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        images = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.complete, e.naturalWidth, e.naturalHeight])"
        )
        verdict = page.inner_text("section.sd-verdict")
        kinds = page.eval_on_selector_all("tr.sd-finding", "els => els.map(e => e.dataset.kind)")
        visible = page.is_visible("section.sd-verdict") and page.is_visible("figure img")
        page.click("button[data-copy]")
        button = page.inner_text("button[data-copy]")
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        browser.close()
    assert errors == []
    assert images and all(done and w > 0 and h > 0 for done, w, h in images)
    assert "Recommendation: cluster_smote" in verdict and visible
    for kind in ("minority_clustering", "noise", "overlap", "high_dimensionality"):
        assert kind in kinds
    assert button == "Copied"  # the inlined script ran
    outside = [url for url in requests if not url.startswith(("file:", "data:"))]
    assert outside == []
