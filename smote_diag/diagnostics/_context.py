"""DiagnosisContext: the shared, computed-once intermediates every diagnostic reads."""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state

from .._neighbours import IndexedRows
from .._validation import CheckedInput, plain_value


class DiagnosisContext:
    """Validated input, the one neighbour graph, and per-class results cached on first use.

    Parameters
    ----------
    checked : CheckedInput
    k_neighbors : int
        SMOTE's neighbour count (the within-class neighbourhoods it would use).
    random_state : None, int or RandomState
        Seeds every random step; each step draws from its own stream, so the result of one
        step does not depend on which other steps ran before it.
    n_jobs : int, default=None
    indexed : IndexedRows, default=None
        The scaled rows and their neighbour index, when already built for ``checked``.
    """

    def __init__(
        self,
        checked: CheckedInput,
        *,
        k_neighbors: int,
        random_state=None,
        n_jobs=None,
        indexed: IndexedRows | None = None,
    ):
        self.checked = checked
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self._seed = int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
        indexed = indexed if indexed is not None else IndexedRows(checked, n_jobs=n_jobs)
        self.space, self.Z, self.graph = indexed.space, indexed.Z, indexed.graph
        self._cache: dict = {}

    # --- plumbing ---------------------------------------------------------------------------
    def rng(self, step: str, code: int = 0) -> np.random.Generator:
        """An independent random stream per (step, class)."""
        return np.random.default_rng([self._seed, zlib.crc32(step.encode()), code])

    def _cached(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def label(self, code: int):
        return self.checked.classes[code]

    def n_rows_of(self, code: int) -> int:
        return self.checked.counts[code]

    def rows_of(self, code: int) -> np.ndarray:
        return self.graph.rows_of(code)

    def row_labels(self, rows: np.ndarray) -> tuple:
        """Index labels (frames with a unique index) or positions in the caller's data of
        rows of this context (a sample's rows included), as plain values."""
        positions = self.checked.positions[rows]
        if self.checked.rows_as_labels:
            return tuple(plain_value(v) for v in self.checked.index[positions])
        return tuple(int(p) for p in positions)

    @property
    def n_dimensions(self) -> int:
        return self.Z.shape[1]

    # --- shared intermediates ---------------------------------------------------------------
    def typology(self, code: int):
        from .typology import compute_typology

        return self._cached(("typology", code), lambda: compute_typology(self.graph, code))

    def within(self, code: int):
        """SMOTE's within-class neighbourhoods (distances, class-local positions)."""
        return self.graph.within_class(code, self.k_neighbors)

    def groups(self, code: int):
        from .minority_clustering import find_minority_groups

        return self._cached(
            ("groups", code), lambda: find_minority_groups(self.graph, code, self.k_neighbors)
        )

    def bridging(self, code: int):
        from .minority_clustering import measure_bridging

        return self._cached(
            ("bridging", code),
            lambda: measure_bridging(
                self.graph, code, self.k_neighbors, self.groups(code), self.rng("bridge", code)
            ),
        )

    def smote_simulation(self, code: int):
        from .overlap import simulate_smote

        return self._cached(
            ("smote", code),
            lambda: simulate_smote(self.graph, code, self.k_neighbors, self.rng("smote", code)),
        )

    def noise(self, code: int) -> dict:
        """Boolean mask per noise reason over the class's rows."""
        from .noise import noise_reasons

        return self._cached(("noise", code), lambda: noise_reasons(self, code))

    def row_hashes(self) -> np.ndarray:
        """One hash per row of the used feature values, for exact-duplicate checks."""
        return self._cached(
            "hashes",
            lambda: pd.util.hash_pandas_object(self.checked.X, index=False).to_numpy(),
        )

    def label_conflicts(self) -> np.ndarray:
        """Mask of rows whose exact feature values also occur with another label."""

        def compute():
            frame = pd.DataFrame({"h": self.row_hashes(), "y": self.checked.y_codes})
            n_labels = frame.groupby("h")["y"].transform("nunique")
            return (n_labels > 1).to_numpy()

        return self._cached("conflicts", compute)

    def signal_subspace(self):
        """The principal directions above the noise floor (see ``signal_subspace``)."""
        from .high_dimensionality import signal_subspace

        return self._cached("signal", lambda: signal_subspace(self.Z, self.rng("pca")))
