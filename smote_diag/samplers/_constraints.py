"""scikit-learn's private helpers (parameter validation, indexing), imported in this one
module."""

from sklearn.utils import _safe_indexing  # noqa: F401
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions  # noqa: F401
