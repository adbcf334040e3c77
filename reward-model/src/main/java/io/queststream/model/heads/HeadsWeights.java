package io.queststream.model.heads;

import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.InvalidWeightsException.Reason;
import io.queststream.model.api.WeightsVersion;
import io.queststream.schemas.DenseLayer;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import java.util.ArrayList;
import java.util.List;

/** Decoded, validated reward heads: immutable once built, so a reference swap installs them atomically. */
public final class HeadsWeights {

  /** One gating layer, y = act(W x + b) with W out x in (row-major). */
  public record Layer(int in, int out, float[] weight, float[] bias, boolean relu) {}

  private final RewardHeads record;
  private final List<String> attributes;
  private final int dim;
  private final float[] regression; // K x dim
  private final List<Layer> gating;
  private final float temperature;
  private final float logitScale;
  private final float[] transform; // K x K

  private HeadsWeights(RewardHeads record, List<String> attributes, int dim, float[] regression, List<Layer> gating,
      float temperature, float logitScale, float[] transform) {
    this.record = record;
    this.attributes = List.copyOf(attributes);
    this.dim = dim;
    this.regression = regression;
    this.gating = List.copyOf(gating);
    this.temperature = temperature;
    this.logitScale = logitScale;
    this.transform = transform;
  }

  /**
   * Decodes and validates a weights record: shapes, then every value finite and within {@link Bounds}.
   *
   * @param expectedDim embedding width of the running backbone, or -1 to skip that check
   */
  public static HeadsWeights decode(RewardHeads r, int expectedDim) throws InvalidWeightsException {
    String what = "weights " + r.getModelName() + " v" + r.getVersion() + ": ";
    int k = r.getAttributeNames().size();
    int d = r.getEmbeddingDim();
    if (k == 0) {
      throw malformed(what + "no attributes");
    }
    if (expectedDim >= 0 && d != expectedDim) {
      throw new InvalidWeightsException(Reason.BACKBONE_MISMATCH,
          what + "embedding_dim " + d + " does not match the backbone's " + expectedDim);
    }
    float[] w = matrix(what, "regression", r.getRegression(), k, d);
    float[] t = matrix(what, "transform", r.getTransform(), k, k);
    if (r.getGatingLayers().isEmpty()) {
      throw malformed(what + "no gating layers");
    }
    List<Layer> layers = new ArrayList<>();
    int in = d;
    for (int i = 0; i < r.getGatingLayers().size(); i++) {
      DenseLayer l = r.getGatingLayers().get(i);
      int out = l.getWeight().getRows();
      String name = "gating_layers[" + i + "]";
      float[] lw = matrix(what, name + ".weight", l.getWeight(), out, in);
      float[] lb = matrix(what, name + ".bias", l.getBias(), 1, out);
      String act = l.getActivation();
      if (!act.equals("relu") && !act.equals("identity")) {
        throw malformed(what + name + " has unknown activation '" + act + "'");
      }
      layers.add(new Layer(in, out, lw, lb, act.equals("relu")));
      in = out;
    }
    if (in != k) {
      throw malformed(what + "last gating layer has " + in + " outputs for " + k + " attributes");
    }
    within(what, "temperature", r.getTemperature(), Bounds.MIN_TEMPERATURE, Bounds.MAX_TEMPERATURE);
    if (!Float.isFinite(r.getLogitScale())) {
      throw new InvalidWeightsException(Reason.NON_FINITE, what + "logit_scale is " + r.getLogitScale());
    }
    if (!(r.getLogitScale() > 0) || r.getLogitScale() > Bounds.MAX_LOGIT_SCALE) {
      throw new InvalidWeightsException(Reason.OUT_OF_BOUNDS, what + "logit_scale must be > 0 and <= "
          + Bounds.MAX_LOGIT_SCALE + ", was " + r.getLogitScale() + " (0 would give every text the same score)");
    }
    within(what, "scale_min", r.getScaleMin(), -Bounds.MAX_ABS_SCALE, Bounds.MAX_ABS_SCALE);
    within(what, "scale_max", r.getScaleMax(), -Bounds.MAX_ABS_SCALE, Bounds.MAX_ABS_SCALE);
    if (!(r.getScaleMax() > r.getScaleMin())) {
      throw new InvalidWeightsException(Reason.OUT_OF_BOUNDS, what + "scale_max must exceed scale_min");
    }
    List<Float> lambdas = r.getVerbosityLambdas();
    for (int i = 0; i < lambdas.size(); i++) {
      within(what, "verbosity_lambdas[" + i + "]", lambdas.get(i), -Bounds.MAX_ABS_WEIGHT, Bounds.MAX_ABS_WEIGHT);
    }
    return new HeadsWeights(r, r.getAttributeNames(), d, w, layers, r.getTemperature(), r.getLogitScale(), t);
  }

