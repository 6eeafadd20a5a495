"""One progress helper: a tqdm.auto bar (a widget in notebooks, text on terminals)."""

from __future__ import annotations

from contextlib import contextmanager

# Bars appear only for work that lasts longer than this many seconds.
PROGRESS_DELAY_SECONDS = 1.0


class _SilentBar:
    def update(self, n=1):
        pass

    def set_postfix_str(self, text):
        pass


@contextmanager
def progress(total: int, desc: str, verbose: int):
    """Yield a bar with ``update()``; silent when ``verbose`` is 0.

    tqdm is imported here, not at module import, because ``tqdm.auto`` pulls in
    ipywidgets inside a notebook kernel.
    """
    if not verbose:
        yield _SilentBar()
        return
    from tqdm.auto import tqdm

    with tqdm(total=total, desc=desc, delay=PROGRESS_DELAY_SECONDS, leave=False) as bar:
        yield bar
