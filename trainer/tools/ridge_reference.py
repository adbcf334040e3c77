"""Reference for stage 1 made with scikit-learn: per-target Ridge without intercept, alpha chosen by validation MSE on
the trainer's seeded split, refit on all rows. Writes trainer/src/test/resources/reference/ridge.json.

Run with Debian's python3 (python3-sklearn): /usr/bin/python3 trainer/tools/ridge_reference.py
"""
import json
import os

import numpy as np
from sklearn.linear_model import Ridge

from splitting import is_validation

ALPHAS = [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0, 1e3, 1e4]
SEED = 42


def fit_reference(x, y, ids):
    val = np.array([is_validation(i, SEED) for i in ids])
    chosen, mse_table, weights = [], [], []
    for t in range(y.shape[1]):
        mses = []
        for a in ALPHAS:
            m = Ridge(alpha=a, fit_intercept=False, solver="cholesky").fit(x[~val], y[~val, t])
            mses.append(float(np.mean((m.predict(x[val]) - y[val, t]) ** 2)))
        best = ALPHAS[int(np.argmin(mses))]
        final = Ridge(alpha=best, fit_intercept=False, solver="cholesky").fit(x, y[:, t])
        chosen.append(best)
        mse_table.append(mses)
        weights.append(final.coef_.tolist())
    return chosen, mse_table, weights


def main():
    rng = np.random.default_rng(7)
    n, d, k = 120, 10, 3
    x = rng.normal(size=(n, d)).astype(np.float32).astype(np.float64)
    true_w = rng.normal(size=(k, d)) * 0.1
    y = 1 / (1 + np.exp(-(x @ true_w.T))) + rng.normal(scale=0.05, size=(n, k))
    ids = ["row-%d" % i for i in range(n)]
    chosen, mse_table, weights = fit_reference(x, y, ids)
    out = {"seed": SEED, "alphas": ALPHAS, "ids": ids, "x": x.tolist(), "y": y.tolist(),
           "validation": [is_validation(i, SEED) for i in ids],
           "chosen_alpha": chosen, "validation_mse": mse_table, "weights": weights}
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "src", "test", "resources", "reference", "ridge.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", os.path.normpath(path), "chosen alphas", chosen)


if __name__ == "__main__":
    main()
