"""The words every face uses for the diagnosis's figures: a human label and a unit per
evidence key, and a glossary of the terms the findings use.

Defined once here, read by the HTML and text reports, the dashboard and the JSON
(``describe_figure``); a test runs every diagnostic on planted data and asserts that each
scalar evidence key it emits has an entry, so a new figure cannot reach a reader unnamed.
"""

from __future__ import annotations

import re

from ._neighbours import TYPOLOGY_K as K
from .diagnostics import thresholds as T

# Units: how a value is written. "share" in [0, 1] as a percentage; "kappa" an agreement
# beyond chance; "auc" an area under the ROC curve; "ratio" and "number" with 3 digits.
UNITS = ("share", "count", "ratio", "kappa", "auc", "number", "yes/no", "text")

GLOSSARY: dict[str, str] = {
    "typology": (
        f"Napierala & Stefanowski's types of a minority row, by how many of its {K} nearest "
        f"rows share its class: safe {T.TYPOLOGY_SAFE_MIN}-{K}, borderline "
        f"{T.TYPOLOGY_BORDERLINE_MIN}-{T.TYPOLOGY_SAFE_MIN - 1}, rare-type "
        f"{T.TYPOLOGY_RARE_MIN}, outlier-type 0. A first reading of the neighbourhood; the "
        "suspect rows' causes (label noise, outlier, rare case) are decided from it and more."
    ),
    "safe": (
        f"A minority row with {T.TYPOLOGY_SAFE_MIN} or more of its {K} nearest rows in its class."
    ),
    "borderline": (
        f"A minority row with {T.TYPOLOGY_BORDERLINE_MIN}-{T.TYPOLOGY_SAFE_MIN - 1} of its "
        f"{K} nearest rows in its class: it sits on the boundary between the classes."
    ),
    "rare case": (
        f"A cause: a correctly labelled minority row with {T.TYPOLOGY_RARE_MIN} of its {K} "
        "nearest rows in its class, that row being rare-type or outlier-type too, in a group "
        f"of at most {T.RARE_MAX_ROWS} rows (a small sub-concept, Napierala & Stefanowski's "
        "second level): kept, and oversampled inside its group."
    ),
    "outlier": (
        f"A cause: a minority row with none of its {K} nearest rows in its class where the "
        "class does not overlap the others, or far from every row of its class (beyond "
        "Tukey's far-out fence of the class's nearest-row distances): worth a look."
    ),
    "label noise": (
        "A cause: a row whose given label is unlikely (the probability that its label is "
        "wrong, under a model of the class and of the other classes' rows given its label, is "
        "high), or whose exact features carry another label where the other classes are "
        "denser."
    ),
    "overlap": (
        "The region where rows of both classes genuinely mix: measured by how often a "
        "minority row's nearest row is of its class, among the class and as many other rows "
        "(one to one), so the figure does not move with the imbalance."
    ),
    "kappa": (
        "Agreement beyond chance (Cohen's kappa): (observed share - chance share) / (1 - "
        "chance share); 0 = no better than chance, 1 = perfect, below 0 = worse than chance."
    ),
    "majority territory": (
        f"A point with at most {T.TERRITORY_MAX_MINORITY} of its {K} nearest real rows in "
        "its class: a synthetic point there teaches the wrong label."
    ),
    "bridging": (
        "Plain SMOTE's neighbour pairs that join two separate groups of a class through "
        "majority territory: the synthetic points between them land among the other class. "
        "Counted in pairs, not points."
    ),
    "group": (
        "A set of minority rows that SMOTE's neighbour graph connects without crossing "
        "majority territory; a small group (fewer than k + 1 rows) is a small disjunct, and "
        "a row in no group is isolated."
    ),
    "relative contrast": (
        "Mean distance over nearest-neighbour distance (He, Kumar & Chang 2012): near 1, every "
        "row is about as far as every other and 'nearest' loses its meaning. Compared with "
        "structureless rows of the same size and dimension (its null)."
    ),
    "hubness": (
        "A few rows appear among the nearest neighbours of very many others (skewed "
        "k-occurrence, Radovanovic et al. 2010): SMOTE then interpolates towards the hubs."
    ),
    "intrinsic dimension": (
        "The number of dimensions the rows really spread in (TwoNN estimate, Facco et al. "
        "2017), often far below the number of columns."
    ),
    "imbalance ratio": "Rows of the largest class per row of this class.",
    "N3": (
        "The share of a class's rows whose single nearest row is of another class (the "
        "leave-one-out 1-NN error, Ho & Basu's N3)."
    ),
    "locality check": (
        "Whether neighbours are the right lens: the out-of-fold ranking quality (AUC) of a "
        "nearest-neighbour vote against a shallow tree's on the same rows; far below, the "
        "classes follow rules (thresholds, categories) that distances do not see."
    ),
    "noise floor": (
        "The largest eigenvalue independent noise columns give (Marchenko-Pastur edge): "
        "principal components above it carry structure."
    ),
}

