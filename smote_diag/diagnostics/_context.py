"""DiagnosisContext: the shared, computed-once intermediates every diagnostic reads."""

from __future__ import annotations

import zlib
from functools import partial

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
    scaling : {"standard", "robust", "none"}, default="standard"
        How numeric columns are scaled in the distance space (``_space.SCALINGS``); unused
        when ``indexed`` is given (it has its space).
    n_jobs : int, default=None
    indexed : IndexedRows, default=None
        The scaled rows and their neighbour index, when already built for ``checked``.
    verbose : int, default=0
        Progress bars for the neighbour queries.

    Every neighbour query from the minority side runs in two batches for all minority
    classes at once: ``minority_pass`` (the classes' rows, the midpoints of their spanning
    forests, plain SMOTE's simulated candidates), then ``bridging_pass`` (the cross-group
    pairs not already probed as forest edges), which needs the groups the first one found.
    """

    def __init__(
        self,
        checked: CheckedInput,
        *,
        k_neighbors: int,
        random_state=None,
        scaling="standard",
        n_jobs=None,
        indexed: IndexedRows | None = None,
        verbose: int = 0,
    ):
        self.checked = checked
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.verbose = verbose
        self._seed = int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
        if indexed is None:
            indexed = IndexedRows(checked, scaling=scaling, n_jobs=n_jobs)
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

        def compute():
            forest, crossing = self._probed(code)["forest"]
            return find_minority_groups(
                self.graph,
                code,
                self.k_neighbors,
                forest=forest,
                crossing=crossing,
                # a mislabelled row is in no group, where the noise finding is not ok
                isolated=self.label_noise_mask(code) if self.noise_severity(code) != "ok" else None,
            )

        return self._cached(("groups", code), compute)

    def bridging(self, code: int):
        if ("bridging", code) not in self._cache:
            self.bridging_pass(code)
        return self._cache[("bridging", code)]

    def smote_simulation(self, code: int):
        return self._probed(code)["smote"]

    def _probed(self, code: int) -> dict:
        if ("probed", code) not in self._cache:
            self.minority_pass(code)
        return self._cache[("probed", code)]

    def _not_done(self, step: str, codes: tuple) -> list:
        """Every minority class, and ``codes``, whose ``step`` is not cached yet."""
        wanted = dict.fromkeys(self.checked.minority_codes + codes)
        return [c for c in wanted if (step, c) not in self._cache]

    def minority_pass(self, *codes) -> None:
        """The one batched query from the minority side, for every minority class (and
        ``codes``) not done yet: each row's 5 nearest other rows, whether each spanning-forest
        edge's midpoint and each simulated SMOTE candidate lies in majority territory."""
        from .minority_clustering import midpoints, spanning_forest, territory_of
        from .overlap import SmoteSimulation, draw_smote_candidates

        todo = self._not_done("probed", codes)
        if not todo:
            return
        forests = {c: spanning_forest(self.graph, c, self.k_neighbors) for c in todo}
        # plain SMOTE as resample() runs it: SMOTE-NC when there are categories
        by_vote = bool(self.checked.kinds.categorical)
        finish = partial(self.space.finish_smote, by_vote=by_vote)
        candidates = {
            c: draw_smote_candidates(
                self.graph, c, self.k_neighbors, self.rng("smote", c), finish=finish
            )
            for c in todo
        }
        probes = [(midpoints(self.graph, c, *forests[c]), c) for c in todo]
        probes += [(candidates[c].points, c) for c in todo]
        # the label-noise model's sample of the other rows, with their local class counts
        others = [(self.label_noise_sample(c)[1], c) for c in todo]
        counts = self.graph.query_batch(todo, probes, counted=others, verbose=self.verbose)
        for i, c in enumerate(todo):
            self._cache[("other_counts", c)] = counts[len(probes) + i]
            drawn = candidates[c]
            self._cache[("probed", c)] = {
                "forest": (forests[c], territory_of(counts[i])),
                "smote": SmoteSimulation(
                    drawn.seeds, drawn.partners, territory_of(counts[len(todo) + i])
                ),
            }

    def bridging_pass(self, *codes) -> None:
        """Probe plain SMOTE's cross-group pairs for every minority class (and ``codes``) not
        done yet, in one batched query; a pair probed already as a forest edge (either
        direction) is not probed again."""
        from .minority_clustering import (
            cross_group_pairs,
            measure_bridging,
            midpoints,
            territory_of,
        )

        todo = self._not_done("bridging", codes)
        plans, known, unknown = {}, {}, {}
        for c in todo:
            pairs = cross_group_pairs(
                self.graph, c, self.k_neighbors, self.groups(c), self.rng("bridge", c)
            )
            (a, b), forest_crossing = self._probed(c)["forest"]
            n = self.n_rows_of(c)
            keys = _pair_keys(pairs.probed[:, 0], pairs.probed[:, 1], n)
            known[c] = _lookup(keys, _pair_keys(a, b, n), forest_crossing)
            unknown[c] = np.unique(keys[known[c] < 0])
            plans[c] = (pairs, keys)
        probes = []
        for c in todo:
            lo, hi = np.divmod(unknown[c], self.n_rows_of(c))
            probes.append((midpoints(self.graph, c, lo, hi), c))
        counts = self.graph.query_batch(probes=probes, verbose=self.verbose)
        for c, found in zip(todo, counts):
            pairs, keys = plans[c]
            crossing = known[c]
            asked = _lookup(keys, unknown[c], territory_of(found))
            crossing = np.where(crossing >= 0, crossing, asked).astype(bool)
            self._cache[("bridging", c)] = measure_bridging(pairs, crossing)

    def label_noise_sample(self, code: int):
        """The rows the label-noise model of the class is fitted on: the class's rows and
        some of the other rows
        (``label_noise.fit_rows``)."""
        from .label_noise import fit_rows

        return self._cached(
            ("label_noise_sample", code),
            lambda: fit_rows(self.checked.y_codes, code, self.rng("label_noise", code)),
        )

    def label_noise(self, code: int):
        """The label-noise mixture of the class (``label_noise.estimate_label_noise``)."""
        from .label_noise import estimate_label_noise

        def compute():
            fit_class, fit_other = self.label_noise_sample(code)
            return estimate_label_noise(
                self.Z,
                self.checked.y_codes,
                code,
                fit_class,
                fit_other,
                suspects=self.typology(code).types == "outlier",
                local_counts=self.local_counts(code),
            )

        return self._cached(("label_noise", code), compute)

    def locality(self, code: int):
        """Whether the class's nearest rows tell its class (``locality.measure_locality``):
        its neighbourhoods' ranking against a shallow tree's, on the label-noise model's
        sample of the other rows."""
        from .locality import measure_locality

        return self._cached(
            ("locality", code),
            lambda: measure_locality(
                self.Z,
                self.checked.y_codes,
                code,
                self.local_counts(code),
                self.label_noise_sample(code)[1],
                self.rng("locality", code),
            ),
        )

    def local_counts(self, code: int) -> np.ndarray:
        """Per row of the data, how many of its 5 nearest other rows are of the class: known
        at the class's rows and at the label-noise model's sample of the other rows (NaN
        elsewhere)."""

        def compute():
            if ("other_counts", code) not in self._cache:
                self.minority_pass(code)
            by_row = np.full(self.graph.n_rows, np.nan)
            by_row[self.rows_of(code)] = self.graph.row_class_counts(code)
            by_row[self.label_noise_sample(code)[1]] = self._cache[("other_counts", code)]
            return by_row

        return self._cached(("local_counts", code), compute)

    def overlap_kappa(self, code: int) -> float:
        """Chance-corrected neighbourhood purity of the class at one to one with the other
        classes (``overlap.balanced_purity``): the overlap grade."""
        from .overlap import balanced_purity, beyond_chance

        return self._cached(
            ("overlap_kappa", code), lambda: beyond_chance(*balanced_purity(self, code))
        )

    def overlap_severity(self, code: int) -> str:
        """The overlap finding's grade of the class (from ``overlap_kappa``)."""
        from . import thresholds as T
        from ._registry import grade

        return grade(
            self.overlap_kappa(code),
            T.OVERLAP_WARN_KAPPA,
            T.OVERLAP_SEVERE_KAPPA,
            higher_is_worse=False,
        )

    def causes(self, code: int) -> np.ndarray:
        """One cause per row of the class (``noise.CAUSES``): label noise, outlier, rare,
        overlap or safe."""
        from .noise import row_causes

        return self._cached(("causes", code), lambda: row_causes(self, code))

    def noise_severity(self, code: int) -> str:
        """The noise finding's grade of the class (``noise.noise_severity``)."""
        from .noise import noise_severity

        return self._cached(("noise_severity", code), lambda: noise_severity(self, code))

    def label_noise_mask(self, code: int) -> np.ndarray:
        """The class's label-noise rows (position order; ``noise.label_noise_rows``)."""
        from .noise import label_noise_rows

        return self._cached(("label_noise_mask", code), lambda: label_noise_rows(self, code))

    def row_hashes(self) -> np.ndarray:
        """One hash per row of the used feature values, for exact-duplicate checks."""
        return self.checked.row_facts.hashes

    def exact_copies(self) -> np.ndarray:
        """Mask of rows repeating an earlier row exactly (same used values, same label)."""

        def compute():
            frame = pd.DataFrame({"h": self.row_hashes(), "y": self.checked.y_codes})
            return frame.duplicated(keep="first").to_numpy()

        return self._cached("copies", compute)

    def capped_rows(self, step: str, cap: int) -> np.ndarray:
        """Positions of every row of classes up to ``cap`` rows and of a random sample of
        ``cap`` rows of larger ones (stream ``step``), sorted: what a plot or a per-class
        table reads."""

        def compute():
            rng = self.rng(step)
            keep = []
            for code in range(len(self.checked.classes)):
                rows = self.rows_of(code)
                if len(rows) > cap:
                    rows = np.sort(rng.choice(rows, cap, replace=False))
                keep.append(rows)
            return np.sort(np.concatenate(keep))

        return self._cached(("capped", step, cap), compute)

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


def _pair_keys(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """One integer per unordered pair of class-local rows."""
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    return np.minimum(a, b) * n + np.maximum(a, b)


def _lookup(keys: np.ndarray, table_keys: np.ndarray, table_values: np.ndarray) -> np.ndarray:
    """The table's value (as 0/1) for each key found in it, -1 where it is missing."""
    out = np.full(len(keys), -1, dtype=np.int8)
    if not len(table_keys) or not len(keys):
        return out
    order = np.argsort(table_keys, kind="stable")
    sorted_keys = table_keys[order]
    where = np.clip(np.searchsorted(sorted_keys, keys), 0, len(sorted_keys) - 1)
    found = sorted_keys[where] == keys
    out[found] = np.asarray(table_values)[order[where[found]]].astype(np.int8)
    return out
