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
        page.click("button.sd-copy")
        page.wait_for_function("document.querySelector('button.sd-copy').textContent !== 'Copy'")
        button = page.inner_text("button.sd-copy")
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert errors == []
    assert images and all(done and w > 0 and h > 0 for done, w, h in images)
    assert "Recommendation: cluster_smote" in verdict and visible
    for kind in ("minority_clustering", "noise", "overlap", "high_dimensionality"):
        assert kind in kinds
    assert button in ("Copied", "Press Ctrl+C")  # the button's script ran
    outside = [url for url in requests if not url.startswith(("file:", "data:"))]
    assert outside == []


def _artifacts(tmp_path):
    """Where screenshots are kept: $SMOTE_DIAG_ARTIFACTS when set, else pytest's tmp_path."""
    import os
    import pathlib

    folder = pathlib.Path(os.environ.get("SMOTE_DIAG_ARTIFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_report_reads_as_a_document_in_a_narrow_window(tmp_path):
    """The glossary is one click from a term, the suspect rows sort by a column, and a
    600-px window shows the code block whole (it wraps instead of hiding its ends)."""
    path = tmp_path / "report.html"
    report = diagnose(load_demo(), target="status", random_state=0, verbose=0)
    report.to_html(path)
    with chromium_page(viewport={"width": 600, "height": 900}) as page:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        term = page.locator("a.sd-term").first
        target = term.get_attribute("href")
        term.click()
        entry = page.locator(target)
        reached = entry.is_visible() and page.evaluate("location.hash") == target
        highlighted = entry.evaluate("e => getComputedStyle(e).backgroundColor")
        table = "table.sd-suspects"
        header = page.locator(f"{table} th", has_text="temperature_c")
        column = page.eval_on_selector_all(f"{table} th", "hs => hs.map(h => h.innerText)")
        index = next(i for i, h in enumerate(column) if h.startswith("temperature_c"))
        header.click()
        values = page.eval_on_selector_all(
            f"{table} tbody tr", f"rs => rs.map(r => parseFloat(r.cells[{index}].innerText))"
        )
        header.click()
        reverse = page.eval_on_selector_all(
            f"{table} tbody tr", f"rs => rs.map(r => parseFloat(r.cells[{index}].innerText))"
        )
        code = page.locator("pre[id^=sd-code]")
        whole = code.evaluate("e => e.scrollWidth <= e.clientWidth")
        inside = code.evaluate("e => e.getBoundingClientRect().right <= window.innerWidth")
        code.scroll_into_view_if_needed()
        page.screenshot(path=str(_artifacts(tmp_path) / "report_600px.png"), full_page=True)
    assert reached and highlighted != "rgba(0, 0, 0, 0)"  # :target marks the entry
    assert values == sorted(values) and reverse == sorted(values, reverse=True)
    assert len(values) == len(report.suspect_rows)
    assert whole and inside
