"""DiagnosisSession: one dataset diagnosed again and again under changing settings (the
dashboard's engine), paying for validation and the neighbour index once."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np

from ._neighbours import IndexedRows
from ._space import check_scaling
from ._tables import give_back, read_tables
from ._validation import (
    check_inputs,
    check_k_neighbors,
    check_n_jobs,
    check_seed,
    row_positions,
    take_rows,
)
from .diagnose import DiagnosisReport, check_objective, diagnose_checked
from .exceptions import InputError

# Entries kept per cache, least recently used dropped first. An index holds a copy of the
# scaled rows (the full data and one set of exclusions, say); when it goes, everything built
# on those rows goes with it, so memory stays bounded by this many copies. A resample holds
# the resampled frame, larger than the data.
MAX_INDEXED = 2
MAX_REPORTS = 16
MAX_RESAMPLES = 2


class _LRU(OrderedDict):
    def __init__(self, size: int, on_evict=None):
        super().__init__()
        self.size, self.on_evict = size, on_evict

    def get_or_make(self, key, make):
        if key in self:
            return self.recall(key)
        return self.put(key, make())

    def recall(self, key, default=None):
        """The value of ``key`` (now the most recent), or ``default``."""
        if key not in self:
            return default
        self.move_to_end(key)
        return self[key]

    def put(self, key, value):
        """Keep ``value`` as the most recent, dropping the least recent beyond ``size``."""
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            old, _ = self.popitem(last=False)
            if self.on_evict is not None:
                self.on_evict(old)
        return value


class DiagnosisSession:
    """Diagnose and resample one dataset under changing settings without repeating work.

    The input is validated once. The scaled rows and their neighbour index are built once
    per set of excluded rows and shared by every k, seed and objective (SMOTE's within-class
    neighbourhoods are cached per k on that index); a report is kept per (excluded rows, k,
    seed), a change of objective only re-derives the advice; the rows plots draw, with the
    projections fitted on them, are kept per (excluded rows, seed). The caller's data is
    never modified: excluding rows diagnoses a copy without them. With
    ``random_state=None`` the first such report is reused: pass a seed to vary the draws.

    Parameters
    ----------
    data, target
        As for ``diagnose``: a DataFrame (pandas or polars, or a pyarrow Table) and its
        target column's name, or X and y. ``resample`` gives frames back in the same kind.
    scaling : {"standard", "robust", "none"}, default="standard"
        How numeric columns count in the distances (see ``diagnose``), for every diagnosis
        and resampling of the session.
    n_jobs : int, default=None
        Parallel jobs for the neighbour queries.
    verbose : int, default=0
        0 is silent; otherwise progress bars appear for work longer than a second.

    Attributes
    ----------
    n_index_builds : int
        Neighbour indexes built so far (one per set of excluded rows, until evicted).
    n_diagnoses : int
        Diagnoses run so far (a cached report does not count).

    Examples
    --------
    >>> from smote_diag import DiagnosisSession, load_demo
    >>> session = DiagnosisSession(load_demo(), "status")
    >>> first = session.diagnose(k_neighbors=5, random_state=0)
    >>> second = session.diagnose(k_neighbors=7, random_state=0)
    >>> session.n_index_builds, session.n_diagnoses
    (1, 2)
    >>> session.diagnose(k_neighbors=5, random_state=0) is first
    True
    """

    def __init__(self, data, target=None, *, scaling="standard", n_jobs=None, verbose=0):
        check_n_jobs(n_jobs)
        check_scaling(scaling)
        self.scaling = scaling
        # polars or pyarrow: read once as pandas; resample() gives frames back in their kind
        data, target, self._table = read_tables(data, target)
        self._checked = check_inputs(data, target)
        self._data, self._target = data, target
        self.n_jobs, self.verbose = n_jobs, verbose
        self._rows = _LRU(MAX_INDEXED, on_evict=self._forget)
        self._plot_samples = _LRU(MAX_REPORTS)
        self._reports = _LRU(MAX_REPORTS)
        self._resamples = _LRU(MAX_RESAMPLES)
        self.n_index_builds = 0
        self.n_diagnoses = 0

    @property
    def classes(self) -> tuple:
        """Class labels, largest class first."""
        return self._checked.classes

    @property
    def n_rows(self) -> int:
        return self._checked.n_rows

    @property
    def target_is_column(self) -> bool:
        """The target was named as a column of the data (else labels were passed)."""
        return self._checked.target_is_column

    def diagnose(
        self, *, objective="balanced_accuracy", k_neighbors=5, random_state=None, exclude=()
    ) -> DiagnosisReport:
        """The report ``diagnose()`` gives for these settings, from the cache when it can.

        Parameters
        ----------
        objective, k_neighbors, random_state
            As for ``diagnose``.
        exclude : iterable, default=()
            Rows to leave out, named as ``Finding.rows`` names them (index labels, or
            positions for arrays and repeated index labels).
        """
        return self._diagnosis(objective, k_neighbors, random_state, exclude)[0]

    def resample(
        self,
        method="auto",
        *,
        objective="balanced_accuracy",
        k_neighbors=5,
        random_state=None,
        exclude=(),
        **sampler_params,
    ):
        """``resample()`` for these settings (without the excluded rows), from the cache when
        it can. Returns a ResampleResult."""
        from .resample import check_method, resample_diagnosed

        check_method(method)
        report, ctx = self._diagnosis(objective, k_neighbors, random_state, exclude)
        positions = self.positions(exclude)
        key = (positions, k_neighbors, random_state, objective, method, _frozen(sampler_params))
        data = self._rows_without(positions).data
        kept = np.setdiff1d(np.arange(self.n_rows), positions) if positions else None
        return self._resamples.get_or_make(
            key,
            lambda: give_back(
                resample_diagnosed(
                    data,
                    report,
                    ctx,
                    method=method,
                    k_neighbors=k_neighbors,
                    random_state=random_state,
                    sampler_params=sampler_params,
                ),
                self._table,
                kept,
            ),
        )

    # --- the caches -------------------------------------------------------------------------

    def _diagnosis(self, objective, k_neighbors, random_state, exclude):
        check_objective(objective)
        check_seed(random_state)
        check_k_neighbors(k_neighbors)
        positions = self.positions(exclude)
        report, ctx = self._reports.get_or_make(
            (positions, k_neighbors, random_state),
            lambda: self._run(positions, k_neighbors, random_state),
        )
        if report.objective != objective:
            report = report.with_objective(objective)
        return report, ctx

    def _run(self, positions, k_neighbors, random_state):
        rows = self._rows_without(positions)
        plot_sample = self._plot_samples.recall((positions, random_state))
        self.n_diagnoses += 1
        report, ctx = diagnose_checked(
            rows.checked,
            objective="balanced_accuracy",
            k_neighbors=k_neighbors,
            random_state=random_state,
            n_jobs=self.n_jobs,
            verbose=self.verbose,
            indexed=rows.indexed,
            plot_sample=plot_sample,
        )
        self._plot_samples.put((positions, random_state), report.plot_sample)
        return report, ctx

    def _forget(self, positions: tuple) -> None:
        """Drop what was built on evicted rows (their reports hold their copies too)."""
        for cache in (self._plot_samples, self._reports, self._resamples):
            for key in [key for key in cache if key[0] == positions]:
                del cache[key]

    def positions(self, rows) -> tuple:
        """Rows named as ``Finding.rows`` names them, as sorted positions in the data."""
        return tuple(int(p) for p in np.unique(row_positions(self._checked, rows)))

    def _rows_without(self, positions: tuple) -> _Rows:
        """The data without the rows at ``positions``, validated and indexed (cached)."""
        return self._rows.get_or_make(positions, lambda: self._build_rows(positions))

    def _build_rows(self, positions: tuple) -> _Rows:
        """The caller's data without the rows at ``positions`` (a new object; the caller's
        own when none are excluded), validated with rows still named as in the full data, and
        its neighbour index."""
        data, checked = self._data, self._checked
        if positions:
            keep = np.setdiff1d(np.arange(self.n_rows), positions)
            data, target = take_rows(self._data, self._target, self._checked, keep)
            try:
                checked = check_inputs(data, target)
            except InputError as exc:
                raise InputError(f"Without the {len(positions):,} excluded rows: {exc}") from None
            note = (
                f"{len(positions):,} rows were left out on request (exclude=), "
                f"{self.n_rows - len(positions):,} diagnosed."
            )
            checked = replace(
                checked,
                index=self._checked.index,
                positions=keep[checked.positions],
                notes=checked.notes + (note,),
            )
        self.n_index_builds += 1
        return _Rows(data, checked, IndexedRows(checked, scaling=self.scaling, n_jobs=self.n_jobs))


@dataclass(frozen=True, eq=False)
class _Rows:
    """One set of rows: the caller's shape (for resampling), validated, and indexed."""

    data: object
    checked: object
    indexed: IndexedRows


def _frozen(params: dict) -> tuple:
    return tuple(sorted((k, repr(v)) for k, v in params.items()))
