package io.queststream.trainer.calibration;

import static io.queststream.trainer.gating.BradleyTerryObjective.sigmoid;
import static io.queststream.trainer.gating.BradleyTerryObjective.softplus;

/**
 * The calibration stage's loss as a function of the regression W (K x d, row-major), with the gate and T held fixed.
 * At inference s = Σ_k c_k (W h_r)_k with the coefficients c = β·softmax(MLP(h_p)/τ) Tᵀ, so with c fixed the score
 * is linear in W and ∂s/∂W = c h_rᵀ. The loss is the weight-normalised Bradley-Terry loss −log σ(α (s_chosen −
 * s_rejected)) over a batch of pairs plus λ times the mean, over a batch of prior responses, of ‖(W − W₀) h‖², the
 * squared shift of the predicted attributes away from the anchor W₀ (the ridge solution). With α fixed the loss is
 * convex in W.
 *
 * <p>α is the scale at which the anchor's score differences best explain the pairs (the maximum-likelihood
 * Bradley-Terry temperature, fitted once). W's scale is set by the ratings, not by a pairwise fit, so at a smaller
 * fixed scale the pair loss could be lowered just by stretching W (larger margins on pairs already ordered right),
 * which moves every attribute's predictions without changing one ranking. At the fitted α that direction is
 * stationary, so the gradient moves W where orderings disagree with the pairs, and the prior decides how far.
 */
final class CalibrationObjective {

  /** One side of each pair: its fixed coefficients (K) and its response embedding (d). */
  record Pairs(float[][] chosenCoefficients, float[][] chosenResponses, float[][] rejectedCoefficients,
      float[][] rejectedResponses, float[] weights) {

    int size() {
      return weights.length;
    }
  }

  private final int attributes;
  private final int dim;
  private final float[] anchor;
  private final double lambda;
  private final Pairs pairs;
  private final float[][] priorResponses;
  private final double scale;

  CalibrationObjective(int attributes, int dim, float[] anchor, double lambda, Pairs pairs,
      float[][] priorResponses) {
    if (anchor.length != attributes * dim) {
      throw new IllegalArgumentException("anchor W must be " + attributes + "x" + dim);
    }
    this.attributes = attributes;
    this.dim = dim;
    this.anchor = anchor.clone();
    this.lambda = lambda;
    this.pairs = pairs;
    this.priorResponses = priorResponses;
    this.scale = fitScale();
  }

  /** α, the pair loss's fixed scale. */
  double scale() {
    return scale;
  }

  int pairCount() {
    return pairs.size();
  }

  int priorCount() {
    return priorResponses.length;
  }

  /** W₀, where optimisation starts. */
  float[] anchor() {
    return anchor.clone();
  }

  /** Loss over the given pairs and prior responses; writes its gradient into {@code grad} (overwritten). */
  double lossAndGradient(float[] w, int[] pairBatch, int[] priorBatch, float[] grad) {
    double[] g = new double[w.length];
    double loss = pairLoss(w, pairBatch, g);
    if (lambda > 0 && priorBatch.length > 0) {
      loss += lambda * priorShift(w, priorBatch, g);
    }
    for (int i = 0; i < grad.length; i++) {
      grad[i] = (float) g[i];
    }
    return loss;
  }

  /** Weight-normalised Bradley-Terry loss at scale α; adds its gradient to g when g is not null. */
  double pairLoss(float[] w, int[] batch, double[] g) {
    double weightSum = 0;
    for (int i : batch) {
      weightSum += pairs.weights()[i];
    }
    double loss = 0;
    for (int i : batch) {
      float[] cc = pairs.chosenCoefficients()[i];
      float[] hc = pairs.chosenResponses()[i];
      float[] cr = pairs.rejectedCoefficients()[i];
      float[] hr = pairs.rejectedResponses()[i];
      double margin = scale * (score(w, cc, hc) - score(w, cr, hr));
      double weight = pairs.weights()[i] / weightSum;
      loss += weight * softplus(-margin);
      if (g != null) {
        double dMargin = -weight * sigmoid(-margin) * scale;
        addOuter(g, cc, hc, dMargin);
        addOuter(g, cr, hr, -dMargin);
      }
    }
    return loss;
  }

  /** Mean of ‖(W − W₀) h‖² over the batch; adds λ times its gradient to g when g is not null. */
  double priorShift(float[] w, int[] batch, double[] g) {
    double shift = 0;
    double[] delta = new double[attributes];
    for (int b : batch) {
      float[] h = priorResponses[b];
      for (int k = 0; k < attributes; k++) {
        double s = 0;
        int off = k * dim;
        for (int c = 0; c < dim; c++) {
          s += ((double) w[off + c] - anchor[off + c]) * h[c];
        }
        delta[k] = s;
        shift += s * s;
      }
      if (g != null) {
        for (int k = 0; k < attributes; k++) {
          double f = 2 * lambda * delta[k] / batch.length;
          int off = k * dim;
          for (int c = 0; c < dim; c++) {
            g[off + c] += f * h[c];
          }
        }
      }
    }
    return shift / batch.length;
  }

  /** s = Σ_k c_k (W h)_k, the inference score with fixed coefficients. */
  double score(float[] w, float[] coefficients, float[] h) {
    double s = 0;
    for (int k = 0; k < attributes; k++) {
      double r = 0;
      int off = k * dim;
      for (int c = 0; c < dim; c++) {
        r += (double) w[off + c] * h[c];
      }
      s += coefficients[k] * r;
    }
    return s;
  }

  /**
   * Maximum-likelihood α for the anchor's score differences m_i: the root of Σ w_i m_i σ(−α m_i) = 0, a decreasing
   * function of α, found by bisection on log α. Pairs the anchor orders perfectly have no finite root; α then stops
   * at a bound that makes the loss a hinge around the smallest margins.
   */
  private double fitScale() {
    int n = pairs.size();
    double[] margins = new double[n];
    double sumSquares = 0;
    for (int i = 0; i < n; i++) {
      margins[i] = score(anchor, pairs.chosenCoefficients()[i], pairs.chosenResponses()[i])
          - score(anchor, pairs.rejectedCoefficients()[i], pairs.rejectedResponses()[i]);
      sumSquares += margins[i] * margins[i];
    }
    double rms = Math.sqrt(sumSquares / Math.max(n, 1));
    if (!(rms > 0)) {
      return 1;
    }
    double lo = Math.log(1e-3 / rms);
    double hi = Math.log(1e3 / rms);
    for (int iter = 0; iter < 100; iter++) {
      double mid = (lo + hi) / 2;
      double alpha = Math.exp(mid);
      double slope = 0;
      for (int i = 0; i < n; i++) {
        slope += pairs.weights()[i] * margins[i] * sigmoid(-alpha * margins[i]);
      }
      if (slope > 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return Math.exp((lo + hi) / 2);
  }

  /** g += f · c hᵀ. */
  private void addOuter(double[] g, float[] c, float[] h, double f) {
    for (int k = 0; k < attributes; k++) {
      double fk = f * c[k];
      int off = k * dim;
      for (int j = 0; j < dim; j++) {
        g[off + j] += fk * h[j];
      }
    }
  }
}
