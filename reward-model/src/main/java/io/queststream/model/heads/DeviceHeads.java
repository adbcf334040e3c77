package io.queststream.model.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The heads of one weights version uploaded to the backbone's device, computing {@link HeadsMath}'s forward pass for
 * a whole batch as NDArray ops. Owned by the thread that runs batches: it uploads a version once and frees it when a
 * newer one replaces it.
 */
public final class DeviceHeads implements AutoCloseable {

  /** Heads output for a batch, {@code [batch, K]} arrays except {@code score} ({@code [batch]}). */
  public record Batch(float[][] rewards, float[][] gating, float[][] coefficients, float[] scores) {}

  private record DeviceLayer(NDArray weightT, NDArray bias, boolean relu) {}

  private final HeadsWeights weights;
  private final NDManager manager;
  private final NDArray regressionT; // dim x K
  private final List<DeviceLayer> layers;
  private final NDArray transformT; // K x K

  public DeviceHeads(HeadsWeights weights, NDManager parent) {
    this.weights = weights;
    this.manager = parent.newSubManager();
    int k = weights.attributeCount();
    this.regressionT = manager.create(weights.regression(), new Shape(k, weights.embeddingDim())).transpose();
    this.layers = new ArrayList<>();
    for (HeadsWeights.Layer l : weights.gating()) {
      NDArray w = manager.create(l.weight(), new Shape(l.out(), l.in())).transpose();
      layers.add(new DeviceLayer(w, manager.create(l.bias(), new Shape(l.out())), l.relu()));
    }
    this.transformT = manager.create(weights.transform(), new Shape(k, k)).transpose();
  }

  public HeadsWeights weights() {
    return weights;
  }

  /**
   * rewards = h_r W^T; gating = beta * softmax(MLP(h_p) / tau); coefficients = gating T^T; score = sum(r * c).
   *
   * @param prompt {@code [batch, dim]} prompt embeddings on this device
   * @param response {@code [batch, dim]} response embeddings on this device
   */
  public Batch forward(NDArray prompt, NDArray response) {
    NDArray rewards = response.matMul(regressionT);
    NDArray x = prompt;
    for (DeviceLayer l : layers) {
      x = x.matMul(l.weightT()).add(l.bias());
      if (l.relu()) {
        x = x.maximum(0f);
      }
    }
    NDArray gating = x.div(weights.temperature()).softmax(-1).mul(weights.logitScale());
    NDArray coefficients = gating.matMul(transformT);
    NDArray scores = rewards.mul(coefficients).sum(new int[] {-1});
    int batch = (int) prompt.getShape().get(0);
    return new Batch(rows(rewards, batch), rows(gating, batch), rows(coefficients, batch), scores.toFloatArray());
  }

  private static float[][] rows(NDArray a, int batch) {
    float[] flat = a.toFloatArray();
    int width = flat.length / batch;
    float[][] out = new float[batch][];
    for (int b = 0; b < batch; b++) {
      out[b] = Arrays.copyOfRange(flat, b * width, (b + 1) * width);
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
