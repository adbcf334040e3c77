package io.queststream.model.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to build a reward scorer.
 *
 * @param kind how the backbone runs (ONNX Runtime or TorchScript on PyTorch)
 * @param model a bundled encoder by name ({@link BundledBackbone}: {@value #MINILM}, the default, or
 *     {@code minilm-q}), an extra encoder's name ({@link io.queststream.model.backbone.ExtraEncoder}), or a model
 *     directory (model file, tokenizer.json, optional tokenizer_config.json with a chat template) or the model file
 *     itself
 * @param backboneId identity that weights records must carry; null derives it (MiniLM's hub name, or the model
 *     directory's name)
 * @param device where backbone and heads run
 * @param pooling how spans of hidden states become embeddings
 * @param maxSequenceTokens the backbone's window (its positions); longer replies are read in several windows
 * @param contextBudget history is dropped oldest first until the rendered turn fits this many tokens; a reply that
 *     needs several windows leaves the context (card, history) this many tokens
 * @param topK attributes listed in each explanation
 * @param modelCacheDir where models bundled on the classpath are unpacked for the engines to read
 * @param batcher dynamic batcher settings
 * @param text limits on rendering requests into text, and how long replies are cut into windows
 * @param meterRegistry where the batcher's metrics go
 * @param threads threads the backbone's engines compute with
 */
public record ModelConfig(
    BackboneKind kind,
    String model,
    String backboneId,
    DeviceSpec device,
    Pooling pooling,
    int maxSequenceTokens,
    int contextBudget,
    int topK,
    Path modelCacheDir,
    BatcherConfig batcher,
    TextConfig text,
    MeterRegistry meterRegistry,
    EngineThreads threads) {

  /** The bundled pretrained encoder (sentence-transformers/all-MiniLM-L6-v2, 384-d). */
  public static final String MINILM = "minilm";

  public static final String MINILM_BACKBONE_ID = "sentence-transformers/all-MiniLM-L6-v2";

  public ModelConfig {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(pooling, "pooling");
    Objects.requireNonNull(modelCacheDir, "modelCacheDir");
    Objects.requireNonNull(batcher, "batcher");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    Objects.requireNonNull(threads, "threads");
    if (maxSequenceTokens < 2) {
      throw new IllegalArgumentException("maxSequenceTokens must be at least 2, was " + maxSequenceTokens);
    }
    if (contextBudget < 2 || contextBudget > maxSequenceTokens) {
      throw new IllegalArgumentException(
          "contextBudget must be between 2 and maxSequenceTokens (" + maxSequenceTokens + "), was " + contextBudget);
    }
    if (text.windowOverlap() >= maxSequenceTokens / 2) {
      throw new IllegalArgumentException("the window overlap " + text.windowOverlap()
          + " must be less than half of maxSequenceTokens " + maxSequenceTokens);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must not be negative, was " + topK);
    }
    if (batcher.bucketFor(maxSequenceTokens) < 0) {
      throw new IllegalArgumentException("the largest sequence bucket " + batcher.largestBucket()
          + " is shorter than maxSequenceTokens " + maxSequenceTokens);
    }
  }

  /**
   * The bundled MiniLM on CPU: mean pooling, 512 positions, 384-token context budget, top-3 explanations, every
   * available processor for one operator.
   */
  public static ModelConfig defaults() {
    return new ModelConfig(BackboneKind.ONNX, MINILM, null, DeviceSpec.CPU, Pooling.MEAN, 512, 384, 3,
        Path.of(System.getProperty("java.io.tmpdir"), "quest-stream-models"), BatcherConfig.defaults(),
        TextConfig.defaults(), new SimpleMeterRegistry(), EngineThreads.availableProcessors());
  }

  /** A bundled encoder ({@link BundledBackbone}) with the defaults' settings. */
  public static ModelConfig bundled(BundledBackbone backbone) {
    ModelConfig d = defaults();
    return new ModelConfig(d.kind, backbone.modelName(), null, d.device, d.pooling, d.maxSequenceTokens,
        d.contextBudget, d.topK, d.modelCacheDir, d.batcher, d.text, d.meterRegistry, d.threads);
  }

  /**
   * A TorchScript decoder reward model exported by tools/export_reward_model.py: last-token pooling on the first GPU
   * when there is one, warm-up of the bucketed shapes.
   */
  public static ModelConfig torchScript(Path modelDir, int maxSequenceTokens) {
    ModelConfig d = defaults();
    // Buckets doubling from 64 up to the window, the last one the window itself.
    BatcherConfig batcher = d.batcher().withSequenceBuckets(List.of(Math.min(64, maxSequenceTokens)))
        .reaching(maxSequenceTokens).withWarmUp(true);
    return new ModelConfig(BackboneKind.TORCHSCRIPT, modelDir.toString(), null, DeviceSpec.AUTO, Pooling.LAST_TOKEN,
        maxSequenceTokens, maxSequenceTokens, d.topK(), d.modelCacheDir(), batcher, d.text(), d.meterRegistry(), d.threads());
  }

  /** The bundled encoder this config names, if it names one rather than a directory or file. */
  public Optional<BundledBackbone> bundledBackbone() {
    return BundledBackbone.named(model);
  }

  /** The same settings with another model: a model directory, or a name such as an extra encoder's. */
  public ModelConfig withModel(String m) {
    return new ModelConfig(kind, m, backboneId, device, pooling, maxSequenceTokens, contextBudget, topK, modelCacheDir,
        batcher, text, meterRegistry, threads);
  }

  public ModelConfig withDevice(DeviceSpec d) {
    return new ModelConfig(kind, model, backboneId, d, pooling, maxSequenceTokens, contextBudget, topK, modelCacheDir,
        batcher, text, meterRegistry, threads);
  }

  public ModelConfig withBackboneId(String id) {
    return new ModelConfig(kind, model, id, device, pooling, maxSequenceTokens, contextBudget, topK, modelCacheDir,
        batcher, text, meterRegistry, threads);
  }

  public ModelConfig withPooling(Pooling p) {
    return new ModelConfig(kind, model, backboneId, device, p, maxSequenceTokens, contextBudget, topK, modelCacheDir,
        batcher, text, meterRegistry, threads);
  }

  public ModelConfig withContext(int maxTokens, int budget) {
    return new ModelConfig(kind, model, backboneId, device, pooling, maxTokens, budget, topK, modelCacheDir, batcher,
        text, meterRegistry, threads);
  }

  public ModelConfig withTopK(int k) {
    return new ModelConfig(kind, model, backboneId, device, pooling, maxSequenceTokens, contextBudget, k,
        modelCacheDir, batcher, text, meterRegistry, threads);
  }

  public ModelConfig withModelCacheDir(Path dir) {
    return new ModelConfig(kind, model, backboneId, device, pooling, maxSequenceTokens, contextBudget, topK, dir,
        batcher, text, meterRegistry, threads);
  }

  public ModelConfig withBatcher(BatcherConfig b) {
    return new ModelConfig(kind, model, backboneId, device, pooling, maxSequenceTokens, contextBudget, topK,
        modelCacheDir, b, text, meterRegistry, threads);
  }

  public ModelConfig withText(TextConfig t) {
    return new ModelConfig(kind, model, backboneId, device, pooling, maxSequenceTokens, contextBudget, topK,
        modelCacheDir, batcher, t, meterRegistry, threads);
  }

  public ModelConfig withThreads(EngineThreads t) {
    return new ModelConfig(kind, model, backboneId, device, pooling, maxSequenceTokens, contextBudget, topK,
        modelCacheDir, batcher, text, meterRegistry, t);
  }

  public ModelConfig withMeterRegistry(MeterRegistry registry) {
    return new ModelConfig(kind, model, backboneId, device, pooling, maxSequenceTokens, contextBudget, topK,
        modelCacheDir, batcher, text, registry, threads);
  }
}
