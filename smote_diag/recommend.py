"""The recommendation: ordered rules that read the findings and choose one method.

``RULES`` is the one place where the advice is decided. The rules are read in two passes:
the first looks at facts and at severe findings only, the second at warnings; in each pass
the first rule that fires wins. So a severe problem is never outranked by a warning further up
the list. The winning reason comes first, then what the pipeline does, then every other
finding that is not ok. Each rule reads findings (their severities and evidence), never data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ._format import listed
from ._jsonable import to_jsonable
from .diagnostics import plural
from .diagnostics import thresholds as T
from .diagnostics.locality import tree_against_neighbours

METHODS = (
    "smote",
    "borderline_smote",
    "adasyn",
    "smote_nc",
    "smote_tomek",
    "smote_enn",
    "smote_rus",
    "smote_bagging",
    "cluster_smote",
    "pca_smote",
    "random_oversample",
    "no_resampling",
)

PASSES = (("severe",), ("warning", "severe"))  # severities each pass reads

# Objectives that judge precision on the minority (a cleaning hybrid that buys recall with
# false positives works against them).
PRECISION_OBJECTIVES = ("f1", "average_precision")

# Methods whose samplers interpolate between a row and its k nearest rows of the class, so
# every class they grow needs k + 1 rows: all but cluster SMOTE (a group of m rows uses
# min(k, m - 1) neighbours), random oversampling and no resampling.
NEEDS_K_PLUS_ONE = tuple(
    m for m in METHODS if m not in ("cluster_smote", "random_oversample", "no_resampling")
)

# Methods that resample inside an ensemble, each base learner on its own bag with its own
# synthetic rows (imbalanced-learn's BalancedBaggingClassifier with SMOTE as its sampler):
# there is no one resampled training set, so resample() refuses them and pipeline() puts the
# ensemble around the estimator.
ENSEMBLES = ("smote_bagging",)
# Base learners in such an ensemble (imbalanced-learn's default).
ENSEMBLE_SIZE = 10

# A verification compares this many strategies (see ``shortlist``): the diagnosis's, the
# strongest alternative, and no resampling. On 3 folds that is 9 fits, against 39 for
# choosing among the advice benchmark's 13 fixed strategies by the same cross-validation.
# Replayed on the benchmark's KEEL folds (python benchmarks/replay_verification.py), a
# fourth candidate changed mean regret by at most 0.0004 on F1, average precision and
# balanced accuracy, raised log loss's by 0.010, and cost a third more time.
SHORTLIST_SIZE = 3

# The three resampling policies with the lowest mean regret per objective on the
# benchmark's dev families, lowest first (python benchmarks/bench_advice.py, README
# "Advice"): a shortlist is filled with them when the findings name fewer alternatives.
STRONG_FIXED = {
    "f1": ("smote_bagging", "smote", "smote_tomek"),
    "average_precision": ("smote_bagging", "smote", "smote_tomek"),
    "balanced_accuracy": ("smote_rus", "smote_enn", "smote_tomek"),
    # not measured for probability: average precision's, since once corrected for the prior
    # they change, samplers differ mainly in how well the model ranks
    "probability": ("smote_bagging", "smote", "smote_tomek"),
}

# From the simplest strategy to the most elaborate: among the strategies a verification
# finds within one standard error of the best, the first of this order is chosen (Breiman
# et al.'s one-standard-error rule, preferring what changes the data least).
SIMPLER_FIRST = (
    "no_resampling",
    "random_oversample",
    "smote",
    "smote_nc",
    "borderline_smote",
    "adasyn",
    "smote_tomek",
    "smote_enn",
    "smote_rus",
    "cluster_smote",
    "pca_smote",
    "smote_bagging",
)

# Methods whose samplers take categorical columns as they are.
CATEGORY_AWARE = ("smote_nc", "random_oversample")

# What the user optimises. "average_precision" judges the ranking of scores (no threshold);
# "f1" judges decisions at a threshold, on the minority class; "balanced_accuracy" judges
# decisions by the mean recall of the classes.
OBJECTIVES = ("f1", "average_precision", "balanced_accuracy", "probability")

# Estimator families the advice benchmark measures apart, told by the final estimator's
# class: linear models, nearest neighbours, tree ensembles (None: any other estimator).
FAMILIES = ("linear", "neighbours", "tree_ensemble")
TREE_ENSEMBLES = (
    "HistGradientBoostingClassifier",
    "GradientBoostingClassifier",
    "RandomForestClassifier",
    "ExtraTreesClassifier",
    "XGBClassifier",
    "LGBMClassifier",
    "CatBoostClassifier",
)
FAMILY_NAMES = {
    "linear": "linear models",
    "neighbours": "nearest neighbours",
    "tree_ensemble": "tree ensembles",
    None: "other estimators",
}

# The method where no finding calls for one of its own, per objective and estimator family:
# (with fewer than MINORITY_FOR_TUNING minority rows, with at least that many). Each is the
# method whose fixed strategy has the lowest mean regret over that family's cells of the
# advice benchmark's dev families, the simplest (SIMPLER_FIRST) among those within 0.001
# of the lowest; "other estimators" take the method most of the three families take, else
# the same rule over all three. `python benchmarks/replay_rules.py` prints each choice, its
# runner-up and where this table differs. Only F1 is split by minority size, at the size a
# threshold can be tuned on (five rows per validation fold, the size rule the advice
# already had, not a constant fitted to the benchmark): F1's answer without resampling is a
# tuned threshold, which needs those rows.
FAMILY_METHODS = {
    "f1": {
        # a tuned threshold moves a linear model's intercept as rebalancing would (King &
        # Zeng 2001); a small minority gives a threshold too few rows, and resampling wins
        "linear": ("no_resampling", "no_resampling"),
        "neighbours": ("smote_bagging", "no_resampling"),
        "tree_ensemble": ("random_oversample", "smote_bagging"),
        None: ("smote_bagging", "no_resampling"),
    },
    "average_precision": {
        "linear": ("smote_bagging", "smote_bagging"),
        "neighbours": ("smote_bagging", "smote_bagging"),
        "tree_ensemble": ("smote", "smote"),
        None: ("smote_bagging", "smote_bagging"),
    },
    "balanced_accuracy": {
        "linear": ("smote", "smote"),
        "neighbours": ("smote", "smote"),
        "tree_ensemble": ("smote_rus", "smote_rus"),
        None: ("smote", "smote"),
    },
    # no resampling for every family; neighbours and tree ensembles are bagged instead
    # (``_balance_estimator``)
    "probability": {f: ("no_resampling", "no_resampling") for f in (*FAMILIES, None)},
}
# Families whose probabilities a bagged ensemble of ENSEMBLE_SIZE refits estimates better
# (lower Brier score and log loss on the benchmark): averaging smooths nearest neighbours'
# vote fractions and a boosted model's variance (Breiman 1996).
BAGGED_FOR_PROBABILITY = ("neighbours", "tree_ensemble")


def estimator_family(estimator) -> str | None:
    """The family of ``estimator``'s final step: "linear", "neighbours", "tree_ensemble" or
    None (the advice has no measured default of its own for it)."""
    final = _final_estimator(estimator)
    module, name = type(final).__module__, type(final).__name__
    if module.startswith("sklearn.linear_model"):
        return "linear"
    if module.startswith("sklearn.neighbors"):
        return "neighbours"
    if name in TREE_ENSEMBLES:
        return "tree_ensemble"
    return None


def family_method(objective: str, family, n_minority: int, binary: bool = True) -> str:
    """``FAMILY_METHODS``' method for ``family`` at this minority size. On more than two
    classes F1 has no threshold to tune, so the small minority's (resampling) method holds."""
    small, large = FAMILY_METHODS[objective][family]
    if n_minority < T.MINORITY_FOR_TUNING or (objective == "f1" and not binary):
        return small
    return large


