package io.queststream.streams.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.queststream.model.config.BackboneKind;
import io.queststream.model.config.DeviceSpec;
import io.queststream.model.config.EngineThreads;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.config.Pooling;
import io.queststream.model.config.TextConfig;
import io.queststream.streams.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Maps the app's model.* settings onto the reward model's configuration; unset keys keep the model's defaults (the
 * bundled MiniLM on CPU).
 */
public final class ModelSettings {

  /** Keys under model.*, with their meaning, for the settings listing. */
  public static final Map<String, String> KEYS = Map.ofEntries(
      Map.entry("model.name", "minilm (bundled all-MiniLM-L6-v2), minilm-q (the same with int8 weights), or a "
          + "model directory / model file"),
      Map.entry("model.kind", "onnx or torchscript"),
      Map.entry("model.device", "auto, cpu or gpu:N"),
      Map.entry("model.pooling", "mean or last_token"),
      Map.entry("model.max-sequence-tokens", "longest rendered turn the backbone accepts"),
      Map.entry("model.context-budget", "history is cut, oldest first, to fit this many tokens"),
      Map.entry("model.backbone-id", "identity weights records must carry (default: derived from the model)"),
      Map.entry("model.cache-dir", "where bundled models are unpacked"),
      Map.entry("model.batch-size", "most sequences per forward pass of the shared batcher"),
      Map.entry("model.batch-max-wait-ms", "how long the shared batcher waits to merge concurrent micro-batches"),
      Map.entry("model.render-max-chars", "most characters one chat-template render may write (default 1000000)"),
      Map.entry("model.render-max-ms", "CPU time one chat-template render may use (default 2000)"),
      Map.entry("model.window-overlap", "tokens each window of a long reply shares with the one before (default 64)"),
      Map.entry("model.max-windows", "most windows one turn is read in; beyond, the reply is cut (default 8)"),
      Map.entry("model.intra-op-threads",
          "threads one operator of the backbone runs on (default: the available processors)"),
      Map.entry("model.inter-op-threads", "threads across independent operators of the backbone (default: 1)"));

  private ModelSettings() {}

  public static ModelConfig toModelConfig(Map<String, String> model, MeterRegistry registry) {
    ModelConfig c = ModelConfig.defaults().withMeterRegistry(registry);
    String name = model.getOrDefault("name", c.model());
    String kind = model.get("kind");
    if (kind != null || !name.equals(c.model())) {
      BackboneKind k = kind == null ? c.kind() : BackboneKind.parse(kind);
      c = new ModelConfig(k, name, c.backboneId(), c.device(), c.pooling(), c.maxSequenceTokens(),
          c.contextBudget(), c.topK(), c.modelCacheDir(), c.batcher(), c.text(), c.meterRegistry(), c.threads());
    }
    if (model.containsKey("intra-op-threads") || model.containsKey("inter-op-threads")) {
      c = c.withThreads(new EngineThreads(integer(model, "intra-op-threads", c.threads().intraOp()),
          integer(model, "inter-op-threads", c.threads().interOp())));
    }
    if (model.containsKey("device")) {
      c = c.withDevice(DeviceSpec.parse(model.get("device")));
    }
    if (model.containsKey("pooling")) {
      c = c.withPooling(Pooling.parse(model.get("pooling")));
    }
    if (model.containsKey("max-sequence-tokens") || model.containsKey("context-budget")) {
      int max = integer(model, "max-sequence-tokens", c.maxSequenceTokens());
      c = c.withContext(max, integer(model, "context-budget", Math.min(c.contextBudget(), max)));
    }
    if (model.containsKey("backbone-id")) {
      c = c.withBackboneId(model.get("backbone-id"));
    }
    if (model.containsKey("cache-dir")) {
      c = c.withModelCacheDir(Path.of(model.get("cache-dir")));
    }
    if (model.containsKey("batch-size")) {
      c = c.withBatcher(c.batcher().withMaxBatchSize(integer(model, "batch-size", 0)));
    }
    if (model.containsKey("batch-max-wait-ms")) {
      c = c.withBatcher(c.batcher().withMaxWait(Duration.ofMillis(integer(model, "batch-max-wait-ms", 0))));
    }
    if (model.containsKey("render-max-chars") || model.containsKey("render-max-ms")) {
      TextConfig t = c.text();
      c = c.withText(t.withRenderLimits(integer(model, "render-max-chars", (int) t.maxRenderChars()),
          Duration.ofMillis(integer(model, "render-max-ms", (int) t.maxRenderTime().toMillis()))));
    }
    if (model.containsKey("window-overlap") || model.containsKey("max-windows")) {
      TextConfig t = c.text();
      c = c.withText(t.withWindows(integer(model, "window-overlap", t.windowOverlap()),
          integer(model, "max-windows", t.maxWindows())));
    }
    return c;
  }

  private static int integer(Map<String, String> model, String key, int fallback) {
    String v = model.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException("model." + key + " must be an integer, was '" + v + "'");
    }
  }
}
