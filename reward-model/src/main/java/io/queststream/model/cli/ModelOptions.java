package io.queststream.model.cli;

import io.queststream.model.config.BackboneDescriptor;
import io.queststream.model.config.BackboneKind;
import io.queststream.model.config.BundledBackbone;
import io.queststream.model.config.DeviceSpec;
import io.queststream.model.config.EngineThreads;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.config.Pooling;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options that choose and shape the backbone, shared by the commands that load one. */
public final class ModelOptions {

  @Option(names = "--model", defaultValue = ModelConfig.MINILM,
      description = "a bundled encoder (minilm: all-MiniLM-L6-v2; minilm-q: the same with int8 weights) or a "
          + "model directory from export_reward_model.py (default: ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--kind", description = "onnx | torchscript (default: onnx for minilm, torchscript otherwise)")
  String kind;

  @Option(names = "--device", defaultValue = "auto", description = "auto | cpu | gpu:N (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--pooling", description = "mean | last_token (default: mean for minilm, last_token otherwise)")
  String pooling;

  @Option(names = "--max-tokens", description = "hard limit of one turn in tokens (default: 512 for minilm, an export's "
      + "max_sequence_tokens from its backbone.json, else 4096)")
  Integer maxTokens;

  @Option(names = "--context-budget", description = "history is dropped oldest first beyond this many tokens")
  Integer contextBudget;

  @Option(names = "--backbone-id", description = "backbone id weights must carry (default: from the model)")
  String backboneId;

  @Option(names = "--intra-op-threads", description = "threads one operator of the backbone runs on (default: the "
      + "available processors)")
  Integer intraOpThreads;

  @Option(names = "--spin-wait", negatable = true, defaultValue = "false",
      description = "ONNX Runtime's idle intra-op threads spin for the next operator instead of sleeping "
          + "(default: ${DEFAULT-VALUE})")
  boolean spinWait;

  @Option(names = "--batch-workers", defaultValue = "1",
      description = "device batches run side by side, each worker with the processors divided among them unless "
          + "--intra-op-threads is given (default: ${DEFAULT-VALUE})")
  int batchWorkers;

  @Option(names = "--inter-op-threads", defaultValue = "1",
      description = "threads across independent operators (default: ${DEFAULT-VALUE})")
  int interOpThreads;

  public ModelConfig toConfig() {
    Optional<BundledBackbone> bundled = BundledBackbone.named(model);
    ModelConfig base = bundled.isPresent() ? ModelConfig.bundled(bundled.get())
        : ModelConfig.torchScript(Path.of(model),
            maxTokens != null ? maxTokens : BackboneDescriptor.maxSequenceTokens(Path.of(model)).orElse(4096));
    if (kind != null) {
      BackboneKind k = BackboneKind.parse(kind);
      base = new ModelConfig(k, base.model(), base.backboneId(), base.device(), base.pooling(),
          base.maxSequenceTokens(), base.contextBudget(), base.topK(), base.modelCacheDir(), base.batcher(),
          base.text(), base.meterRegistry(), base.threads());
    }
    base = base.withThreads(new EngineThreads(intraOpThreads != null ? intraOpThreads
        : batchWorkers > 1 ? EngineThreads.perWorker(batchWorkers) : base.threads().intraOp(),
        interOpThreads, spinWait));
    base = base.withBatcher(base.batcher().withWorkers(batchWorkers));
    base = base.withDevice(DeviceSpec.parse(device));
    if (pooling != null) {
      base = base.withPooling(Pooling.parse(pooling));
    }
    if (maxTokens != null || contextBudget != null) {
      int max = maxTokens != null ? maxTokens : base.maxSequenceTokens();
      base = base.withContext(max, contextBudget != null ? contextBudget : Math.min(base.contextBudget(), max));
    }
    return backboneId != null ? base.withBackboneId(backboneId) : base;
  }
}
