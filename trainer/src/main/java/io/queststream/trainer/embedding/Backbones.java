package io.queststream.trainer.embedding;

import io.queststream.model.backbone.ExtraEncoder;
import io.queststream.model.config.ModelConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The backbones the trainer can embed public data with, by name: the bundled MiniLM and the extra encoders. */
public final class Backbones {

  private Backbones() {}

  public static List<String> names() {
    return Stream.concat(Stream.of(ModelConfig.MINILM), Arrays.stream(ExtraEncoder.values())
        .map(ExtraEncoder::configName)).toList();
  }

  public static ModelConfig config(String name) {
    if (ModelConfig.MINILM.equals(name)) {
      return ModelConfig.defaults();
    }
    return ExtraEncoder.named(name).map(e -> ModelConfig.defaults().withModel(e.configName()))
        .orElseThrow(() -> new IllegalArgumentException("unknown backbone '" + name + "'; known: " + names()));
  }

  /** The name of the backbone whose embeddings a weights record's backbone id refers to. */
  public static Optional<String> nameOf(String backboneId) {
    if (ModelConfig.MINILM_BACKBONE_ID.equals(backboneId)) {
      return Optional.of(ModelConfig.MINILM);
    }
    return ExtraEncoder.withBackboneId(backboneId).map(ExtraEncoder::configName);
  }
}
