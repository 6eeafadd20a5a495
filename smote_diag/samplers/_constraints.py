"""scikit-learn's private parameter-validation helpers, imported in this one module."""

from sklearn.utils._param_validation import HasMethods, Interval, StrOptions  # noqa: F401