@dataclass(frozen=True)
class RuleInput:
    """What the rules read: findings per minority class and findings about the dataset."""

    class_findings: dict  # minority label -> {kind: Finding}
    data_findings: dict  # kind -> Finding
    objective: str = "balanced_accuracy"
    binary: bool = True
    family: str | None = None  # the estimator's family, when the rules are told it

    @property
    def smallest_minority(self) -> int:
        sizes = [f.evidence["n_minority"] for _, f in self.each("imbalance")]
        return min(sizes) if sizes else 0

    @property
    def enough_to_tune(self) -> bool:
        """Enough minority rows for a threshold (or class weights) to be fitted reliably."""
        return self.smallest_minority >= T.MINORITY_FOR_TUNING

    def each(self, kind: str):
        """(label, finding) for every minority class, in class order."""
        for label, by_kind in self.class_findings.items():
            if kind in by_kind:
                yield label, by_kind[kind]

    def first(self, kind: str, severities: tuple):
        """The first class whose finding of ``kind`` has one of ``severities``."""
        return next(((lab, f) for lab, f in self.each(kind) if f.severity in severities), None)


@dataclass(frozen=True)
class Rule:
    name: str
    kinds: tuple  # the findings its reason speaks for (not repeated under "Also noted")
    # (inp, severities) -> (method, reason) or (method, reason, sampler parameters), or None
    decide: Callable[[RuleInput, tuple], tuple | None]
    passes: tuple = (0, 1)  # the passes (indices into PASSES) it takes part in


def _preresampled(inp: RuleInput, severities):
    # Any level counts: even a partly oversampled dataset leaks under cross-validation.
    f = inp.data_findings.get("preresampled")
    if f is not None and f.severity != "ok":
        return "no_resampling", (
            f"{f.summary} Resampling again would only add to it: get the data from before the "
            "oversampling, or at least keep each synthetic row in the same fold as its parents."
        )
    return None


def _probability(inp: RuleInput, severities):
    """Calibrated probabilities: resampling, class weights and thresholds all move them."""
    if inp.objective != "probability":
        return None
    return "no_resampling", (
        "The objective is calibrated probabilities (Brier score, log loss): resampling "
        "changes the class shares the model learns, and a model fitted on balanced rows "
        "over-predicts the minority everywhere (van den Goorbergh et al. 2022), as class "
        "weights do; the estimator fitted on the rows as they are estimates the real shares."
    )


def _balanced(inp: RuleInput, severities):
    # A mildly imbalanced dataset is resampled like any other: leaving it as it was lost to
    # the family defaults on the advice benchmark (its six mildly imbalanced datasets).
    if not inp.class_findings:
        return (
            "no_resampling",
            "No class is smaller than the largest one: there is nothing to balance.",
        )
    return None


def _too_small(inp: RuleInput, severities):
    hit = inp.first("small_minority", ("severe",))
    if hit:
        label, f = hit
        return "random_oversample", (
            f"Class {label!r} has {plural(f.evidence['n_minority'], 'row')}, fewer than the "
            f"k_neighbors + 1 = {f.evidence['n_needed']} SMOTE needs to interpolate: duplicate "
            "rows instead of inventing them."
        )
    return None


def _concentrated(inp: RuleInput, severities):
    hit = inp.first("high_dimensionality", ("severe",))
    if not hit:
        return None
    label, f = hit
    e = f.evidence
    where = (
        f"Class {label!r}: the nearest neighbour is {1 / e['relative_contrast']:.0%} of the mean "
        f"distance away (relative contrast {e['relative_contrast']:.2f} in "
        f"{e['n_dimensions']} dimensions, severe below {T.CONTRAST_SEVERE}), so neighbour-based "
        "figures (typology, overlap) are unreliable there"
    )
    contrast, kappa = e["pca_relative_contrast"], e["pca_chance_corrected_purity"]
    categorical = inp.data_findings.get("categorical_features")
    numeric_only = categorical is None or categorical.severity == "ok"
    full_space = inp.class_findings[label]["overlap"].evidence["chance_corrected_purity"]
    sharper = contrast is not None and kappa > max(full_space, T.OVERLAP_SEVERE_KAPPA)
    over_null = e.get("pca_contrast_over_null")
    recovered = over_null is not None and over_null >= T.CONTRAST_NULL_RATIO
    if contrast is not None and recovered and sharper and numeric_only:
        reason = (
            f"{where}. On the {plural(e['pca_components'], 'principal component')} above the "
            f"noise floor ({e['pca_variance_share']:.0%} of the variance) the contrast is "
            f"{contrast:.2f} ({over_null:.2f} times structureless data of that dimension) and "
            "the chance-corrected purity rises to {kappa:.2f}: choose SMOTE's "
            "neighbours there, and interpolate in the original features so the new rows keep "
            "their parents' variation (denoised rows would sit nearer to every row than real "
            "ones, and nearest-neighbour models would see the minority everywhere)."
        )
        return "pca_smote", reason, {"n_components": e["pca_components"], "keep_residual": True}
    if contrast is None:
        after = "; no principal component rises above the noise floor"
    elif not recovered:
        after = (
            f"; on the principal components above the noise floor it is {contrast:.2f}, no "
            "more local than structureless data of that dimension"
        )
    elif not sharper:
        after = (
            "; the principal components above the noise floor do not separate the classes "
            f"better (chance-corrected purity {kappa:.2f})"
        )
    else:
        after = "; PCA-space SMOTE would help but cannot take the categorical columns"
    lens = (
        " Neighbours are the wrong lens here too: "
        f"{tree_against_neighbours(e['tree_auc'], e['neighbour_auc'])}."
        if e.get("neighbours_wrong_lens")
        else ""
    )
    return "no_resampling", (
        f"{where}{after}: SMOTE's neighbours would be nearly random rows (Blagus & Lusa "
        f"2013).{lens}"
    )