  /**
   * The documented bounds of a weights record's values. They are far outside what training produces and stop a
   * record from overflowing float arithmetic: a finite but huge value (3e38) would turn scores into infinities.
   */
  public static final class Bounds {
    /** Every entry of W, T and the gating layers' weights and biases, and every verbosity lambda. */
    public static final float MAX_ABS_WEIGHT = 1e4f;
    public static final float MIN_TEMPERATURE = 1e-3f;
    public static final float MAX_TEMPERATURE = 1e3f;
    /** logit_scale (beta) must be positive: 0 multiplies every gating weight, and so every score, by 0. */
    public static final float MAX_LOGIT_SCALE = 1e3f;
    public static final float MAX_ABS_SCALE = 1e6f;

    private Bounds() {}
  }

  private static InvalidWeightsException malformed(String message) {
    return new InvalidWeightsException(Reason.MALFORMED, message);
  }

  private static void within(String what, String name, float value, float min, float max)
      throws InvalidWeightsException {
    if (!Float.isFinite(value)) {
      throw new InvalidWeightsException(Reason.NON_FINITE, what + name + " is " + value);
    }
    if (value < min || value > max) {
      throw new InvalidWeightsException(Reason.OUT_OF_BOUNDS,
          what + name + " is " + value + ", outside [" + min + ", " + max + "]");
    }
  }

  private static float[] matrix(String what, String name, io.queststream.schemas.Matrix m, int rows, int cols)
      throws InvalidWeightsException {
    if (m.getRows() != rows || m.getCols() != cols) {
      throw malformed(what + name + " is " + m.getRows() + "x" + m.getCols() + ", expected " + rows + "x" + cols);
    }
    float[] v;
    try {
      v = Matrices.values(m);
    } catch (IllegalArgumentException e) {
      throw malformed(what + name + ": " + e.getMessage());
    }
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new InvalidWeightsException(Reason.NON_FINITE, what + name + " has a non-finite value at index " + i);
      }
      if (Math.abs(v[i]) > Bounds.MAX_ABS_WEIGHT) {
        throw new InvalidWeightsException(Reason.OUT_OF_BOUNDS, what + name + " has " + v[i] + " at index " + i
            + ", outside [-" + Bounds.MAX_ABS_WEIGHT + ", " + Bounds.MAX_ABS_WEIGHT + "]");
      }
    }
    return v;
  }

  public RewardHeads record() {
    return record;
  }

  public WeightsVersion version() {
    return new WeightsVersion(record.getModelName(), record.getVersion(), record.getBackboneId());
  }

  public List<String> attributes() {
    return attributes;
  }

  public int attributeCount() {
    return attributes.size();
  }

  public int embeddingDim() {
    return dim;
  }

  /** W, K x dim, row-major. Shared: do not modify. */
  public float[] regression() {
    return regression;
  }

  public List<Layer> gating() {
    return gating;
  }

  public float temperature() {
    return temperature;
  }

  public float logitScale() {
    return logitScale;
  }

  /** T, K x K, row-major. Shared: do not modify. */
  public float[] transform() {
    return transform;
  }

  public float scaleMin() {
    return record.getScaleMin();
  }

  public float scaleMax() {
    return record.getScaleMax();
  }
}
