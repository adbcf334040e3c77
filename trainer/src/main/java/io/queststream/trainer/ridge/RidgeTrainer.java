package io.queststream.trainer.ridge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Stage 1: one ridge regression per attribute on the rows that label it. Alpha is chosen per attribute by MSE on the
 * validation side of the seeded split; the chosen alpha is then refit on all labelled rows. Labels are expected on
 * [0,1] and no intercept is fit, matching rewards = W h at inference (embeddings are not centred: a constant
 * offset is absorbed by the embedding's own mean direction).
 */
public final class RidgeTrainer {

  /** 1e-4 … 1e4, ×10. */
  public static final double[] DEFAULT_ALPHAS = {1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1e3, 1e4};

  private final double[] alphas;

  public RidgeTrainer(double[] alphas) {
    if (alphas.length == 0) {
      throw new IllegalArgumentException("alpha grid is empty");
    }
    this.alphas = alphas.clone();
  }

  public RidgeTrainer() {
    this(DEFAULT_ALPHAS);
  }

  public RidgeFit fit(RidgeDataset data) {
    int d = data.dim();
    int k = data.attributes();
    List<RidgeDataset.Group> groups = data.groups();
    // Attributes labelled by the same groups of rows share XᵀX, hence one decomposition per side.
    Map<List<Long>, List<Integer>> byRowSet = new LinkedHashMap<>();
    for (int a = 0; a < k; a++) {
      List<Long> key = new ArrayList<>();
      for (RidgeDataset.Group g : groups) {
        if ((g.mask() & (1L << a)) != 0) {
          key.add(g.mask());
        }
      }
      if (!key.isEmpty()) {
        byRowSet.computeIfAbsent(key, x -> new ArrayList<>()).add(a);
      }
    }
    float[] w = new float[k * d];
    RidgeFit.AttributeFit[] fits = new RidgeFit.AttributeFit[k];
    for (Map.Entry<List<Long>, List<Integer>> e : byRowSet.entrySet()) {
      int[] attrs = e.getValue().stream().mapToInt(Integer::intValue).toArray();
      GramStatistics.Snapshot train = combine(groups, e.getKey(), attrs, d, false);
      GramStatistics.Snapshot validation = combine(groups, e.getKey(), attrs, d, true);
      double[] chosen = new double[attrs.length];
      double[][] mse = new double[attrs.length][alphas.length];
      chooseAlphas(train, validation, chosen, mse);
      GramStatistics.Snapshot all = train.plus(validation);
      // One Cholesky solve per distinct chosen alpha covers every target that chose it.
      Map<Double, DMatrixRMaj> byAlpha = new LinkedHashMap<>();
      for (double alpha : chosen) {
        byAlpha.computeIfAbsent(alpha, a -> RidgeSolver.solveCholesky(all.gram(), all.xty(), a));
      }
      for (int i = 0; i < attrs.length; i++) {
        DMatrixRMaj wi = byAlpha.get(chosen[i]);
        for (int c = 0; c < d; c++) {
          w[attrs[i] * d + c] = (float) wi.get(c, i);
        }
        fits[attrs[i]] = new RidgeFit.AttributeFit(chosen[i], alphas.clone(), mse[i], train.rows(), validation.rows());
      }
    }
    for (int a = 0; a < k; a++) {
      if (fits[a] == null) {
        double[] none = new double[alphas.length];
        Arrays.fill(none, Double.NaN);
        fits[a] = new RidgeFit.AttributeFit(Double.NaN, alphas.clone(), none, 0, 0);
      }
    }
    return new RidgeFit(k, d, w, List.of(fits));
  }

  private void chooseAlphas(GramStatistics.Snapshot train, GramStatistics.Snapshot validation, double[] chosen,
      double[][] mse) {
    if (train.rows() == 0 || validation.rows() == 0) {
      // Too little data to hold any out: fall back to a moderate alpha rather than guessing from noise.
      Arrays.fill(chosen, 1.0);
      for (double[] m : mse) {
        Arrays.fill(m, Double.NaN);
      }
      return;
    }
    double[] m;
    try (RidgeSolver solver = RidgeSolver.decompose(train.gram())) {
      // Every alpha's weights side by side, scored against the validation statistics in one pass.
      m = RidgeSolver.meanSquaredError(solver.weights(solver.project(train.xty()), alphas), validation);
    }
    double[] best = new double[chosen.length];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    for (int j = 0; j < alphas.length; j++) {
      for (int i = 0; i < chosen.length; i++) {
        double v = m[j * chosen.length + i];
        mse[i][j] = v;
        if (v < best[i]) {
          best[i] = v;
          chosen[i] = alphas[j];
        }
      }
    }
  }

  private static GramStatistics.Snapshot combine(List<RidgeDataset.Group> groups, List<Long> masks, int[] attrs,
      int d, boolean validation) {
    GramStatistics.Snapshot sum = GramStatistics.Snapshot.empty(d, attrs.length);
    for (RidgeDataset.Group g : groups) {
      if (!masks.contains(g.mask())) {
        continue;
      }
      GramStatistics.Snapshot s = (validation ? g.validation() : g.train()).snapshot();
      DMatrixRMaj xty = new DMatrixRMaj(d, attrs.length);
      double[] yty = new double[attrs.length];
      for (int i = 0; i < attrs.length; i++) {
        int col = indexOf(g.attributes(), attrs[i]);
        for (int r = 0; r < d; r++) {
          xty.set(r, i, s.xty().get(r, col));
        }
        yty[i] = s.yty()[col];
      }
      sum = sum.plus(new GramStatistics.Snapshot(s.gram(), xty, yty, s.rows()));
    }
    return sum;
  }

  private static int indexOf(int[] values, int v) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == v) {
        return i;
      }
    }
    throw new IllegalStateException("attribute " + v + " not in group");
  }
}
