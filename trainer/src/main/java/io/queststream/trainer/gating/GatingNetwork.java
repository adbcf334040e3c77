package io.queststream.trainer.gating;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The gating MLP of stage 2 with its backward pass: hidden layers Linear→ReLU→Dropout, then Linear→K logits;
 * the gate is beta · softmax(logits / tau). Gradients are derived by hand and checked against finite differences
 * and against PyTorch (see the tests and trainer/tools/gating_reference.py).
 */
public final class GatingNetwork {

  private final List<DenseParams> layers;
  private final float temperature;
  private float beta;
  private float betaGrad;

  public GatingNetwork(List<DenseParams> layers, float temperature, float beta) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("gating needs at least one layer");
    }
    for (int i = 1; i < layers.size(); i++) {
      if (layers.get(i).in != layers.get(i - 1).out) {
        throw new IllegalArgumentException("layer " + i + " takes " + layers.get(i).in + " inputs but layer "
            + (i - 1) + " gives " + layers.get(i - 1).out);
      }
    }
    this.layers = List.copyOf(layers);
    this.temperature = temperature;
    this.beta = beta;
  }

  public static GatingNetwork initialised(int inputDim, int outputs, GatingConfig config) {
    Random rnd = new Random(config.seed());
    List<DenseParams> layers = new ArrayList<>();
    int in = inputDim;
    for (int i = 0; i < config.hiddenLayers(); i++) {
      layers.add(DenseParams.initialised(in, config.hidden(), rnd));
      in = config.hidden();
    }
    layers.add(DenseParams.initialised(in, outputs, rnd));
    return new GatingNetwork(layers, config.temperature(), config.betaInit());
  }

  public List<DenseParams> layers() {
    return layers;
  }

  public int inputDim() {
    return layers.get(0).in;
  }

  public int outputs() {
    return layers.get(layers.size() - 1).out;
  }

  public float temperature() {
    return temperature;
  }

  public float beta() {
    return beta;
  }

  void setBeta(float beta) {
    this.beta = beta;
  }

  public float betaGrad() {
    return betaGrad;
  }

  void addBetaGrad(float g) {
    betaGrad += g;
  }

  public void zeroGrad() {
    for (DenseParams p : layers) {
      java.util.Arrays.fill(p.weightGrad, 0f);
      java.util.Arrays.fill(p.biasGrad, 0f);
    }
    betaGrad = 0;
  }

  /** Activations kept from a forward pass for the backward pass. */
  public static final class Trace {
    final int rows;
    final List<float[]> inputs = new ArrayList<>();
    final List<float[]> gradFactors = new ArrayList<>();
    float[] logits;

    Trace(int rows) {
      this.rows = rows;
    }

    public float[] logits() {
      return logits;
    }
  }

  /**
   * Logits for a batch of prompt embeddings (rows x inputDim, row-major). With a random source, dropout is applied
   * (training); with null it is not (inference).
   */
  public Trace forward(float[] x, int rows, double dropout, Random dropoutRandom) {
    Trace t = new Trace(rows);
    float[] a = x;
    float keepScale = (float) (1 / (1 - dropout));
    for (int l = 0; l < layers.size(); l++) {
      DenseParams p = layers.get(l);
      t.inputs.add(a);
      float[] z = BatchMath.affine(a, rows, p.in, BatchMath.transpose(p.weight, p.out, p.in), p.bias, p.out);
      if (l == layers.size() - 1) {
        t.logits = z;
        break;
      }
      float[] factor = new float[z.length];
      for (int i = 0; i < z.length; i++) {
        boolean keep = dropoutRandom == null || dropout == 0 || dropoutRandom.nextDouble() >= dropout;
        float f = z[i] > 0 && keep ? (dropoutRandom == null ? 1f : keepScale) : 0f;
        factor[i] = f;
        z[i] *= f;
      }
      t.gradFactors.add(factor);
      a = z;
    }
    return t;
  }

  /** Accumulates parameter gradients given dLoss/dlogits for the batch of a trace. */
  public void backward(Trace t, float[] logitGrad) {
    float[] dy = logitGrad;
    for (int l = layers.size() - 1; l >= 0; l--) {
      DenseParams p = layers.get(l);
      float[] a = t.inputs.get(l);
      BatchMath.accumulateWeightGrad(dy, a, t.rows, p.out, p.in, p.weightGrad, p.biasGrad);
      if (l == 0) {
        break;
      }
      float[] da = BatchMath.inputGrad(dy, t.rows, p.out, p.weight, p.in);
      float[] factor = t.gradFactors.get(l - 1);
      for (int i = 0; i < da.length; i++) {
        da[i] *= factor[i];
      }
      dy = da;
    }
  }

  public GatingNetwork copy() {
    List<DenseParams> c = new ArrayList<>();
    for (DenseParams p : layers) {
      c.add(p.copy());
    }
    return new GatingNetwork(c, temperature, beta);
  }
}
