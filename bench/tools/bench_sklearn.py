"""scikit-learn side of `bench trainer`: the same stage-1 procedure on the same matrix file.

For every alpha, Ridge(fit_intercept=False) on the training rows (all targets at once) and validation MSE per target;
the best alpha per target; then a refit on all rows for each distinct chosen alpha. Prints one JSON line with the
wall time, the chosen alphas, the versions, the solver Ridge used and the BLAS/LAPACK libraries numpy and scipy
actually loaded (which BLAS a Debian numpy uses is decided at run time by the libblas.so.3 alternative or
LD_LIBRARY_PATH). The file (written by the Java bench) holds int32 rows, cols, targets (little endian), X as float32
rows x cols, Y as float32 rows x targets, then one byte per row (1 = validation).

Usage: /usr/bin/python3 bench/tools/bench_sklearn.py FILE ALPHA[,ALPHA...]
Exit status 3 with a JSON "error" when scikit-learn is not installed.
"""
import json
import os
import re
import sys
import time

try:
    import numpy as np
    import scipy.linalg  # noqa: F401  (loads LAPACK, so the maps below show it)
    import sklearn
    from sklearn.linear_model import Ridge
except ImportError as e:
    print(json.dumps({"error": f"scikit-learn is not available to {sys.executable}: {e} "
                               "(Debian: apt-get install -y python3-sklearn)"}))
    sys.exit(3)


def loaded_blas():
    """BLAS/LAPACK shared libraries mapped into this process, and threadpoolctl's view of them when it is there."""
    libs = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                name = os.path.basename(path)
                if name.startswith("lib") and re.search(r"(blas|lapack|mkl|blis)", name) and ".so" in name:
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    pools = []
    try:
        from threadpoolctl import threadpool_info
        pools = [f"{p['internal_api']} {p.get('version')} ({p['num_threads']} threads)"
                 for p in threadpool_info() if p.get("user_api") == "blas"]
    except ImportError:
        pools = ["threadpoolctl not installed"]
    return {"libraries": sorted(libs), "threadpools": pools}


def main():
    path, alphas = sys.argv[1], [float(a) for a in sys.argv[2].split(",")]
    with open(path, "rb") as f:
        rows, cols, targets = np.frombuffer(f.read(12), dtype="<i4")
        x = np.frombuffer(f.read(rows * cols * 4), dtype="<f4").reshape(rows, cols).astype(np.float64)
        y = np.frombuffer(f.read(rows * targets * 4), dtype="<f4").reshape(rows, targets).astype(np.float64)
        val = np.frombuffer(f.read(rows), dtype=np.uint8).astype(bool)
    start = time.perf_counter()
    mse = np.zeros((len(alphas), targets))
    solver = "auto"
    for i, a in enumerate(alphas):
        m = Ridge(alpha=a, fit_intercept=False).fit(x[~val], y[~val])
        solver = getattr(m, "solver_", solver)
        mse[i] = ((m.predict(x[val]) - y[val]) ** 2).mean(axis=0)
    chosen = [alphas[int(np.argmin(mse[:, t]))] for t in range(targets)]
    for a in sorted(set(chosen)):
        Ridge(alpha=a, fit_intercept=False).fit(x, y)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "chosen_alphas": chosen, "sklearn": sklearn.__version__,
                      "numpy": np.__version__, "solver": solver, "fits": len(alphas) + len(set(chosen)),
                      "blas": loaded_blas()}))


if __name__ == "__main__":
    main()
