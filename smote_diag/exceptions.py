"""Errors and warnings raised by smote_diag.

Every message says what is wrong, with the value, then what to do.
"""


class InputError(ValueError):
    """The input has a bad value (a missing column, one class, too few rows ...)."""


class InputTypeError(InputError, TypeError):
    """The input is the wrong kind of object (a list where a DataFrame was expected ...)."""


class SmoteDiagWarning(UserWarning):
    """Something the caller's code should change, though the result is still usable."""
