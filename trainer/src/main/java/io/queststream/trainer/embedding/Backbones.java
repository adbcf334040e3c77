package io.queststream.trainer.embedding;

import io.queststream.model.backbone.ExtraEncoder;
import io.queststream.model.config.BundledBackbone;
import io.queststream.model.config.ModelConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The backbones the trainer can embed with, by name: the bundled MiniLM (fp32 and int8) and the extra encoders.
 */
public final class Backbones {

  private Backbones() {}

  public static List<String> names() {
    return Stream.concat(Arrays.stream(BundledBackbone.values()).map(BundledBackbone::modelName),
        Arrays.stream(ExtraEncoder.values()).map(ExtraEncoder::configName)).toList();
  }

  public static ModelConfig config(String name) {
    Optional<BundledBackbone> bundled = BundledBackbone.named(name);
    if (bundled.isPresent()) {
      return ModelConfig.bundled(bundled.get());
    }
    return ExtraEncoder.named(name).map(e -> ModelConfig.defaults().withModel(e.configName()))
        .orElseThrow(() -> new IllegalArgumentException("unknown backbone '" + name + "'; known: " + names()));
  }

  /** The name of the backbone whose embeddings a weights record's backbone id refers to. */
  public static Optional<String> nameOf(String backboneId) {
    Optional<String> bundled = Arrays.stream(BundledBackbone.values()).filter(b -> b.backboneId().equals(backboneId))
        .map(BundledBackbone::modelName).findFirst();
    return bundled.isPresent() ? bundled : ExtraEncoder.withBackboneId(backboneId).map(ExtraEncoder::configName);
  }
}
