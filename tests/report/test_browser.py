"""The standalone HTML report in a real headless browser (Debian's chromium, driven by
Playwright for Python): it renders, its figure loads, and it asks for nothing outside."""

from smote_diag import diagnose, load_demo

from ..browser import chromium_page, needs_chromium

pytestmark = needs_chromium


def test_the_report_renders_offline_in_chromium(tmp_path):
    path = tmp_path / "report.html"
    report = diagnose(load_demo(), target="status", random_state=0, verbose=0)
    report.to_html(path)
    requests, errors = [], []
    with chromium_page() as page:
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
    assert errors == []
    assert images and all(done and w > 0 and h > 0 for done, w, h in images)
    assert "Recommendation: cluster_smote" in verdict and visible
    for kind in ("minority_clustering", "noise", "overlap", "high_dimensionality"):
        assert kind in kinds
    assert button == "Copied"  # the inlined script ran
    outside = [url for url in requests if not url.startswith(("file:", "data:"))]
    assert outside == []