def _wrong_lens(inp: RuleInput, severities):
    """Neighbours do not tell the class where a shallow tree does: SMOTE's interpolation
    between a row and its nearest classmates draws points no rule of the class supports."""
    for label, f in inp.each("high_dimensionality"):
        e = f.evidence
        if not e.get("neighbours_wrong_lens"):
            continue
        why = (
            f"Class {label!r} is told by tests on single columns, not by nearness over all "
            f"of them: {tree_against_neighbours(e['tree_auc'], e['neighbour_auc'])} (rules on "
            "a few columns, or columns that carry nothing about the class but count in every "
            "distance). SMOTE's neighbours (and the "
            "neighbour-based figures) mean little here"
        )
        if inp.enough_to_tune:
            return "no_resampling", (
                f"{why}: leave the rows as they are and let the estimator (a tree ensemble "
                "learns such rules) meet the objective with class weights or a tuned "
                "threshold."
            )
        return "random_oversample", (
            f"{why}: repeat real minority rows instead of interpolating between neighbours."
        )
    return None


def _heavy_overlap(inp: RuleInput, severities):
    # Class weights or a threshold need enough minority rows to be fitted; below that,
    # synthetic rows are what lets the model see the minority at all (later rules choose).
    # Average precision judges the ranking, which weights and thresholds leave as it is.
    tunes = inp.enough_to_tune and inp.objective != "average_precision"
    hit = inp.first("overlap", ("severe",)) if tunes else None
    if hit:
        label, f = hit
        e = f.evidence
        # the points the overlap itself puts there (noise rows and cross-group pairs aside)
        landing = e.get("smote_majority_share_local", e["smote_majority_share"])
        if landing is None:
            fill = ""
        elif landing >= T.SMOTE_MAJORITY_WARN_SHARE:
            fill = (
                f" Plain SMOTE would put {landing:.0%} of its points in majority territory "
                "between neighbouring rows of the class, filling the overlap."
            )
        else:
            fill = (
                f" Plain SMOTE would put only {landing:.0%} of its points in majority "
                "territory between neighbouring rows of the class, yet its points add nothing "
                "where the rows of both classes mix."
            )
        return "no_resampling", (
            f"Class {label!r} overlaps the other classes heavily: at one to one with them, its "
            "rows' nearest rows agree on the class "
            f"{e['balanced_chance_corrected_purity']:.2f} beyond chance (kappa: 0 = chance, "
            f"1 = perfect, below 0 worse than chance; severe at <= {T.OVERLAP_SEVERE_KAPPA})."
            f"{fill} Class weights or a "
            "tuned threshold meet the objective without synthetic rows (Elor & "
            "Averbuch-Elor 2022)."
        )
    return None


def _categorical(inp: RuleInput, severities):
    f = inp.data_findings.get("categorical_features")
    if f is not None and f.severity != "ok":
        names = f.evidence["categorical_columns"] + f.evidence["boolean_columns"]
        return "smote_nc", (
            f"Columns {listed(names)} are categorical: SMOTE-NC interpolates the numeric "
            "columns and takes the most frequent category among the neighbours for the others."
        )
    return None


def _bridging(inp: RuleInput, severities):
    hit = inp.first("minority_clustering", severities)
    if hit:
        label, f = hit
        e = f.evidence
        return "cluster_smote", (
            f"Class {label!r} forms {plural(e['n_groups'], 'group')}, and "
            f"{e['bridging_share']:.1%} of plain SMOTE's neighbour pairs would join two of them "
            "through majority territory "
            f"({f.severity} at {_level(f.severity, T.BRIDGING_WARN_SHARE, T.BRIDGING_SEVERE_SHARE)}"
            "): interpolate only inside a group."
        )
    return None


def _noise(inp: RuleInput):
    """Suspected label noise names a cleaning hybrid for the verification's shortlist; it
    does not decide the method: on the advice benchmark the hybrids it chose lost to the
    family defaults in the cells where it fired."""
    if inp.first("noise", ("warning", "severe")):
        return "smote_tomek" if inp.objective in PRECISION_OBJECTIVES else "smote_enn"
    return None


def _level(severity: str, warn: float, severe: float) -> str:
    return f"{severe if severity == 'severe' else warn:.0%}"


def _thin_boundary(inp: RuleInput):
    """A minority mostly on the boundary names Borderline-SMOTE (ADASYN when rare rows
    dominate) for the verification's shortlist; as ``_noise``, it no longer decides."""
    for _, f in inp.each("overlap"):
        e = f.evidence
        if e["borderline_share"] + e["rare_share"] >= T.BOUNDARY_SHARE:
            return "adasyn" if e["rare_share"] > e["borderline_share"] else "borderline_smote"
    return None


# Findings that name alternatives for a verification without deciding the method.
ALTERNATIVES = (_noise, _thin_boundary)


def _default(inp: RuleInput, severities):
    """No finding calls for a method of its own: the objective's measured default for the
    estimator's family (``FAMILY_METHODS``)."""
    n = inp.smallest_minority
    method = family_method(inp.objective, inp.family, n, inp.binary)
    size = (
        f"fewer than {T.MINORITY_FOR_TUNING}"
        if n < T.MINORITY_FOR_TUNING
        else f"at least {T.MINORITY_FOR_TUNING}"
    )
    per_family = "; ".join(
        f"{FAMILY_NAMES[f]} {family_method(inp.objective, f, n, inp.binary)}"
        for f in (*FAMILIES, None)
    )
    return method, (
        "No finding calls for a method of its own here, so the advice is the "
        f"{inp.objective.replace('_', ' ')} default measured per estimator family at this "
        f"minority size ({plural(n, 'row')}, {size}; python benchmarks/replay_rules.py): "
        f"{per_family}. rec.pipeline(estimator) applies its family's. Noise and boundary "
        "findings do not change it (the cleaning and boundary variants they pointed to lost "
        "to these defaults on the benchmark); diagnose(..., verify=estimator) checks them on "
        "this data."
    )