# The suspect rows' causes (``diagnostics.tables.SUSPECT_CAUSES``) in words.
CAUSE_WORDS = {
    "label_noise": "label noise (suspect)",
    "outlier": "outlier (inspect)",
    "rare": "rare case (kept)",
}

# evidence key -> (label, unit, glossary term or None)
FIGURES: dict[str, tuple[str, str, str | None]] = {
    # imbalance, small minority
    "imbalance_ratio": ("majority rows per minority row", "ratio", "imbalance ratio"),
    "n_minority": ("minority rows", "count", None),
    "n_majority": ("majority rows", "count", None),
    "minority_share": ("minority share of all rows", "share", None),
    "majority_class": ("majority class", "text", None),
    "k_neighbors": ("SMOTE's k (neighbours per row)", "count", None),
    "n_needed": ("rows needed for k", "count", None),
    # column kinds
    "n_categorical": ("text/category columns", "count", None),
    "n_boolean": ("boolean columns", "count", None),
    "n_numeric": ("numeric columns", "count", None),
    # missing values
    "n_missing_cells": ("missing or infinite values", "count", None),
    "n_infinite_cells": ("... of them infinite", "count", None),
    "missing_cell_share": ("missing share of all values", "share", None),
    "missing_row_share": ("rows with a missing value", "share", None),
    # duplicates
    "n_duplicate_rows": ("rows repeating an earlier row", "count", None),
    "duplicate_share": ("rows repeating an earlier row", "share", None),
    "chance_duplicate_share": ("... expected by chance", "share", None),
    "excess_duplicate_share": ("... beyond chance", "share", None),
    "n_minority_duplicate_rows": ("minority rows repeating an earlier one", "count", None),
    "minority_duplicate_share": ("minority rows repeating an earlier one", "share", None),
    "chance_minority_duplicate_share": ("... expected by chance", "share", None),
    "excess_minority_duplicate_share": ("... beyond chance", "share", None),
    "zero_distance_pair_share": ("SMOTE pairs joining a row to its copy", "share", None),
    "excess_zero_distance_pair_share": ("... beyond chance", "share", None),
    "n_conflicting_rows": ("rows whose features repeat with another label", "count", None),
    # preresampled
    "n_continuous_columns": ("continuous columns", "count", None),
    # minority clustering
    "n_groups": ("groups", "count", "group"),
    "n_small_groups": ("small groups (fewer than k + 1 rows)", "count", "group"),
    "small_group_rows_share": ("rows in small groups", "share", "group"),
    "n_isolated": ("rows in no group (isolated)", "count", "group"),
    "isolated_pair_share": ("SMOTE pairs touching an isolated row", "share", "group"),
    "bridging_share": ("SMOTE pairs bridging groups", "share", "bridging"),
    "cross_group_pair_share": ("SMOTE pairs across groups", "share", "bridging"),
    "n_pairs": ("SMOTE neighbour pairs", "count", None),
    "n_cross_pairs_probed": ("cross-group pairs probed", "count", "bridging"),
    "n_cross_pairs_in_majority": ("... through majority territory", "count", "bridging"),
    "n_forest_edges": ("spanning-forest edges tested", "count", "group"),
    "n_forest_edges_cut": ("edges cut (majority territory along them)", "count", "group"),
    # noise
    "n_noise": ("label-noise rows", "count", "label noise"),
    "noise_share": ("label-noise rows", "share", "label noise"),
    "noise_share_lower": ("label-noise rows, 95% lower bound", "share", "label noise"),
    "noise_rate": ("estimated label-noise rate", "share", "label noise"),
    "n_outlier": ("outliers (cause)", "count", "outlier"),
    "n_rare": ("rare cases (cause)", "count", "rare case"),
    "n_overlap": ("rows in the overlap", "count", "overlap"),
    "n_safe": ("safe rows (cause)", "count", "safe"),
    "n_label_noise_fit_rows": ("rows the label-noise model was fitted on", "count", "label noise"),
    "n_label_noise_iterations": ("label-noise model iterations", "count", None),
    "label_noise_model_fitted": ("label-noise model fitted", "yes/no", "label noise"),
    "label_noise_judged": ("label noise judged", "yes/no", "label noise"),
    # overlap
    "safe_share": ("safe-type rows", "share", "typology"),
    "borderline_share": ("borderline-type rows", "share", "typology"),
    "rare_share": ("rare-type rows", "share", "typology"),
    "outlier_share": ("outlier-type rows", "share", "typology"),
    "neighbourhood_purity": ("neighbours of the same class", "share", None),
    "chance_purity": ("... expected by chance", "share", None),
    "chance_corrected_purity": ("neighbours' agreement beyond chance", "kappa", "kappa"),
    "balanced_chance_corrected_purity": (
        "agreement beyond chance at one to one (kappa; 0 = chance, 1 = perfect)",
        "kappa",
        "overlap",
    ),
    "minority_n3": ("rows whose nearest row is of another class (N3)", "share", "N3"),
    "smote_majority_share": ("SMOTE points in majority territory", "share", "majority territory"),
    "smote_majority_share_se": ("... its standard error", "share", None),
    "smote_majority_share_from_noise": ("... seeded by noise rows", "share", "label noise"),
    "smote_majority_share_across_groups": ("... from pairs across groups", "share", "bridging"),
    "smote_majority_share_local": ("... local (the overlap)", "share", "overlap"),
    "n_smote_probes": ("simulated SMOTE points", "count", None),
    "k_typology": ("neighbours read for the typology", "count", "typology"),
    # high dimensionality
    "n_dimensions": ("dimensions of the distance space", "count", None),
    "n_features": ("feature columns", "count", None),
    "relative_contrast": ("relative contrast", "ratio", "relative contrast"),
    "null_relative_contrast": ("... of structureless rows (null)", "ratio", "relative contrast"),
    "contrast_over_null": ("contrast over its null", "ratio", "relative contrast"),
    "hub_share": ("hub rows", "share", "hubness"),
    "hubness_skewness": ("k-occurrence skewness", "number", "hubness"),
    "intrinsic_dimension": ("intrinsic dimension", "number", "intrinsic dimension"),
    "minority_to_dimension_ratio": ("minority rows per dimension", "ratio", None),
    "neighbour_auc": ("nearest-neighbour AUC (out of fold)", "auc", "locality check"),
    "tree_auc": ("shallow tree AUC (out of fold)", "auc", "locality check"),
    "neighbours_wrong_lens": ("neighbours are the wrong lens", "yes/no", "locality check"),
    "pca_components": ("PCA components", "count", None),
    "pca_variance_share": ("variance the PCA keeps", "share", None),
    "pca_relative_contrast": ("contrast in the PCA subspace", "ratio", "relative contrast"),
    "pca_contrast_over_null": ("... over its null", "ratio", "relative contrast"),
    "pca_chance_corrected_purity": ("agreement beyond chance there", "kappa", "kappa"),
    "pca_noise_edge": ("noise floor (eigenvalue)", "number", "noise floor"),
}


