package io.queststream.trainer.gating;

import java.util.ArrayList;
import java.util.List;

/**
 * AdamW with decoupled weight decay, step for step as torch.optim.AdamW (betas 0.9/0.999, eps 1e-8): over every
 * parameter of the gating network including beta, or over plain parameter arrays with their gradient arrays.
 */
public final class AdamW {

  private static final double B1 = 0.9;
  private static final double B2 = 0.999;
  private static final double EPS = 1e-8;

  private final GatingNetwork net;
  private final double weightDecay;
  private final List<float[]> params = new ArrayList<>();
  private final List<float[]> grads = new ArrayList<>();
  private final List<float[][]> moments = new ArrayList<>();
  private double betaM;
  private double betaV;
  private int step;

  AdamW(GatingNetwork net, double weightDecay) {
    this.net = net;
    this.weightDecay = weightDecay;
    for (DenseParams p : net.layers()) {
      track(p.weight, p.weightGrad);
      track(p.bias, p.biasGrad);
    }
  }

  private AdamW(float[] param, float[] grad, double weightDecay) {
    if (param.length != grad.length) {
      throw new IllegalArgumentException("parameter has " + param.length + " values, gradient " + grad.length);
    }
    this.net = null;
    this.weightDecay = weightDecay;
    track(param, grad);
  }

  /** Optimises {@code param} in place from whatever the caller leaves in {@code grad} before each step. */
  public static AdamW over(float[] param, float[] grad, double weightDecay) {
    return new AdamW(param, grad, weightDecay);
  }

  private void track(float[] param, float[] grad) {
    params.add(param);
    grads.add(grad);
    moments.add(new float[][] {new float[param.length], new float[param.length]});
  }

  public void step(double lr) {
    step++;
    double bc1 = 1 - Math.pow(B1, step);
    double bc2 = 1 - Math.pow(B2, step);
    for (int i = 0; i < params.size(); i++) {
      float[][] m = moments.get(i);
      update(params.get(i), grads.get(i), m[0], m[1], lr, bc1, bc2);
    }
    if (net == null) {
      return;
    }
    double b = net.beta() * (1 - lr * weightDecay);
    double g = net.betaGrad();
    betaM = B1 * betaM + (1 - B1) * g;
    betaV = B2 * betaV + (1 - B2) * g * g;
    net.setBeta((float) (b - lr * (betaM / bc1) / (Math.sqrt(betaV / bc2) + EPS)));
  }

  private void update(float[] w, float[] g, float[] m, float[] v, double lr, double bc1, double bc2) {
    float decay = (float) (1 - lr * weightDecay);
    float stepSize = (float) (lr / bc1);
    float sqrtBc2 = (float) Math.sqrt(bc2);
    for (int i = 0; i < w.length; i++) {
      float gi = g[i];
      m[i] = (float) (B1 * m[i] + (1 - B1) * gi);
      v[i] = (float) (B2 * v[i] + (1 - B2) * gi * gi);
      w[i] = w[i] * decay - stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtBc2 + (float) EPS);
    }
  }
}