FIRST, SECOND = 0, 1
RULES: tuple[Rule, ...] = (
    Rule("preresampled", ("preresampled",), _preresampled, (FIRST,)),
    Rule("probability", (), _probability, (FIRST,)),
    Rule("balanced", ("imbalance",), _balanced, (FIRST,)),
    Rule("too_small", ("small_minority",), _too_small, (FIRST,)),
    # Before overlap: concentrated neighbourhoods make the neighbour-based overlap unreliable.
    Rule("concentrated", ("high_dimensionality",), _concentrated, (FIRST,)),
    # Before overlap and noise: where neighbours are the wrong lens, their figures mislead.
    Rule("wrong_lens", ("high_dimensionality",), _wrong_lens, (FIRST,)),
    Rule("heavy_overlap", ("overlap",), _heavy_overlap, (FIRST,)),
    Rule("categorical", ("categorical_features",), _categorical, (FIRST,)),
    Rule("bridging", ("minority_clustering",), _bridging, (FIRST, SECOND)),
    Rule("default", (), _default, (SECOND,)),
)


@dataclass(frozen=True)
class Recommendation:
    """The advice: one method, the reasons for it, and ready-to-fit objects.

    Attributes
    ----------
    method : str
        One of ``METHODS``.
    reasons : tuple of str
        Sentences citing the measured evidence; the first decided the method.
    rule : str
        Name of the rule in ``RULES`` that decided.
    k_neighbors : int
    random_state : None or int
    feature_columns : tuple
        Every feature column of the data diagnosed, in order (the pipeline expects X with these
        columns in this order, e.g. ``df.drop(columns=target)``).
    numeric_features, categorical_features : tuple
        The columns used as numbers, and the text, category and boolean columns that SMOTE-NC
        keeps whole and the pipeline one-hot encodes for the estimator.
    binary_features : tuple
        The numeric columns holding only 0 and 1, which count as they are in the distances.
    integer_features : tuple
        The numeric columns holding only whole numbers, rounded in synthetic rows.
    onehot_groups : tuple
        Groups of 0/1 columns that encode one category: one category per synthetic row.
    scaling : str
        How numeric columns count in the distances (``diagnose(..., scaling=)``): the
        samplers choose their neighbours in the diagnosis's space, fitted on the rows they
        resample (each training fold inside the pipeline).
    impute : bool
        The data has missing values: the pipeline imputes before resampling.
    binary : bool
        Two classes (threshold tuning is possible).
    n_minority : int
        Rows of the smallest minority class (sizes the threshold tuning's folds).
    positive_label : object
        The minority class of a binary target (the positive class of F1 and average
        precision); None for multi-class.
    objective : str
        What the advice optimises (one of ``OBJECTIVES``).
    sampler_params : dict
        Parameters the deciding rule measured for the sampler (e.g. PCASMOTE's
        ``n_components``).
    tailor : bool
        Let the estimator's family decide: where no finding decided (``rule == "default"``),
        its default in ``FAMILY_METHODS``; else whether the sampler is pointless (nearest
        neighbours under average precision, linear models under F1). evaluate()'s fixed
        baselines and a verification's candidates turn it off.

    Examples
    --------
    >>> from smote_diag import diagnose
    >>> from smote_diag.datasets import make_compact_minority
    >>> data = make_compact_minority(random_state=0)
    >>> rec = diagnose(data.frame, target=data.target, random_state=0, verbose=0).recommendation
    >>> rec.rule, rec.method  # no finding decides: the default for other estimators
    ('default', 'smote')
    >>> from sklearn.linear_model import LogisticRegression
    >>> HGB = __import__("sklearn.ensemble").ensemble.HistGradientBoostingClassifier
    >>> rec.method_for(HGB())  # the default for tree ensembles
    'smote_rus'
    >>> [name for name, _ in rec.pipeline(LogisticRegression()).steps]
    ['sampler', 'estimator']
    """

    method: str
    reasons: tuple
    rule: str
    k_neighbors: int = 5
    random_state: Any = None
    feature_columns: tuple = ()
    numeric_features: tuple = ()
    categorical_features: tuple = ()
    binary_features: tuple = ()
    integer_features: tuple = ()
    onehot_groups: tuple = ()
    scaling: str = "standard"
    impute: bool = False
    binary: bool = True
    n_minority: int = 0
    positive_label: Any = None
    objective: str = "balanced_accuracy"
    sampler_params: dict = field(default_factory=dict)
    tailor: bool = True

    @property
    def used_columns(self) -> tuple:
        """The feature columns the diagnosis used, in the data's order (the left-out ones,
        identifiers or dates say, are not among them)."""
        used = set(self.numeric_features) | set(self.categorical_features)
        return tuple(c for c in self.feature_columns if c in used)

    @property
    def sampler(self):
        """A new, unfitted imbalanced-learn sampler for ``method`` (None for no_resampling),
        for X with the used columns: ``fit_resample(X[list(rec.used_columns)], y)`` (that is
        ``df.drop(columns=target)`` when no column was left out; given other columns it
        refuses them, naming these). It chooses its neighbours in the diagnosis's distance
        space, fitted on the rows it is given. ``resample()`` keeps every column."""
        columns = list(self.used_columns)
        return self._sampler(self.categorical_features, columns, expects=columns)

    def _sampler(self, categorical_features, columns, onehot_from=None, expects=None):
        """The sampler for an X whose columns are ``columns`` (then, from ``onehot_from`` on,
        one-hot encoded categories), taking ``categorical_features`` (names or positions)
        whole; ``expects`` names the columns a DataFrame must have."""
        from .samplers import make_sampler

        def positions(names):
            return [columns.index(c) for c in names if c in columns]

        groups = [positions(g) for g in self.onehot_groups if set(g) <= set(columns)]
        return make_sampler(
            self.method,
            k_neighbors=self.k_neighbors,
            random_state=self.random_state,
            categorical_features=categorical_features,
            n_features=len(self.numeric_features) + len(self.categorical_features),
            scaling=self.scaling,
            binary_features=positions(self.binary_features),
            onehot_from=onehot_from,
            integer_features=positions(self.integer_features + self.binary_features),
            onehot_groups=groups,
            feature_names=expects,
            **self.sampler_params,
        )

    def pipeline(self, estimator):
        """An unfitted imblearn Pipeline that applies the advice inside ``fit`` only.

        Steps: ``prepare`` (when values are missing or columns were left out: keeps the used
        columns, numeric first, imputing medians and most frequent categories), ``sampler``
        (not for "no_resampling"; a Pipeline estimator's leading per-column scalers come
        before it when every column is a continuous number, so that they learn from the real
        rows only), ``encode`` (when there are categorical columns: one-hot
        encodes them so any estimator can fit; after SMOTE-NC and random oversampling, before
        samplers that need numbers), ``estimator``. Resampling inside the pipeline means only
        training folds are resampled under cross-validation. For an ensemble method
        ("smote_bagging") there is no sampler step: the estimator step is imbalanced-learn's
        ``BalancedBaggingClassifier`` around the estimator, its sampler in every bag.

        Without a sampler, the estimator meets the objective by itself: for "f1" (binary) it
        is wrapped in ``TunedThresholdClassifierCV`` tuned for F1; for "average_precision" it
        is left as is; for "balanced_accuracy" it gets ``class_weight="balanced"`` where it has
        that parameter, else a threshold tuned for balanced accuracy (binary). Where no finding
        decided, the method is the default for the estimator's family (``method_for``); else
        the sampler is left out where the estimator makes it pointless (``tailor``; see
        ``strategy(estimator)`` and ``rec.reasons``).

        Parameters
        ----------
        estimator : scikit-learn classifier
            Cloned, never modified.

        Returns
        -------
        imblearn.pipeline.Pipeline
        """
        from imblearn.pipeline import Pipeline
        from sklearn.base import clone

        from .exceptions import InputTypeError

        if not (hasattr(estimator, "fit") and hasattr(estimator, "get_params")):
            raise InputTypeError(
                f"pipeline() needs a scikit-learn estimator, got {type(estimator).__name__}. "
                "Pass e.g. LogisticRegression()."
            )
        tailored = self.for_estimator(estimator)
        if tailored is not self:
            return tailored.pipeline(estimator)
        steps = []
        prepare = self.impute or len(self.feature_columns) > len(self.numeric_features) + len(
            self.categorical_features
        )
        if prepare:  # the used columns, numeric first
            steps.append(("prepare", self._prepare()))
            columns = list(self.numeric_features) + list(self.categorical_features)
        else:
            columns = list(self.feature_columns)
        categorical = [columns.index(c) for c in self.categorical_features]
        final = clone(estimator)
        if self.method == "no_resampling" or self._skips_sampler(final):
            final = _balance_estimator(final, self)
        elif self._takes_scalers_first():
            # the estimator's scalers learn from the real rows only, and the sampler after
            # them measures as the diagnosis did (its space refits every column's scale)
            scalers, final = _leading_scalers(final)
            steps += [*scalers, ("sampler", self._sampler((), columns))]
        elif categorical and self.method not in CATEGORY_AWARE:
            # A sampler that needs numbers resamples the one-hot encoded columns: the others
            # first, then the categories' one-hot columns (weighted as the diagnosis does).
            kept = [c for c in columns if c not in self.categorical_features]
            sampler = self._sampler((), kept, onehot_from=len(kept))
            steps += [("encode", _one_hot(categorical, len(columns))), ("sampler", sampler)]
            categorical = []
        else:
            steps.append(("sampler", self._sampler(categorical, columns)))
        if categorical:
            steps.append(("encode", _one_hot(categorical, len(columns))))
        if self.method in ENSEMBLES and steps and steps[-1][0] == "sampler":
            final = self._ensemble(final, steps.pop()[1])
        steps.append(("estimator", final))
        if self.objective == "probability" and self.method != "no_resampling":
            from .prior_shift import PriorCorrectedClassifier

            return PriorCorrectedClassifier(Pipeline(steps))
        return Pipeline(steps)

    def _takes_scalers_first(self) -> bool:
        """Whether an estimator's leading scalers can go before the sampler: the columns are
        all continuous numbers (no category, 0/1 or whole-number column, which the sampler
        keeps in their own units) and the space scales every column itself."""
        return self.scaling in ("standard", "robust") and not (
            self.categorical_features or self.binary_features or self.integer_features
        )

    def _ensemble(self, estimator, sampler):
        """``estimator`` inside a BalancedBaggingClassifier whose every bag is resampled by
        ``sampler`` (its own synthetic rows per base learner)."""
        from imblearn.ensemble import BalancedBaggingClassifier

        return BalancedBaggingClassifier(
            estimator=estimator,
            n_estimators=ENSEMBLE_SIZE,
            sampler=sampler,
            random_state=self.random_state,
        )

    def method_for(self, estimator) -> str:
        """The method ``pipeline(estimator)`` applies: where no finding decided
        (``rule == "default"``), the objective's default for the estimator's family
        (``FAMILY_METHODS``); else ``method``."""
        generic = family_method(self.objective, None, self.n_minority, self.binary)
        # a method set by hand (dataclasses.replace(rec, method=...)) is applied as it is
        if not self.tailor or self.rule != "default" or self.method != generic:
            return self.method
        return family_method(
            self.objective, estimator_family(estimator), self.n_minority, self.binary
        )

    def for_estimator(self, estimator) -> Recommendation:
        """This advice with the method ``pipeline(estimator)`` applies made explicit (and no
        further tailoring)."""
        method = self.method_for(estimator)
        if method == self.method:
            return self
        return replace(self, method=method, sampler_params={}, tailor=False)

    def _skips_sampler(self, estimator) -> bool:
        # an ensemble is kept whatever the estimator: its bags, not only its synthetic
        # rows, improve the ranking (the benchmark's nearest-neighbour cells most of all)
        return (
            self.tailor
            and self.rule != "default"  # FAMILY_METHODS has tailored it already
            and self.method not in ENSEMBLES
            and _skips_sampler(estimator, self.objective, self.binary)
        )

    def strategy(self, estimator) -> str:
        """What ``pipeline(estimator)`` applies, in words: the method when it resamples, else
        how the estimator meets the objective ("tuned threshold", "class weights",
        "estimator as is"), noting a method the estimator made pointless.

        Examples
        --------
        >>> from sklearn.linear_model import LogisticRegression
        >>> from smote_diag import diagnose
        >>> from smote_diag.datasets import make_flipped_labels
        >>> data = make_flipped_labels(n_minority=16, noise_share=0.25, random_state=0)
        >>> rec = diagnose(data.frame, "label", objective="f1", verbose=0).recommendation
        >>> rec.method, rec.strategy(LogisticRegression())
        ('smote_bagging', 'tuned threshold')
        """
        from sklearn.ensemble import BaggingClassifier
        from sklearn.model_selection import TunedThresholdClassifierCV

        tailored = self.for_estimator(estimator)
        if tailored is not self:
            return tailored.strategy(estimator)
        if self.method != "no_resampling" and not self._skips_sampler(estimator):
            return self.method + (", prior-corrected" if self.objective == "probability" else "")
        final = self.pipeline(estimator).named_steps["estimator"]
        if isinstance(final, TunedThresholdClassifierCV):
            words = "tuned threshold"
        elif isinstance(final, BaggingClassifier):
            words = "bagged estimator"
        elif _final_estimator(final).get_params(deep=False).get("class_weight") == "balanced":
            words = "class weights"
        else:
            words = "estimator as is"
        return words if self.method == "no_resampling" else f"{words} (instead of {self.method})"

    def scorer(self):
        """A scikit-learn scorer for the objective, with the minority as the positive class:
        ``scoring="average_precision"`` or ``"f1"`` score the label 1, which string labels
        (or a minority labelled 0) do not have, and give NaN or the majority's score. On
        more than two classes F1 and average precision are macro-averaged over the classes.

        Examples
        --------
        >>> from sklearn.linear_model import LogisticRegression
        >>> from sklearn.model_selection import cross_val_score
        >>> from smote_diag import diagnose, load_demo
        >>> df = load_demo()
        >>> rec = diagnose(df, "status", verbose=0).recommendation
        >>> X, y = df.drop(columns="status"), df["status"]
        >>> scores = cross_val_score(rec.pipeline(LogisticRegression()), X, y, scoring=rec.scorer())
        >>> bool(0 < scores.min() <= scores.max() <= 1)
        True
        """
        return objective_scorer(self.objective, self.positive_label)

    def _prepare(self):
        """Keep the used columns, numeric ones first, imputing when values are missing."""
        from sklearn.compose import ColumnTransformer
        from sklearn.impute import SimpleImputer

        def fill(strategy):
            if not self.impute:
                return "passthrough"
            return SimpleImputer(strategy=strategy, keep_empty_features=True)

        position = {c: i for i, c in enumerate(self.feature_columns)}
        parts = [
            (name, fill(strategy), [position[c] for c in columns])
            for name, strategy, columns in (
                ("numeric", "median", self.numeric_features),
                ("categorical", "most_frequent", self.categorical_features),
            )
            if columns
        ]
        return ColumnTransformer(parts, remainder="drop", verbose_feature_names_out=False)

    def to_dict(self) -> dict:
        return to_jsonable(
            {
                "method": self.method,
                "rule": self.rule,
                "reasons": list(self.reasons),
                "k_neighbors": self.k_neighbors,
                "random_state": self.random_state,
                "categorical_features": list(self.categorical_features),
                "scaling": self.scaling,
                "impute": self.impute,
                "objective": self.objective,
                "sampler_params": dict(self.sampler_params),
            }
        )


