package io.queststream.trainer.ridge;

import java.util.List;

/**
 * Result of stage 1: W (K x d, row-major, no bias) and, per attribute, the alpha chosen on the validation split with
 * the validation MSE of every alpha tried.
 */
public record RidgeFit(int attributes, int dim, float[] weights, List<AttributeFit> perAttribute) {

  /** How one attribute was fit. validationMse is aligned with the alpha grid; NaN where nothing was held out. */
  public record AttributeFit(double alpha, double[] alphaGrid, double[] validationMse, long trainRows,
      long validationRows) {

    public double bestValidationMse() {
      for (int i = 0; i < alphaGrid.length; i++) {
        if (alphaGrid[i] == alpha) {
          return validationMse[i];
        }
      }
      return Double.NaN;
    }
  }

  /** rewards = W h, exactly as the heads compute them at inference. */
  public float[] rewards(float[] h) {
    float[] r = new float[attributes];
    for (int k = 0; k < attributes; k++) {
      double s = 0;
      for (int c = 0; c < dim; c++) {
        s += (double) weights[k * dim + c] * h[c];
      }
      r[k] = (float) s;
    }
    return r;
  }
}
