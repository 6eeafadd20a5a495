"""make_sampler(): the one place a method name becomes a sampler."""

from __future__ import annotations

from .._space import check_scaling
from .._validation import closest_choice
from ..exceptions import InputError
from ..recommend import METHODS


def closest_method(name) -> str | None:
    """The method a mistyped name means: the same letters in another case or spelling
    ("SMOTE", "BorderlineSMOTE", "smote-enn"), else the closest name."""

    return closest_choice(name, METHODS)


def make_sampler(
    method: str,
    *,
    k_neighbors=5,
    random_state=None,
    categorical_features=(),
    n_features=None,
    scaling="standard",
    binary_features="auto",
    onehot_from=None,
    integer_features="auto",
    onehot_groups=(),
    feature_names=None,
    **params,
):
    """An unfitted imbalanced-learn sampler for ``method``; None for "no_resampling".

    Every SMOTE-family sampler (ours, cluster_smote and pca_smote, included) comes inside a
    ``SpaceSampler``: it chooses its neighbours in the diagnosis's distance space, fitted on
    the rows it resamples, and its new rows are finished as ``resample()`` finishes them
    (whole numbers rounded, one category per one-hot group). Random oversampling has no
    neighbours and makes copies: it is imbalanced-learn's as it is. For "smote_bagging" it is
    the SMOTE that each bag of the ensemble runs (``Recommendation.pipeline`` puts the
    ensemble, imbalanced-learn's ``BalancedBaggingClassifier``, around the estimator).

    Parameters
    ----------
    method : str
        One of ``METHODS``.
    k_neighbors : int, default=5
        SMOTE's neighbour count (``n_neighbors`` for ADASYN); unused by random oversampling.
    random_state : None, int or RandomState, default=None
    categorical_features : sequence, default=()
        For "smote_nc": the categorical columns (names or positions). When they are all of
        the ``n_features`` columns, SMOTEN is used (SMOTE-NC needs one numeric column).
    n_features : int, default=None
    scaling : {"standard", "robust", "none"} or ColumnScaling, default="standard"
        How numeric columns count in the distances (see ``diagnose``).
    binary_features : "auto" or sequence of int, default="auto"
        Positions of the 0/1 columns, which count as they are.
    onehot_from : int, default=None
        For a sampler that needs numbers on one-hot encoded data: the columns from this
        position on are the encoded categories (weight 1/sqrt(2) each).
    integer_features : "auto" or sequence of int, default="auto"
        Whole-number columns, rounded in synthetic rows.
    onehot_groups : sequence of sequences of int, default=()
        One-hot groups, one category per synthetic row.
    feature_names : sequence, default=None
        The columns a DataFrame given to the sampler must have, in order.
    **params
        Further constructor parameters of the sampler (e.g. ``sampling_strategy``).

    Examples
    --------
    >>> make_sampler("cluster_smote", random_state=0)
    SpaceSampler(sampler=ClusterSMOTE(random_state=0))
    >>> make_sampler("smote", random_state=0)
    SpaceSampler(sampler=SMOTE(random_state=0))
    >>> make_sampler("smote_nc", categorical_features=[2], n_features=3, scaling="robust")
    SpaceSampler(sampler=SMOTENC(categorical_features=[2]), scaling='robust')
    """
    from imblearn.combine import SMOTEENN, SMOTETomek
    from imblearn.over_sampling import (
        ADASYN,
        SMOTE,
        SMOTEN,
        SMOTENC,
        BorderlineSMOTE,
        RandomOverSampler,
    )

    from ._cluster import ClusterSMOTE
    from ._pca import PCASMOTE
    from ._space import SpaceSampler
    from ._under import SMOTEUnderSampler

    if method not in METHODS:
        close = closest_method(method)
        hint = f" Did you mean {close!r}?" if close else f" Methods: {list(METHODS)}."
        raise InputError(f"Unknown method {method!r}.{hint}")
    check_scaling(scaling)
    k, rs = k_neighbors, random_state
    if method == "no_resampling":
        return None
    if method == "smote_nc" and not len(categorical_features):
        raise InputError(
            "method='smote_nc' needs categorical columns, and this data has none. "
            "Use method='smote'."
        )

    space = {
        "scaling": scaling,
        "binary_features": binary_features,
        "onehot_from": onehot_from,
        "integer_features": integer_features,
        "onehot_groups": onehot_groups,
        "feature_names": feature_names,
    }

    def build(params):
        sampler = unwrapped(params)
        return sampler if method == "random_oversample" else SpaceSampler(sampler, **space)

    def unwrapped(params):
        if method == "smote_nc":
            if n_features is not None and len(categorical_features) >= n_features:
                return SMOTEN(k_neighbors=k, random_state=rs, **params)
            return SMOTENC(
                categorical_features=list(categorical_features),
                k_neighbors=k,
                random_state=rs,
                **params,
            )

        def inner():
            # The hybrids clone the SMOTE they are given, which must carry the strategy.
            strategy = params.get("sampling_strategy", "auto")
            return SMOTE(k_neighbors=k, random_state=rs, sampling_strategy=strategy)

        factories = {
            "smote": lambda: SMOTE(k_neighbors=k, random_state=rs, **params),
            # the sampler of each bag of the ensemble (Recommendation.pipeline builds it)
            "smote_bagging": lambda: SMOTE(k_neighbors=k, random_state=rs, **params),
            "borderline_smote": lambda: BorderlineSMOTE(k_neighbors=k, random_state=rs, **params),
            "adasyn": lambda: ADASYN(n_neighbors=k, random_state=rs, **params),
            "smote_tomek": lambda: SMOTETomek(smote=inner(), random_state=rs, **params),
            "smote_enn": lambda: SMOTEENN(smote=inner(), random_state=rs, **params),
            "smote_rus": lambda: SMOTEUnderSampler(k_neighbors=k, random_state=rs, **params),
            "cluster_smote": lambda: ClusterSMOTE(k_neighbors=k, random_state=rs, **params),
            "pca_smote": lambda: PCASMOTE(k_neighbors=k, random_state=rs, **params),
            "random_oversample": lambda: RandomOverSampler(random_state=rs, **params),
        }
        return factories[method]()

    # set here from resample()'s own arguments, so not to be given again
    ours = {
        "k_neighbors",
        "n_neighbors",
        "random_state",
        "smote",
        "categorical_features",
        "scaling",
        "binary_features",
        "onehot_from",
        "integer_features",
        "onehot_groups",
        "feature_names",
    }
    given = sorted(ours & set(params))
    if given:
        raise InputError(
            f"{given[0]} is set by smote_diag for method={method!r}; use resample()'s "
            "k_neighbors=, random_state= and scaling= instead."
        )
    try:
        return build(params)
    except TypeError:  # a parameter the sampler does not have: name it and what it has
        accepted = sorted(set(unwrapped({}).get_params(deep=False)) - ours)
        unknown = [name for name in params if name not in accepted]
        raise InputError(
            f"method={method!r} has no parameter {unknown[0] if unknown else list(params)!r}; "
            f"its parameters (besides k_neighbors and random_state) are {accepted}."
        ) from None