def _one_hot(positions: list, n_columns: int):
    """One-hot encode the columns at ``positions``: the other columns first, in order, then
    the categories' one-hot columns."""
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder

    from ._space import MAX_CATEGORY_LEVELS

    # as the distance space counts categories: the rare levels of a column together
    encoder = OneHotEncoder(
        handle_unknown="infrequent_if_exist",
        sparse_output=False,
        max_categories=MAX_CATEGORY_LEVELS + 1,
    )
    others = [p for p in range(n_columns) if p not in positions]
    return ColumnTransformer(
        [("kept", "passthrough", others), ("categories", encoder, positions)], remainder="drop"
    )


def _skips_sampler(estimator, objective: str, binary: bool) -> bool:
    """Where the estimator makes the sampler pointless, and the benchmark's dev families
    agreed (python benchmarks/bench_advice.py):

    - under average precision, a nearest-neighbour classifier: its scores are its
      neighbours' votes, which synthetic minority rows inflate everywhere near the minority
      (resampling lowered its average precision at every minority size);
    - under F1 on a binary target, a linear model: rebalancing the training data mainly moves
      a logistic model's intercept (King & Zeng, Political Analysis 9:137-163, 2001), which
      the F1-tuned threshold does directly (threshold tuning beat every sampler for
      LogisticRegression at every minority size).
    """
    family = estimator_family(estimator)
    if objective == "average_precision":
        return family == "neighbours"
    return objective == "f1" and binary and family == "linear"


