package io.queststream.model.scoring;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.queststream.model.backbone.DjlBackbone;
import io.queststream.model.backbone.PooledBatch;
import io.queststream.model.batching.BatchProcessor;
import io.queststream.model.config.BackboneKind;
import io.queststream.model.heads.DeviceHeads;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.TokenWindow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One device batch: backbone, pooling and heads, all on the backbone's device, on the batcher's worker thread. The
 * installed weights are read once per batch from the shared reference, so a swap takes effect at the next batch and
 * every turn of a batch is scored by one version; the device copy of a version is made here and freed here, so no
 * other thread ever touches device memory.
 */
final class TurnBatchProcessor implements BatchProcessor<PreparedTurn, TurnOutput>, AutoCloseable {

  private final DjlBackbone backbone;
  private final BackboneKind kind;
  private final AtomicReference<HeadsWeights> installed;
  private final AtomicReference<HeadsWeights> candidate;
  private final NDManager headsMemory;
  private final Timer backboneTime;
  private final Timer headsTime;
  private final Timer candidateTime;
  private DeviceHeads deviceHeads;
  private DeviceHeads candidateHeads;

  /**
   * @param installed the serving heads
   * @param candidate heads shadowed alongside the serving ones on the same embeddings, empty when none
   */
  TurnBatchProcessor(DjlBackbone backbone, BackboneKind kind, AtomicReference<HeadsWeights> installed,
      AtomicReference<HeadsWeights> candidate, MeterRegistry registry) {
    this.backbone = backbone;
    this.kind = kind;
    this.installed = installed;
    this.candidate = candidate;
    this.headsMemory = backbone.newBatchManager();
    String id = backbone.info().id();
    this.backboneTime = Timer.builder("queststream.scorer.backbone.time").tag("backbone", id)
        .description("backbone forward and pooling per batch").register(registry);
    this.headsTime = Timer.builder("queststream.scorer.heads.time").tag("backbone", id)
        .description("heads forward per batch").register(registry);
    this.candidateTime = Timer.builder("queststream.scorer.candidate.heads.time").tag("backbone", id)
        .description("candidate heads forward per batch, while a candidate version is shadowed").register(registry);
  }

  /**
   * TorchScript's profiling graph executor re-optimises on every new input shape, which stalls the first calls of
   * each shape for seconds on GPU; the setting is per thread, so it is switched off on the one thread that runs
   * batches (bucketed shapes plus warm-up do the rest).
   */
  @Override
  public void onWorkerStart() {
    if (kind == BackboneKind.TORCHSCRIPT) {
      JniUtils.setGraphExecutorOptimize(false);
    }
  }

  @Override
  public List<TurnOutput> process(List<PreparedTurn> turns, int paddedLength) {
    long start = System.nanoTime();
    HeadsWeights weights = installed.get();
    HeadsWeights shadowed = weights == null ? null : candidate.get();
    try (NDManager batch = backbone.newBatchManager()) {
      PooledBatch pooled = backbone.forward(turns, paddedLength, batch);
      float[][] prompts = rows(pooled.prompt().toFloatArray(), turns.size());
      float[][] responses = rows(pooled.response().toFloatArray(), turns.size());
      long backboneDone = System.nanoTime();
      backboneTime.record(backboneDone - start, TimeUnit.NANOSECONDS);
      DeviceHeads.Batch heads = null;
      if (weights != null) {
        heads = headsFor(weights).forward(pooled.prompt(), pooled.response());
        headsTime.record(System.nanoTime() - backboneDone, TimeUnit.NANOSECONDS);
      }
      DeviceHeads.Batch shadow = null;
      if (shadowed != null) {
        long candidateStart = System.nanoTime();
        shadow = candidateHeadsFor(shadowed).forward(pooled.prompt(), pooled.response());
        candidateTime.record(System.nanoTime() - candidateStart, TimeUnit.NANOSECONDS);
      }
      double latencyMs = (System.nanoTime() - start) / 1e6;
      int sequences = DjlBackbone.windows(turns);
      List<TurnOutput> out = new ArrayList<>(turns.size());
      for (int b = 0; b < turns.size(); b++) {
        TurnOutput.HeadsOutput h = heads == null ? null : new TurnOutput.HeadsOutput(
            heads.rewards()[b], heads.gating()[b], heads.coefficients()[b], heads.scores()[b]);
        TurnOutput.HeadsOutput c = shadow == null ? null : new TurnOutput.HeadsOutput(
            shadow.rewards()[b], shadow.gating()[b], shadow.coefficients()[b], shadow.scores()[b]);
        out.add(new TurnOutput(prompts[b], responses[b], heads == null ? null : weights, h, sequences, latencyMs,
            shadow == null ? null : shadowed, c));
      }
      return out;
    }
  }

  private DeviceHeads headsFor(HeadsWeights weights) {
    if (deviceHeads == null || deviceHeads.weights() != weights) {
      if (deviceHeads != null) {
        deviceHeads.close();
      }
      deviceHeads = new DeviceHeads(weights, headsMemory);
    }
    return deviceHeads;
  }

  private DeviceHeads candidateHeadsFor(HeadsWeights weights) {
    if (candidateHeads == null || candidateHeads.weights() != weights) {
      if (candidateHeads != null) {
        candidateHeads.close();
      }
      candidateHeads = new DeviceHeads(weights, headsMemory);
    }
    return candidateHeads;
  }

  @Override
  public void warmUp(int batchSize, int paddedLength) {
    List<PreparedTurn> turns = new ArrayList<>(batchSize);
    long[] ids = new long[paddedLength];
    Arrays.fill(ids, 1L);
    TokenWindow window = new TokenWindow(ids, 0, paddedLength / 2, paddedLength / 2, paddedLength);
    for (int i = 0; i < batchSize; i++) {
      turns.add(new PreparedTurn("warm-up-" + i, backbone.info().id(), List.of(window), paddedLength / 2,
          paddedLength / 2, paddedLength / 2, 0, Set.of()));
    }
    process(turns, paddedLength);
  }

  private static float[][] rows(float[] flat, int batch) {
    int width = flat.length / batch;
    float[][] out = new float[batch][];
    for (int b = 0; b < batch; b++) {
      out[b] = Arrays.copyOfRange(flat, b * width, (b + 1) * width);
    }
    return out;
  }

  @Override
  public void close() {
    if (deviceHeads != null) {
      deviceHeads.close();
    }
    if (candidateHeads != null) {
      candidateHeads.close();
    }
    headsMemory.close();
  }
}
