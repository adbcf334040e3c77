"""References for the evaluation and debiasing math made with SciPy: Spearman with tied ranks, and the lambda each
objective gets in the debiasing transform (docs/architecture.md#6-the-reward-model) when the verbosity signal is an attribute.
Writes trainer/src/test/resources/reference/metrics.json.

Run with Debian's python3: /usr/bin/python3 trainer/tools/metrics_reference.py
"""
import json
import os

import numpy as np
from scipy.stats import spearmanr

GRID = [0.0, 0.01, 0.025] + [round(0.05 * (i + 1), 10) for i in range(19)]

rng = np.random.default_rng(11)
a = np.round(rng.normal(size=40), 1)  # rounding creates ties
b = np.round(a * 0.5 + rng.normal(size=40), 1)
rho = spearmanr(a, b).correlation

n, k, v = 300, 4, 2
length = rng.normal(size=n)
rewards = np.stack([0.6 * length + rng.normal(size=n),
                    0.2 * length + rng.normal(size=n),
                    length + 0.3 * rng.normal(size=n),
                    rng.normal(size=n)], axis=1).astype(np.float32)
lambdas = []
for j in range(k):
    if j == v:
        lambdas.append(0.0)
        continue
    chosen = GRID[-1]
    for lam in GRID:
        adjusted = rewards[:, j].astype(np.float64) - lam * rewards[:, v].astype(np.float64)
        if spearmanr(adjusted, rewards[:, v].astype(np.float64)).correlation <= 0.03:
            chosen = lam
            break
    lambdas.append(chosen)

out = {"a": a.tolist(), "b": b.tolist(), "spearman": rho, "rewards": rewards.tolist(), "verbosity_attribute": v,
       "lambdas": lambdas}
here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "..", "src", "test", "resources", "reference", "metrics.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", os.path.normpath(path), "spearman", rho, "lambdas", lambdas)
