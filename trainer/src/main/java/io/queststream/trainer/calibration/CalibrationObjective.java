package io.queststream.trainer.calibration;

import static io.queststream.trainer.gating.BradleyTerryObjective.sigmoid;
import static io.queststream.trainer.gating.BradleyTerryObjective.softplus;

/**
 * The calibration stage's loss as a function of the regression W (K x d, row-major), with the gate and T held fixed.
 * At inference s = Σ_k c_k (W h_r)_k with the coefficients c = β·softmax(MLP(h_p)/τ) Tᵀ, so with c fixed the score
 * is linear in W and ∂s/∂W = c h_rᵀ. The loss is the weight-normalised Bradley-Terry loss −log σ(s_chosen −
 * s_rejected) over a batch of pairs plus λ times the mean, over a batch of prior responses, of ‖(W − W₀) h‖², the
 * squared shift of the predicted attributes away from the anchor W₀ (the ridge solution). Being a convex function of
 * W, it has one minimum, which AdamW approaches.
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
  }

  int pairCount() {
    return pairs.size();
  }

  int priorCount() {
    return priorResponses.length;
  }

  /** Loss over the given pairs and prior responses; writes dLoss/dW into {@code grad} (overwritten). */
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

  /** Weight-normalised Bradley-Terry loss; adds its gradient to g when g is not null. */
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
      double margin = score(w, cc, hc) - score(w, cr, hr);
      double weight = pairs.weights()[i] / weightSum;
      loss += weight * softplus(-margin);
      if (g != null) {
        double dMargin = -weight * sigmoid(-margin);
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
