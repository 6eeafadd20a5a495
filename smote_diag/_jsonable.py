"""Convert results to plain JSON types; every ``to_dict()`` goes through here."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd


def to_jsonable(value):
    """Return ``value`` as dicts, lists, str, int, float, bool and None only.

    NaN and infinities become ``None`` so the output is strict JSON; mapping keys become
    strings; numpy and pandas scalars become their Python equivalents.

    Examples
    --------
    >>> import json, numpy as np
    >>> json.dumps(to_jsonable({1: np.float32(0.5), "a": (np.int64(2), float("nan"))}))
    '{"1": 0.5, "a": [2, null]}'
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "to_dict"):
            return value.to_dict()
        return to_jsonable(dataclasses.asdict(value))
    if isinstance(value, Mapping):
        return {_key(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, pd.DataFrame):
        return to_jsonable(value.to_dict(orient="records"))
    if isinstance(value, (pd.Series, pd.Index, np.ndarray, list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, (pd.Timedelta, _dt.timedelta)):
        return str(value)
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def _key(key) -> str:
    converted = to_jsonable(key)
    return converted if isinstance(converted, str) else str(converted)