def figure_label(key: str) -> tuple[str, str, str | None]:
    """(label, unit, glossary term) of an evidence key; keys without an entry read from
    their suffix (``n_*`` counts, ``*_share`` shares, ``*_ratio`` ratios)."""
    if key in FIGURES:
        return FIGURES[key]
    words = key.replace("_", " ")
    if key.startswith("n_"):
        return words[2:], "count", None
    if key.endswith("_share"):
        return words, "share", None
    if key.endswith("_ratio"):
        return words, "ratio", None
    return words, "number", None


def format_value(value, unit: str) -> str:
    """A value written in its unit ("n/a" for None)."""
    if value is None:
        return "n/a"
    if unit == "yes/no" or isinstance(value, bool):
        return "yes" if value else "no"
    if unit == "text" or isinstance(value, str):
        return str(value)
    if unit == "share":
        return f"{value:.1%}"
    if unit == "count":
        return f"{value:,}" if float(value).is_integer() else f"{value:,.1f}"
    if unit in ("kappa", "auc"):
        return f"{value:.2f}"
    return f"{value:.3g}"


def describe_figure(key: str, value) -> dict:
    """One evidence figure for a reader: {"key", "label", "value" (written in its unit),
    "unit", "term" (a GLOSSARY entry or None)}."""
    label, unit, term = figure_label(key)
    value = format_value(value, unit)
    return {"key": key, "label": label, "value": value, "unit": unit, "term": term}


def terms_in(text: str) -> list[str]:
    """The glossary terms a sentence uses (whole words, case-insensitive), in glossary order."""
    return [
        term for term in GLOSSARY if re.search(rf"\b{re.escape(term)}\b", text, flags=re.IGNORECASE)
    ]
