"""Real-browser support for the tests (and docs/make_figures.py): Debian's chromium driven by
Playwright for Python, never a browser downloaded by the test tools; a Voilà server on
localhost for the dashboard."""

from __future__ import annotations

import importlib.util
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags for a closed network: no background connections, no first-run work.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
needs_chromium = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)"),
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None,
        reason="playwright is not installed (the test extra has it)",
    ),
]


@contextmanager
def chromium_page(**page_options):
    """A fresh page in headless chromium; closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser.new_page(**page_options)
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def voila_server(notebook, *, timeout: float = 120.0):
    """Serve ``notebook`` with Voilà on localhost; yield its URL; stop it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            str(notebook),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"Voilà exited early:\n{process.stdout.read()}")
            try:
                urllib.request.urlopen(url + "voila/static/", timeout=2)  # noqa: S310
                break
            except OSError as exc:
                if getattr(exc, "code", None):  # an HTTP answer: the server is up
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError("Voilà did not start in time") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


needs_voila = pytest.mark.skipif(
    importlib.util.find_spec("voila") is None,
    reason="voila is not installed (the test extra has it)",
)