def _leading_scalers(estimator) -> tuple[list, object]:
    """(the leading per-column scalers of a Pipeline ``estimator``, as its steps, and what
    is left of it); ([], estimator) when it does not start with one. Each of these scalers
    maps a column by x -> (x - a) / b with b > 0, so neighbours measured after a standard or
    robust scaling of every column are the same whether or not one ran first."""
    from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, RobustScaler, StandardScaler

    affine = (StandardScaler, RobustScaler, MinMaxScaler, MaxAbsScaler)
    steps = list(getattr(estimator, "steps", []))
    taken = 0
    while taken < len(steps) - 1 and isinstance(steps[taken][1], affine):
        taken += 1
    if not taken or {"prepare", "sampler", "encode", "estimator"} & dict(steps[:taken]).keys():
        return [], estimator
    rest = steps[taken:]
    return steps[:taken], rest[0][1] if len(rest) == 1 else estimator.set_params(steps=rest)


def _final_estimator(estimator):
    return estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator


def objective_metric(objective: str, binary: bool = True) -> str:
    """The metric ``evaluate()`` judges ``objective`` by, the one ``objective_scorer``
    scores: the objective's own name, or for "probability" the negated Brier score of the
    minority's probability (binary) or the negated log loss (multi-class)."""
    if objective != "probability":
        return objective
    return "neg_brier_score" if binary else "neg_log_loss"


