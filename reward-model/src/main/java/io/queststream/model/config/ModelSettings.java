package io.queststream.model.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.queststream.config.ConfigException;
import io.queststream.config.Setting;
import io.queststream.config.SettingValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The reward model's settings (keys model.*) and how they map onto its configuration; unset keys keep the model's
 * defaults ({@link ModelConfig#defaults()}: the bundled MiniLM on CPU).
 */
public final class ModelSettings {

  public static final String PREFIX = "model.";

  private static final ModelConfig DEFAULTS = ModelConfig.defaults();
  /** The padding share an ONNX backbone on the CPU allows a batch under model.batch-max-padding=auto. */
  static final double CPU_MAX_PADDING = 0.05;

  public static final Setting NAME = new Setting("model.name", DEFAULTS.model(),
      "minilm (bundled all-MiniLM-L6-v2), minilm-q (the same with int8 weights), an extra encoder's name, or a "
          + "model directory / model file");
  public static final Setting KIND = new Setting("model.kind", "", "onnx or torchscript (default: onnx)");
  public static final Setting DEVICE = new Setting("model.device", "cpu", "auto, cpu or gpu:N");
  public static final Setting POOLING = new Setting("model.pooling", "mean", "mean or last_token");
  public static final Setting MAX_SEQUENCE_TOKENS = new Setting("model.max-sequence-tokens",
      Integer.toString(DEFAULTS.maxSequenceTokens()), "Longest token window the backbone reads at once");
  public static final Setting CONTEXT_BUDGET = new Setting("model.context-budget",
      Integer.toString(DEFAULTS.contextBudget()),
      "History is cut, oldest first, to fit this many tokens (at most model.max-sequence-tokens)");
  public static final Setting BACKBONE_ID = new Setting("model.backbone-id", "",
      "Identity weights records must carry (default: derived from the model)");
  public static final Setting CACHE_DIR = new Setting("model.cache-dir", "",
      "Where bundled models are unpacked (default: quest-stream-models in the temporary directory)");
  public static final Setting BATCH_SIZE = new Setting("model.batch-size",
      Integer.toString(DEFAULTS.batcher().maxBatchSize()),
      "Most sequences per forward pass of the model's shared batcher, which merges the micro-batches of all stream "
          + "threads (batch.max-size bounds one micro-batch)");
  public static final Setting BATCH_MAX_WAIT_MS = new Setting("model.batch-max-wait-ms",
      Long.toString(DEFAULTS.batcher().maxWait().toMillis()),
      "How long the shared batcher holds a forward pass open for concurrent micro-batches (ms); batch.max-wait-ms "
          + "is how long a stream thread collects one micro-batch before that");
  public static final Setting BATCH_WORKERS = new Setting("model.batch-workers", "auto",
      "Threads that run the shared batcher's forward passes side by side, model.intra-op-threads then defaulting to "
          + "the available processors divided among them; auto: 2 for an ONNX backbone on a CPU of 2 or more "
          + "processors (unless model.intra-op-threads is set), else 1. Two workers of half the cores lose less to "
          + "the stream threads, clients and GC preempting them than one of all the cores: docs/benchmarks.md");
  public static final Setting BATCH_MAX_PADDING = new Setting("model.batch-max-padding", "auto",
      "Most share of a forward pass's token positions that may be padding: the shared batcher cuts a length-sorted "
          + "round into smaller batches rather than exceed it (a batch of one always runs). auto: "
          + CPU_MAX_PADDING + " for an ONNX backbone on the CPU, where a batch of one runs as fast per token as a "
          + "batch of eight and every padded position is computed for nothing; else "
          + DEFAULTS.batcher().maxPaddingRatio() + ", as an accelerator needs full batches: docs/benchmarks.md");
  public static final Setting RENDER_MAX_CHARS = new Setting("model.render-max-chars",
      Long.toString(DEFAULTS.text().maxRenderChars()), "Most characters one chat-template render may write");
  public static final Setting RENDER_MAX_MS = new Setting("model.render-max-ms",
      Long.toString(DEFAULTS.text().maxRenderTime().toMillis()), "CPU time one chat-template render may use (ms)");
  public static final Setting WINDOW_OVERLAP = new Setting("model.window-overlap",
      Integer.toString(DEFAULTS.text().windowOverlap()),
      "Tokens each window of a long reply shares with the one before");
  public static final Setting MAX_WINDOWS = new Setting("model.max-windows",
      Integer.toString(DEFAULTS.text().maxWindows()),
      "Most windows one turn is read in; beyond, the reply is cut and the score says so");
  public static final Setting INTRA_OP_THREADS = new Setting("model.intra-op-threads", "",
      "Threads one operator of the backbone runs on (default: the available processors)");
  public static final Setting INTER_OP_THREADS = new Setting("model.inter-op-threads",
      Integer.toString(EngineThreads.availableProcessors().interOp()),
      "Threads across independent operators of the backbone");
  public static final Setting SPIN_WAIT = new Setting("model.spin-wait",
      Boolean.toString(EngineThreads.availableProcessors().spinWait()),
      "Whether ONNX Runtime's idle intra-op threads spin for the next operator instead of sleeping (spinning takes "
          + "cores from the stream threads between batches)");

  public static final List<Setting> ALL = List.of(NAME, KIND, DEVICE, POOLING, MAX_SEQUENCE_TOKENS, CONTEXT_BUDGET,
      BACKBONE_ID, CACHE_DIR, BATCH_SIZE, BATCH_MAX_WAIT_MS, BATCH_WORKERS, BATCH_MAX_PADDING, RENDER_MAX_CHARS,
      RENDER_MAX_MS, WINDOW_OVERLAP, MAX_WINDOWS, INTRA_OP_THREADS, INTER_OP_THREADS, SPIN_WAIT);

  private ModelSettings() {}

  /**
   * The model's configuration from the model.* keys among {@code values} (other keys are ignored).
   *
   * @throws ConfigException naming the key when a value cannot be used
   */
  public static ModelConfig toModelConfig(Map<String, String> values, MeterRegistry registry) {
    SettingValues v = new SettingValues(values);
    try {
      return configure(v, registry);
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException("the model.* settings do not fit together: " + e.getMessage());
    }
  }

  private static ModelConfig configure(SettingValues v, MeterRegistry registry) {
    ModelConfig c = ModelConfig.defaults().withMeterRegistry(registry);
    if (v.isSet(KIND) || v.isSet(NAME)) {
      BackboneKind kind = v.isSet(KIND) ? parsed(KIND, v, BackboneKind::parse) : c.kind();
      c = new ModelConfig(kind, v.text(NAME), c.backboneId(), c.device(), c.pooling(), c.maxSequenceTokens(),
          c.contextBudget(), c.topK(), c.modelCacheDir(), c.batcher(), c.text(), c.meterRegistry(), c.threads());
      OptionalInt declared = kind == BackboneKind.TORCHSCRIPT
          ? BackboneDescriptor.maxSequenceTokens(Path.of(v.text(NAME))) : OptionalInt.empty();
      if (declared.isPresent()) {
        // An exported model: its window, last-token pooling, the device it was traced on, buckets up to the window.
        c = ModelConfig.torchScript(Path.of(v.text(NAME)), declared.getAsInt()).withMeterRegistry(registry);
      }
    }
    if (v.isSet(INTRA_OP_THREADS) || v.isSet(INTER_OP_THREADS)) {
      c = c.withThreads(new EngineThreads(v.isSet(INTRA_OP_THREADS) ? v.integer(INTRA_OP_THREADS)
          : c.threads().intraOp(), v.integer(INTER_OP_THREADS)));
    }
    if (v.isSet(SPIN_WAIT)) {
      c = c.withThreads(c.threads().withSpinWait(v.bool(SPIN_WAIT)));
    }
    if (v.isSet(DEVICE)) {
      c = c.withDevice(parsed(DEVICE, v, DeviceSpec::parse));
    }
    if (v.isSet(POOLING)) {
      c = c.withPooling(parsed(POOLING, v, Pooling::parse));
    }
    if (v.isSet(MAX_SEQUENCE_TOKENS) || v.isSet(CONTEXT_BUDGET)) {
      int max = v.integer(MAX_SEQUENCE_TOKENS);
      if (max >= 2) {
        // A longer window needs padded shapes that hold it; otherwise every window past the last bucket is refused.
        c = c.withBatcher(c.batcher().reaching(max));
      }
      c = c.withContext(max, v.isSet(CONTEXT_BUDGET) ? v.integer(CONTEXT_BUDGET) : Math.min(c.contextBudget(), max));
    }
    if (v.isSet(BACKBONE_ID)) {
      c = c.withBackboneId(v.text(BACKBONE_ID));
    }
    if (v.isSet(CACHE_DIR)) {
      c = c.withModelCacheDir(Path.of(v.text(CACHE_DIR)));
    }
    if (v.isSet(BATCH_SIZE)) {
      c = c.withBatcher(c.batcher().withMaxBatchSize(v.integer(BATCH_SIZE)));
    }
    if (v.isSet(BATCH_MAX_WAIT_MS)) {
      c = c.withBatcher(c.batcher().withMaxWait(Duration.ofMillis(v.nonNegativeLong(BATCH_MAX_WAIT_MS))));
    }
    c = c.withBatcher(c.batcher().withMaxPaddingRatio(maxPadding(v, c)));
    c = withWorkers(v, c);
    if (v.isSet(RENDER_MAX_CHARS) || v.isSet(RENDER_MAX_MS)) {
      c = c.withText(c.text().withRenderLimits(v.longValue(RENDER_MAX_CHARS), v.positiveDuration(RENDER_MAX_MS)));
    }
    if (v.isSet(WINDOW_OVERLAP) || v.isSet(MAX_WINDOWS)) {
      c = c.withText(c.text().withWindows(v.integer(WINDOW_OVERLAP), v.integer(MAX_WINDOWS)));
    }
    return c;
  }

  private static double maxPadding(SettingValues v, ModelConfig c) {
    if (v.text(BATCH_MAX_PADDING).equals("auto")) {
      return onCpu(c) ? CPU_MAX_PADDING : c.batcher().maxPaddingRatio();
    }
    double share = v.decimal(BATCH_MAX_PADDING);
    if (!(share >= 0 && share <= 1)) {
      throw new ConfigException(BATCH_MAX_PADDING.key() + " must be a share between 0 and 1, was " + share);
    }
    return share;
  }

  /** ONNX backbones stay on the CPU under device auto. */
  private static boolean onCpu(ModelConfig c) {
    return c.kind() == BackboneKind.ONNX && c.device().kind() != DeviceSpec.Kind.GPU;
  }

  /** The batcher's workers, and the processors divided among them unless the intra-op threads are set. */
  private static ModelConfig withWorkers(SettingValues v, ModelConfig c) {
    int workers;
    if (v.text(BATCH_WORKERS).equals("auto")) {
      // One accelerator is best fed by one stream of batches.
      workers = onCpu(c) && Runtime.getRuntime().availableProcessors() >= 2 && !v.isSet(INTRA_OP_THREADS) ? 2 : 1;
    } else {
      workers = v.integer(BATCH_WORKERS);
    }
    c = c.withBatcher(c.batcher().withWorkers(workers));
    if (workers > 1 && !v.isSet(INTRA_OP_THREADS)) {
      c = c.withThreads(new EngineThreads(EngineThreads.perWorker(workers), c.threads().interOp(),
          c.threads().spinWait()));
    }
    return c;
  }

  private static <T> T parsed(Setting s, SettingValues v, Function<String, T> parser) {
    try {
      return parser.apply(v.text(s));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(s.key() + ": " + e.getMessage());
    }
  }
}
