"""scikit-learn side of `trainer bench`: the same stage-1 procedure on the same matrix file.

For every alpha, Ridge(fit_intercept=False) on the training rows (all targets at once) and validation MSE per target;
the best alpha per target; then a refit on all rows for each distinct chosen alpha. Prints one JSON line with the
wall time and the chosen alphas. The file (written by the Java bench) holds int32 rows, cols, targets (little
endian), X as float32 rows x cols, Y as float32 rows x targets, then one byte per row (1 = validation).

Usage: /usr/bin/python3 trainer/tools/bench_sklearn.py FILE ALPHA[,ALPHA...]
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.linear_model import Ridge


def main():
    path, alphas = sys.argv[1], [float(a) for a in sys.argv[2].split(",")]
    with open(path, "rb") as f:
        rows, cols, targets = np.frombuffer(f.read(12), dtype="<i4")
        x = np.frombuffer(f.read(rows * cols * 4), dtype="<f4").reshape(rows, cols).astype(np.float64)
        y = np.frombuffer(f.read(rows * targets * 4), dtype="<f4").reshape(rows, targets).astype(np.float64)
        val = np.frombuffer(f.read(rows), dtype=np.uint8).astype(bool)
    start = time.perf_counter()
    mse = np.zeros((len(alphas), targets))
    for i, a in enumerate(alphas):
        m = Ridge(alpha=a, fit_intercept=False).fit(x[~val], y[~val])
        mse[i] = ((m.predict(x[val]) - y[val]) ** 2).mean(axis=0)
    chosen = [alphas[int(np.argmin(mse[:, t]))] for t in range(targets)]
    for a in sorted(set(chosen)):
        Ridge(alpha=a, fit_intercept=False).fit(x, y)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "chosen_alphas": chosen, "sklearn": sklearn.__version__,
                      "numpy": np.__version__}))


if __name__ == "__main__":
    main()