def objective_scorer(objective: str, positive_label=None):
    """A scikit-learn scorer for ``objective``, scoring ``positive_label`` (the minority) as
    the positive class where the metric has one; without one (multi-class), F1 and average
    precision macro-averaged over the classes, as ``evaluate()`` reports them."""
    from sklearn.metrics import average_precision_score, brier_score_loss, f1_score, make_scorer

    if objective == "balanced_accuracy":
        return "balanced_accuracy"
    if objective == "probability":
        # the Brier score of the minority's probability (negated: higher is better); the
        # log loss of all classes' probabilities on more than two
        if positive_label is None:
            return "neg_log_loss"
        return make_scorer(
            brier_score_loss,
            greater_is_better=False,
            response_method="predict_proba",
            pos_label=positive_label,
        )
    if positive_label is None:
        if objective == "f1":
            return "f1_macro"
        return make_scorer(
            average_precision_score, response_method="predict_proba", average="macro"
        )
    if objective == "f1":
        return make_scorer(f1_score, pos_label=positive_label)
    return make_scorer(
        average_precision_score,
        response_method=("decision_function", "predict_proba"),
        pos_label=positive_label,
    )


def _balance_estimator(estimator, rec: Recommendation):
    """How the estimator meets the objective when nothing is resampled (see
    ``pipeline_sentence``)."""
    if rec.objective == "probability" and estimator_family(estimator) in BAGGED_FOR_PROBABILITY:
        from sklearn.ensemble import BaggingClassifier

        return BaggingClassifier(
            estimator=estimator, n_estimators=ENSEMBLE_SIZE, random_state=rec.random_state
        )
    if rec.objective in ("average_precision", "probability"):
        return estimator
    if rec.objective == "f1" and rec.binary:
        scoring = threshold_scorer("f1", rec.positive_label)
        return tuned_threshold(estimator, scoring, rec.n_minority, rec.random_state)
    final = _final_estimator(estimator)
    if "class_weight" in final.get_params(deep=False):
        final.set_params(class_weight="balanced")
        return estimator
    if rec.binary:
        scoring = threshold_scorer("balanced_accuracy")
        return tuned_threshold(estimator, scoring, rec.n_minority, rec.random_state)
    return estimator


def fit_or_untuned(model, X, y):
    """Fit ``model``; when its threshold tuning is impossible (the inner folds' scores are
    constant), fit it again with every TunedThresholdClassifierCV replaced by the estimator
    it wraps, and nothing else changed. Returns (fitted model, whether it fell back)."""
    from sklearn.base import clone
    from sklearn.model_selection import TunedThresholdClassifierCV

    try:
        return model.fit(X, y), False
    except ValueError as exc:
        if "constant predictions" not in str(exc):
            raise
    if isinstance(model, TunedThresholdClassifierCV):
        return clone(model.estimator).fit(X, y), True
    steps = [
        (name, clone(step.estimator) if isinstance(step, TunedThresholdClassifierCV) else step)
        for name, step in model.steps
    ]
    return type(model)(steps).fit(X, y), True


def threshold_scorer(objective: str, positive_label=None):
    """The scorer a tuned threshold calls at each of its 100 candidate thresholds per fold:
    F1 (``objective="f1"``, of ``positive_label``) or balanced accuracy counted directly
    with numpy. scikit-learn's metrics validate their inputs on every call, which made that
    search about a hundred times slower than the counts; the values are the same."""
    from sklearn.metrics import make_scorer

    if objective == "f1":
        return make_scorer(counted_f1, pos_label=positive_label)
    if objective == "balanced_accuracy":
        return make_scorer(counted_balanced_accuracy)
    raise ValueError(f"No threshold serves {objective!r}: it does not depend on one.")


def counted_f1(y_true, y_pred, *, pos_label) -> float:
    """F1 of ``pos_label`` from the counts, 0 where it is undefined (no row of it predicted
    or present), as scikit-learn's ``f1_score`` gives by default."""
    truth, said = np.asarray(y_true) == pos_label, np.asarray(y_pred) == pos_label
    hits = np.count_nonzero(truth & said)
    denominator = np.count_nonzero(truth) + np.count_nonzero(said)
    return 2.0 * hits / denominator if denominator else 0.0


