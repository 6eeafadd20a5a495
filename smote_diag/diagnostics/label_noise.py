"""Label noise: rows of a class whose label is unlikely where they sit, told apart from overlap.

The rows labelled c are read as a mixture: genuine rows of c, and a share ``rho`` of rows of
the other classes that carry c's label by mistake. A mislabelled row is distributed as the
other classes are, so the share of the labelled-c density it explains at x is
``rho * f_other(x) / g(x)`` (the label-flip model of Bootkrajang & Kabán, ECML PKDD 2012;
``rho`` is a mixture proportion, Scott, AISTATS 2015). Overlap is the other case: genuine
rows of c where the other classes are dense too. Both put rows of c among other classes;
what tells them apart is whether c's own density reaches there, which a model fitted on the
genuine rows measures, and the estimated ``rho``, which is 0 on clean labels however much the
classes overlap.

Estimated by expectation-maximisation: fit a class-c-against-the-rest logistic regression on
the distance space (its leading principal components when the class has fewer than 3 rows
per column, LABEL_NOISE_ROWS_PER_COLUMN) and each row's local class count (how many of its
5 nearest rows are of c), each row of c counting as genuine by its current probability; read
each
row's density ratio f_c / f_other from its out-of-sample odds (approximate leave-one-out,
Rad & Maleki, JRSS-B 82:965-996, 2020: one fit, no refits per fold); update every row's
probability of being mislabelled and ``rho``; repeat until ``rho`` settles. Two starts (every
row genuine; the rows with no classmate near them mislabelled), the one whose observed labels
are likelier out of sample kept. The rows called label noise are the set of highest
expected F1 under those probabilities, of the rows likelier wrong than the class's average
(``expected_f1_set``). At large n the model is fitted
on a sample (every row of c up to LABEL_NOISE_CLASS_ROWS, about as many other rows,
weighted to stand for all of them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from .._neighbours import TYPOLOGY_K
from . import thresholds as T


@dataclass(frozen=True, eq=False)
class LabelNoise:
    """Label noise of one class.

    Attributes
    ----------
    wrong_probability : ndarray of float
        Per row of the class (class-local order): the probability that its label is wrong.
    density_ratio : ndarray of float
        Per row of the class: f_class / f_other where it sits (below 1: the other classes
        are denser there than the class is).
    noise_rate : float
        Estimated share of the class's labels that are wrong (``rho``).
    n_fit_rows : int
        Rows the model was fitted on (all rows, or the sample at large n); 0 when the class
        has fewer than LABEL_NOISE_MIN_ROWS rows and nothing was fitted.
    n_iterations : int
    """

    wrong_probability: np.ndarray
    density_ratio: np.ndarray
    noise_rate: float
    n_fit_rows: int
    n_iterations: int

    @property
    def flagged(self) -> np.ndarray:
        """The rows called label noise: the set with the highest expected F1 at the rows
        really mislabelled (``expected_f1_set``)."""
        return expected_f1_set(self.wrong_probability)


def expected_f1_set(p: np.ndarray) -> np.ndarray:
    """The rows to flag, given each row's probability ``p`` of a wrong label, that maximise
    the expected F1 of the flags at the truly wrong rows.

    For independent rows the best set is the k likeliest for some k (Lewis, SIGIR 1995;
    Nan, Chai, Lee & Chieu, ICML 2012); its expected F1 is taken as 2 sum_top-k(p) / (k +
    sum(p)) (the ratio of expectations, Jansche 2007). Nothing is flagged when the chance
    that any label is wrong, 1 - prod(1 - p), is below LABEL_NOISE_ANY_WRONG, and of the set
    only the rows likelier wrong than the class's average row (as confident learning flags
    rows below their class's average confidence, Northcutt et al. 2021); how much the
    flagged set says is for the noise finding's grade. A 0.5 cut on each row
    instead keeps only rows whose label is more likely wrong than right, and misses most
    wrong labels where the noise rate is low (the prior odds of a flip are then small)."""
    p = np.asarray(p, dtype=float)
    flagged = np.zeros(len(p), dtype=bool)
    if not len(p):
        return flagged
    order = np.argsort(-p, kind="stable")
    expected = 2.0 * np.cumsum(p[order]) / (np.arange(1, len(p) + 1) + p.sum())
    best = int(np.argmax(expected))
    # P(some label is wrong) = 1 - prod(1 - p)
    some_wrong = -np.expm1(np.sum(np.log1p(-np.minimum(p, 1 - 1e-12))))
    if some_wrong >= T.LABEL_NOISE_ANY_WRONG:
        flagged[order[: best + 1]] = True
    # Only rows likelier wrong than the class's average row (whose probability is the
    # estimated noise rate): where every row is about as likely wrong, expected F1 would
    # take them all (F1 rewards flagging everything at a flat rate), and none stands out.
    return flagged & (p > p.mean() + 1e-12)


def fit_rows(
    y_codes: np.ndarray, code: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """The rows the model of class ``code`` is fitted on (positions, sorted): the class's
    rows up to LABEL_NOISE_CLASS_ROWS, and ``other_rows_fitted(n_class)`` other rows."""
    in_class = np.flatnonzero(y_codes == code)
    others = np.flatnonzero(y_codes != code)
    return (
        sample_rows(in_class, T.LABEL_NOISE_CLASS_ROWS, rng),
        sample_rows(others, other_rows_fitted(len(in_class)), rng),
    )


def other_rows_fitted(n_class: int) -> int:
    """How many other rows the model of a class of ``n_class`` rows is fitted on (at most)."""
    return int(
        np.clip(
            T.LABEL_NOISE_OTHERS_PER_ROW * n_class,
            T.LABEL_NOISE_MIN_OTHERS,
            T.LABEL_NOISE_CLASS_ROWS,
        )
    )


def estimate_label_noise(
    Z: np.ndarray,
    y_codes: np.ndarray,
    code: int,
    fit_class: np.ndarray,
    fit_other: np.ndarray,
    suspects: np.ndarray | None = None,
    local_counts: np.ndarray | None = None,
) -> LabelNoise:
    """The label-noise mixture of class ``code`` against the other rows of ``Z``, fitted on
    the rows ``fit_class`` (of the class) and ``fit_other`` (``fit_rows``).

    ``suspects`` (bool per row of the class, class-local order): rows one of the EM's two
    starts takes as mislabelled (e.g. the rows with no classmate among their nearest rows).

    ``local_counts`` (per row of the data; needed at the class's rows and ``fit_other``):
    how many of each row's 5 nearest other rows are of the class. Its smoothed log-odds,
    log((s + 1/2) / (5 - s + 1/2)), joins the model's features, so that the model sees where
    the class lives locally and not only along the linear directions of ``Z`` (a class spread
    in small pockets through the other classes has no linear direction at all).
    """
    in_class = np.flatnonzero(y_codes == code)
    others = np.flatnonzero(y_codes != code)
    # a column budget of LABEL_NOISE_ROWS_PER_COLUMN rows of the class per column: when the
    # distance space has more columns than the budget allows, the model reads its leading
    # principal components instead (as many as the budget allows)
    budget = len(in_class) // T.LABEL_NOISE_ROWS_PER_COLUMN - (local_counts is not None)
    if budget < 1 or len(in_class) < T.LABEL_NOISE_MIN_ROWS or len(others) < 2:
        return LabelNoise(np.zeros(len(in_class)), np.ones(len(in_class)), 0.0, 0, 0)
    rows = np.concatenate([fit_class, fit_other])
    weights = np.concatenate(
        [
            np.full(len(fit_class), len(in_class) / len(fit_class)),
            np.full(len(fit_other), len(others) / len(fit_other)),
        ]
    )
    features = np.asarray(Z[rows], dtype=float)
    rest = np.setdiff1d(in_class, fit_class, assume_unique=True)
    rest_features = np.asarray(Z[rest], dtype=float) if len(rest) else None
    if features.shape[1] > budget:
        # the class and the rest weighted half and half, so that the directions that set the
        # class apart count as much as the spread of the (larger) rest
        balanced = np.where(np.arange(len(rows)) < len(fit_class), 0.5 / len(fit_class), 0.0)
        balanced[len(fit_class) :] = 0.5 / len(fit_other)
        centre = balanced @ features
        _, _, components = np.linalg.svd(
            (features - centre) * np.sqrt(balanced)[:, None], full_matrices=False
        )
        features = (features - centre) @ components[:budget].T
        if rest_features is not None:
            rest_features = (rest_features - centre) @ components[:budget].T
    if local_counts is not None:
        features = np.hstack([features, _local_log_odds(local_counts[rows])])
        if rest_features is not None:
            rest_features = np.hstack([rest_features, _local_log_odds(local_counts[rest])])
    mean, scale = features.mean(axis=0), features.std(axis=0)
    scale[~(scale > 0)] = 1.0
    features = (features - mean) / scale
    n_fit_class = len(fit_class)
    # Rows of the class outside the sample are predicted from the fitted model (they are
    # out of sample already); their features, standardised the same way.
    if rest_features is not None:
        rest_features = (rest_features - mean) / scale

    # Two starts, every row genuine and the suspects mislabelled; the EM keeps the solution
    # whose labels are likelier out of sample (a few wrong labels can flatten the first fit
    # of the one start until they look plausible; the other start lets the data decide).
    starts = [np.zeros(n_fit_class)]
    if suspects is not None and np.any(suspects):
        start = np.zeros(n_fit_class)
        start[np.asarray(suspects)[np.searchsorted(in_class, fit_class)]] = 1.0
        starts.append(start)
    runs = [_expectation_maximisation(features, weights, n_fit_class, w) for w in starts]
    wrong, rho, beta, logit, log_prior_odds, iteration, _ = max(runs, key=lambda r: r[-1])

    wrong_all = np.zeros(len(in_class))
    label_logit = np.zeros(len(in_class))
    position = np.searchsorted(in_class, fit_class)
    wrong_all[position] = wrong
    label_logit[position] = logit
    if rest_features is not None:
        rest_logit = rest_features @ beta[:-1] + beta[-1]
        rest_wrong = expit(np.log(rho) - np.log1p(-rho) - (rest_logit - log_prior_odds))
        position = np.searchsorted(in_class, rest)
        wrong_all[position] = rest_wrong
        label_logit[position] = rest_logit
    density_ratio = np.exp(np.clip(label_logit - log_prior_odds, -700, 700))
    return LabelNoise(wrong_all, density_ratio, rho, len(rows), iteration)


def _expectation_maximisation(features, weights, n_fit_class, wrong):
    """EM from the given start: (wrong, rho, beta, logit, log prior odds, iterations, the
    out-of-sample log-likelihood of the observed labels)."""
    rho = T.LABEL_NOISE_START_RATE
    beta = np.zeros(features.shape[1] + 1)
    for iteration in range(1, T.LABEL_NOISE_MAX_ITERATIONS + 1):
        target = np.zeros(len(features))
        target[:n_fit_class] = 1.0 - wrong
        beta = _fit_logistic(features, target, weights, beta)
        all_logits = _leave_one_out_logit(features, target, weights, beta)
        logit = all_logits[:n_fit_class]
        # density ratio f_c / f_other = odds / (genuine rows of c : the rest, weighted)
        genuine = float(np.dot(weights[:n_fit_class], 1.0 - wrong))
        total = float(weights.sum())
        genuine = min(max(genuine, 1e-9 * total), (1 - 1e-9) * total)
        log_prior_odds = np.log(genuine / (total - genuine))
        new_wrong = expit(np.log(rho) - np.log1p(-rho) - (logit - log_prior_odds))
        new_rho = float(np.average(new_wrong, weights=weights[:n_fit_class]))
        new_rho = min(max(new_rho, T.LABEL_NOISE_MIN_RATE), 1 - T.LABEL_NOISE_MIN_RATE)
        settled = abs(new_rho - rho) < T.LABEL_NOISE_TOLERANCE
        wrong, rho = new_wrong, new_rho
        if settled:
            break
    loglik = _label_loglik(all_logits, weights, n_fit_class, rho)
    return wrong, rho, beta, logit, log_prior_odds, iteration, loglik


def _label_loglik(all_logits, weights, n_fit_class, rho) -> float:
    """Out-of-sample log-likelihood of the observed labels: P(labelled c | x) = g + eps (1 -
    g), the genuine model's g (from its leave-one-out logits), and the other rows' share
    given c's label by mistake, eps = rho N_c / N_other."""
    g = expit(all_logits)
    n_class = float(weights[:n_fit_class].sum())
    eps = min(rho * n_class / max(float(weights[n_fit_class:].sum()), 1e-12), 1 - 1e-12)
    q = np.clip(g + eps * (1.0 - g), 1e-12, 1 - 1e-12)
    return float(
        np.dot(weights[:n_fit_class], np.log(q[:n_fit_class]))
        + np.dot(weights[n_fit_class:], np.log1p(-q[n_fit_class:]))
    )


def _local_log_odds(counts: np.ndarray) -> np.ndarray:
    """Smoothed log-odds of the class among a row's 5 nearest rows (half a row added to each
    side, the Jeffreys-style correction that keeps 0 and 5 finite)."""
    counts = np.asarray(counts, dtype=float)
    return np.log((counts + 0.5) / (TYPOLOGY_K - counts + 0.5))[:, None]


def sample_rows(rows: np.ndarray, limit: int, rng: np.random.Generator) -> np.ndarray:
    return rows if len(rows) <= limit else np.sort(rng.choice(rows, limit, replace=False))


def _fit_logistic(X, target, weights, start) -> np.ndarray:
    """L2-penalised logistic regression with soft targets in [0, 1] (penalty 1/2 ||w||^2 on
    the coefficients, as scikit-learn's C=1; the intercept, last, unpenalised), by Newton's
    method from ``start`` (a warm start from the EM's previous step takes two or three steps),
    each step halved until the penalised loss falls."""
    design = np.hstack([X, np.ones((len(X), 1))])
    penalty = np.ones(design.shape[1])
    penalty[-1] = 0.0

    def loss(beta):
        eta = design @ beta
        return float(np.dot(weights, np.logaddexp(0.0, eta) - target * eta)) + 0.5 * float(
            np.dot(penalty * beta, beta)
        )

    beta = np.asarray(start, dtype=float).copy()
    current = loss(beta)
    for _ in range(50):
        p = expit(design @ beta)
        grad = design.T @ (weights * (p - target)) + penalty * beta
        hessian = design.T @ (design * (weights * p * (1 - p))[:, None]) + np.diag(penalty)
        step = np.linalg.solve(hessian + 1e-10 * np.eye(len(beta)), grad)
        scale = 1.0
        while scale > 1e-4:
            trial = beta - scale * step
            value = loss(trial)
            if value <= current:
                break
            scale /= 2
        else:
            break
        beta, previous, current = trial, current, value
        if previous - current <= 1e-10 * (1 + abs(current)):
            break
    return beta


def _leave_one_out_logit(X, target, weights, beta) -> np.ndarray:
    """Each row's logit had it been left out of the fit: one Newton step from the full fit
    (Rad & Maleki 2020), eta_-i = eta_i + a_i w_i (p_i - t_i) / (1 - a_i w_i p_i (1 - p_i)),
    a_i = x_i' H^-1 x_i, H the penalised Hessian."""
    eta = X @ beta[:-1] + beta[-1]
    p = expit(eta)
    curvature = weights * p * (1.0 - p)
    design = np.hstack([X, np.ones((len(X), 1))])
    hessian = design.T @ (design * curvature[:, None])
    hessian[np.arange(X.shape[1]), np.arange(X.shape[1])] += 1.0
    solved = np.linalg.solve(hessian + 1e-10 * np.eye(len(hessian)), design.T).T
    leverage = np.einsum("ij,ij->i", design, solved)
    denominator = np.maximum(1.0 - leverage * curvature, 1e-6)
    return eta + leverage * weights * (p - target) / denominator


__all__ = ["LabelNoise", "estimate_label_noise", "expected_f1_set", "sample_rows"]
