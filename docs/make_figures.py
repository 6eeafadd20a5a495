"""Make the README's pictures: plain SMOTE next to the advice on planted bridged groups
(docs/resample.png), the dashboard served by Voilà in headless chromium (docs/dashboard.png)
and the standalone HTML report of the demo data in the same browser (docs/report.png); the
last two need the test extra and Debian's chromium.

Run:  python docs/make_figures.py            (all three)
      python docs/make_figures.py report     (one of them)
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from smote_diag import DiagnosisSession, datasets, plot_resampled  # noqa: E402

DOCS = Path(__file__).parent
OUT = DOCS / "resample.png"


def make_resample_figure():
    data = datasets.make_bridged_groups(random_state=0)
    session = DiagnosisSession(data.frame, data.target)  # one diagnosis for both panels
    fig, axes = plt.subplots(1, 2, figsize=(16, 5.5))  # each legend beside its plot
    for ax, method in zip(axes, ("smote", "auto")):
        result = session.resample(method, random_state=0)
        plot_resampled(result, ax=ax, max_points=1500, random_state=0)
    fig.tight_layout()
    fig.savefig(OUT, dpi=72)
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


def make_dashboard_screenshot():
    """The dashboard's Resample preview, as a user sees it in the browser."""
    import io

    from PIL import Image

    sys.path.insert(0, str(DOCS.parent))  # the tests' browser helpers
    from tests.browser import chromium_page, voila_server

    out = DOCS / "dashboard.png"
    wait = 120_000
    with voila_server(DOCS.parent / "notebooks" / "dashboard.ipynb") as url:
        with chromium_page(viewport={"width": 1280, "height": 1000}) as page:
            page.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort()
            )
            page.goto(url, timeout=wait)
            page.wait_for_selector(".widget-tab", timeout=wait)
            page.get_by_text("Resample preview", exact=True).click()
            page.wait_for_function(
                "document.body.innerText.includes('plain SMOTE would have put')", timeout=wait
            )
            page.wait_for_function(  # the preview's plot drawn
                "[...document.querySelectorAll('.widget-image')].some("
                "i => i.complete && i.naturalWidth > 0 && i.offsetParent !== null)",
                timeout=wait,
            )
            page.wait_for_timeout(500)
            output = page.locator(".jp-OutputArea-output", has=page.locator(".widget-tab"))
            png = output.first.screenshot()
    # 256 colours: a fraction of the size, the same picture for text and flat plots
    Image.open(io.BytesIO(png)).convert("RGB").quantize(256).save(out, optimize=True)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


def make_report_screenshot():
    """The top of the demo's standalone HTML report (contents, advice, findings with their
    figures and glossary links) and its suspect rows, as a browser shows them."""
    import io
    import tempfile

    from PIL import Image

    from smote_diag import diagnose, load_demo

    sys.path.insert(0, str(DOCS.parent))
    from tests.browser import chromium_page

    out = DOCS / "report.png"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.html"
        report = diagnose(load_demo(), target="status", random_state=0, verbose=0)
        from dataclasses import replace

        replace(report, source="demo.csv").to_html(path)
        with chromium_page(viewport={"width": 1000, "height": 1500}) as page:
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            png = page.screenshot(clip={"x": 0, "y": 0, "width": 1000, "height": 1500})
    Image.open(io.BytesIO(png)).convert("RGB").quantize(256).save(out, optimize=True)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    wanted = sys.argv[1:] or ["resample", "dashboard", "report"]
    if "resample" in wanted:
        make_resample_figure()
    if "dashboard" in wanted:
        make_dashboard_screenshot()
    if "report" in wanted:
        make_report_screenshot()
