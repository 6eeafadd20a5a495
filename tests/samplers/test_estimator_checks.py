"""imbalanced-learn's own sampler checks, and its parameter validation check, for our samplers."""

import numpy as np
import pytest
from imblearn.combine import SMOTEENN, SMOTETomek
from imblearn.over_sampling import SMOTE, BorderlineSMOTE
from imblearn.utils.estimator_checks import (
    check_param_validation,
    parametrize_with_checks,
)
from scipy import sparse
from sklearn.base import clone

from smote_diag import PCASMOTE, ClusterSMOTE, SMOTEUnderSampler, SpaceSampler

SAMPLERS = [
    ClusterSMOTE(random_state=0),
    PCASMOTE(random_state=0),
    SMOTEUnderSampler(random_state=0),
]
# imbalanced-learn's samplers with their neighbours in smote_diag's distance space
IN_SPACE = [
    SpaceSampler(sampler(random_state=0))
    for sampler in (SMOTE, BorderlineSMOTE, SMOTEENN, SMOTETomek)
]


DENSE_ONLY = SAMPLERS[:2]  # SMOTEUnderSampler passes sparse rows on to imbalanced-learn's


def _expected_failed_checks(estimator):
    if not isinstance(estimator, (ClusterSMOTE, PCASMOTE)):
        return {}
    return {
        "check_samplers_pandas_sparse": (
            "dense-only sampler: it refuses sparse input on purpose (DenseOverSampler)"
        ),
    }


def _as_list(mark):
    """imbalanced-learn passes pytest a generator, which pytest >= 9 deprecates (and our
    settings turn DeprecationWarning into an error); hand it the same cases as a list."""
    argnames, argvalues = mark.args
    return pytest.mark.parametrize(argnames, list(argvalues), **mark.kwargs)


@_as_list(parametrize_with_checks(SAMPLERS, expected_failed_checks=_expected_failed_checks))
def test_imblearn_compatible(estimator, check):
    check(estimator)


@_as_list(parametrize_with_checks(IN_SPACE))
def test_space_sampler_is_imblearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", SAMPLERS + IN_SPACE[:1], ids=lambda est: type(est).__name__)
def test_param_validation(estimator):
    check_param_validation(type(estimator).__name__, estimator)


@pytest.mark.parametrize("estimator", DENSE_ONLY, ids=lambda est: type(est).__name__)
def test_sparse_input_is_refused_with_the_fix(estimator):
    """Why check_samplers_pandas_sparse is expected to fail: sparse input is refused."""
    rng = np.random.RandomState(0)
    X = sparse.csr_matrix(rng.normal(size=(40, 3)))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    with pytest.raises(TypeError, match=r"dense data is required\. Use '\.toarray\(\)'"):
        clone(estimator).fit_resample(X, y)