def counted_balanced_accuracy(y_true, y_pred) -> float:
    """The mean recall over the classes present in ``y_true``, as scikit-learn's
    ``balanced_accuracy_score``."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return float(np.mean([np.mean(y_pred[y_true == c] == c) for c in np.unique(y_true)]))


def tuned_threshold(estimator, scoring, n_minority: int, random_state=None):
    """TunedThresholdClassifierCV over shuffled stratified folds: data sorted by class (common
    in recorded data) would otherwise give validation folds of one kind, and a threshold
    tuned on them. Up to 5 folds, with at least 2 minority rows in each."""
    from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV

    n_splits = int(min(5, max(2, n_minority // 2)))
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=random_state)
    return TunedThresholdClassifierCV(estimator, scoring=scoring, cv=folds)


def pipeline_sentence(method: str, binary: bool, objective: str, tailor: bool = True) -> str:
    """What rec.pipeline(estimator) will do, as a sentence for the reasons (``tailor``: the
    estimator may make the sampler pointless; see ``Recommendation.tailor``)."""
    if method != "no_resampling":
        tailored = {
            "average_precision": " For a nearest-neighbour estimator it leaves the sampler "
            "out: synthetic rows inflate its neighbours' votes, which are its scores.",
            "f1": " For a linear model it tunes the decision threshold for F1 instead: "
            "rebalancing mainly moves a logistic model's intercept (King & Zeng 2001), which "
            "the tuned threshold does directly.",
        }.get(objective if tailor and (binary or objective != "f1") else "", "")
        if method in ENSEMBLES and objective == "average_precision":
            tailored = ""  # the ensemble is kept for every estimator (Recommendation.tailor)
        if objective == "probability":
            tailored = (
                " For calibrated probabilities it wraps that in a PriorCorrectedClassifier, "
                "which corrects the predicted probabilities analytically for the class shares "
                "the sampler changed (each class's probability times its training share over "
                "its resampled share, renormalised: Saerens et al. 2002), with no held-out rows."
            )
        if method in ENSEMBLES:
            return (
                f"rec.pipeline(estimator) wraps the estimator in a BalancedBaggingClassifier of "
                f"{ENSEMBLE_SIZE} whose every bag SMOTE resamples inside fit, so each base "
                f"learner has its own synthetic rows and only training folds are resampled."
                f"{tailored}"
            )
        return (
            f"rec.pipeline(estimator) puts the {method} sampler before the estimator in an "
            f"imblearn Pipeline, so only training folds are resampled.{tailored}"
        )
    if objective == "probability":
        return (
            "rec.pipeline(estimator) leaves the estimator as it is, with neither class weights "
            "nor a threshold: both would move the probabilities away from the real class "
            f"shares. Nearest neighbours and tree ensembles it bags ({ENSEMBLE_SIZE} fits on "
            "bootstrap samples, their probabilities averaged), which estimates them better."
        )
    if objective == "average_precision":
        return (
            "rec.pipeline(estimator) leaves the estimator as it is: average precision judges "
            "the ranking of scores, which neither class weights nor a threshold improve, and "
            "weights would distort the probabilities."
        )
    if objective == "f1" and binary:
        return (
            "rec.pipeline(estimator) wraps the estimator in TunedThresholdClassifierCV, which "
            "picks the decision threshold that maximises F1 on the minority class by "
            "cross-validation inside fit."
        )
    fallback = (
        "else wraps it in TunedThresholdClassifierCV to tune the threshold for balanced accuracy"
        if binary
        else "else leaves it as is: pass sample_weight=compute_sample_weight('balanced', y) to fit"
    )
    return (
        "rec.pipeline(estimator) sets class_weight='balanced' when the estimator has that "
        f"parameter, {fallback}."
    )


def decide(
    class_findings: dict,
    data_findings: dict,
    objective: str = "balanced_accuracy",
    binary=True,
    skip: frozenset = frozenset(),
    family: str | None = None,
) -> tuple[Rule, str, str, dict]:
    """Run RULES in their two passes, leaving out the rules named in ``skip``; return the
    rule that fired, the method, the reason and the sampler parameters (``family``: the
    estimator family whose default the last rule gives)."""
    inp = RuleInput(class_findings, data_findings, objective, binary, family)
    for index, severities in enumerate(PASSES):
        for rule in RULES:
            if index in rule.passes and rule.name not in skip:
                decision = rule.decide(inp, severities)
                if decision is not None:
                    method, reason, *extra = decision
                    return rule, method, reason, (extra[0] if extra else {})
    raise AssertionError("the 'default' rule always fires")  # pragma: no cover


def shortlist(
    class_findings: dict,
    data_findings: dict,
    objective: str = "balanced_accuracy",
    binary=True,
    size: int = SHORTLIST_SIZE,
    family: str | None = None,
) -> tuple[tuple[str, dict], ...]:
    """The strategies a verification compares, as (method, sampler parameters): the
    diagnosis's method for the estimator ``family``, then what the rules would choose were
    each rule before them left out, then the methods the noise and boundary findings name
    (``ALTERNATIVES``), then the objective's strongest fixed policies (``STRONG_FIXED``), and
    always "no_resampling"; ``size`` in all.

    Examples
    --------
    >>> from smote_diag import diagnose
    >>> from smote_diag.datasets import make_bridged_groups
    >>> report = diagnose(make_bridged_groups(random_state=0).frame, "label", verbose=0)
    >>> found = report.advice_inputs
    >>> [method for method, _ in shortlist(found["class_findings"], found["data_findings"])]
    ['cluster_smote', 'smote', 'no_resampling']
    """
    found: dict[str, dict] = {}
    skipped: set = set()
    while True:
        rule, method, _, params = decide(
            class_findings, data_findings, objective, binary, frozenset(skipped), family
        )
        found.setdefault(method, params)
        if rule.name == "default":
            break
        skipped.add(rule.name)
    inp = RuleInput(class_findings, data_findings, objective, binary, family)
    for named in ALTERNATIVES:
        method = named(inp)
        if method is not None:
            found.setdefault(method, {})
    for method in STRONG_FIXED[objective]:
        found.setdefault(method, {})
    found.pop("no_resampling", None)
    first = list(found.items())[: size - 1]
    return tuple(first) + (("no_resampling", {}),)


def recommend(
    class_findings: dict,
    data_findings: dict,
    *,
    k_neighbors: int,
    random_state,
    feature_columns: tuple,
    numeric_features: tuple,
    categorical_features: tuple,
    n_classes: int,
    excluded: dict,
    binary_features: tuple = (),
    integer_features: tuple = (),
    onehot_groups: tuple = (),
    scaling: str = "standard",
    positive_label=None,
    objective: str = "balanced_accuracy",
) -> Recommendation:
    """Decide, then write the reasons."""
    binary = n_classes == 2
    rule, method, reason, sampler_params = decide(class_findings, data_findings, objective, binary)
    # the default's own reason says how the estimator's family tailors it
    reasons = [reason, pipeline_sentence(method, binary, objective, tailor=rule.name != "default")]
    missing = data_findings.get("missing_values")
    impute = missing is not None and missing.severity != "ok"
    if impute:
        reasons.append(
            "The data has missing values, so the pipeline imputes first (median for numbers, "
            "most frequent value for categories)."
        )
        if missing.evidence["n_infinite_cells"]:
            reasons.append(
                f"Replace the {plural(missing.evidence['n_infinite_cells'], 'infinite value')} "
                "with NaN before fitting (X.replace([np.inf, -np.inf], np.nan)): imputers "
                "refuse them."
            )
    if categorical_features:
        when = "before the estimator" if method == "no_resampling" else "after resampling"
        reasons.append(
            f"The pipeline one-hot encodes the categorical columns {when}, so any estimator "
            "can fit them."
        )
    if excluded:
        reasons.append(
            f"The pipeline drops the columns the diagnosis left out ({listed(excluded)})."
        )
    # "imbalance" is the premise of every method and missing values have their own sentence.
    decisive = rule.kinds + ("imbalance", "missing_values")
    for f in _all_findings(class_findings, data_findings):
        if f.severity != "ok" and f.kind not in decisive:
            reasons.append(f"Also noted: {f.summary}")
    return Recommendation(
        method=method,
        reasons=tuple(reasons),
        rule=rule.name,
        k_neighbors=k_neighbors,
        random_state=random_state,
        feature_columns=tuple(feature_columns),
        numeric_features=tuple(numeric_features),
        categorical_features=tuple(categorical_features),
        binary_features=tuple(binary_features),
        integer_features=tuple(integer_features),
        onehot_groups=tuple(tuple(g) for g in onehot_groups),
        scaling=scaling,
        impute=impute,
        binary=binary,
        n_minority=RuleInput(class_findings, data_findings).smallest_minority,
        positive_label=positive_label if binary else None,
        objective=objective,
        sampler_params=sampler_params,
    )


def _all_findings(class_findings: dict, data_findings: dict):
    for by_kind in class_findings.values():
        yield from by_kind.values()
    yield from data_findings.values()
