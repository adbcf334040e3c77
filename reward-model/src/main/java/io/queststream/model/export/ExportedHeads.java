package io.queststream.model.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.schemas.DenseLayer;
import io.queststream.schemas.Matrix;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the heads that tools/export_reward_model.py writes ({@code heads/heads.json} plus raw little-endian float32
 * tensors) into a RewardHeads record. Shapes are checked against the files; the record's own validation
 * ({@link HeadsWeights#decode}) runs when it is installed.
 */
public final class ExportedHeads {

  public static final String FORMAT = "quest-stream-heads/1";

  private ExportedHeads() {}

  /** @param headsDir the {@code heads} directory, or the model directory that holds it */
  public static RewardHeads read(Path headsDir) throws IOException {
    Path dir = Files.isRegularFile(headsDir.resolve("heads").resolve("heads.json")) ? headsDir.resolve("heads")
        : headsDir;
    Path spec = dir.resolve("heads.json");
    JsonNode root = new ObjectMapper().readTree(spec.toFile());
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new IOException(spec + ": format is '" + root.path("format").asText() + "', expected " + FORMAT);
    }
    List<String> attributes = new ArrayList<>();
    root.path("attribute_names").forEach(n -> attributes.add(n.asText()));
    List<DenseLayer> layers = new ArrayList<>();
    for (JsonNode l : root.path("gating_layers")) {
      Matrix bias = tensor(dir, l.path("bias"));
      layers.add(DenseLayer.newBuilder()
          .setWeight(tensor(dir, l.path("weight")))
          .setBias(Matrices.of(1, bias.getRows() * bias.getCols(), Matrices.values(bias)))
          .setActivation(l.path("activation").asText())
          .build());
    }
    return RewardHeads.newBuilder()
        .setModelName(required(root, "model_name", spec).asText())
        .setVersion(required(root, "version", spec).asLong())
        .setStatus("manual")
        .setBackboneId(required(root, "backbone_id", spec).asText())
        .setEmbeddingDim(required(root, "embedding_dim", spec).asInt())
        .setPooling(required(root, "pooling", spec).asText())
        .setAttributeNames(attributes)
        .setScaleMin((float) root.path("scale_min").asDouble(0))
        .setScaleMax((float) root.path("scale_max").asDouble(1))
        .setRegression(tensor(dir, root.path("regression")))
        .setGatingLayers(layers)
        .setTemperature((float) required(root, "temperature", spec).asDouble())
        .setLogitScale((float) required(root, "logit_scale", spec).asDouble())
        .setTransform(tensor(dir, root.path("transform")))
        .setTrainingSummary(Map.of("source", "export_reward_model.py"))
        .setCreatedAt(Instant.now())
        .build();
  }

  private static JsonNode required(JsonNode root, String field, Path spec) throws IOException {
    JsonNode n = root.path(field);
    if (n.isMissingNode() || n.isNull()) {
      throw new IOException(spec + ": missing field " + field);
    }
    return n;
  }

  /** A tensor file: 1-d tensors become one row, 2-d ones keep their shape. */
  private static Matrix tensor(Path dir, JsonNode ref) throws IOException {
    Path file = dir.resolve(ref.path("file").asText());
    List<Integer> shape = new ArrayList<>();
    ref.path("shape").forEach(n -> shape.add(n.asInt()));
    if (shape.isEmpty() || shape.size() > 2) {
      throw new IOException(file + ": shape " + shape + " is not 1-d or 2-d");
    }
    int rows = shape.size() == 2 ? shape.get(0) : 1;
    int cols = shape.get(shape.size() - 1);
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length != 4L * rows * cols) {
      throw new IOException(file + ": " + bytes.length + " bytes for shape " + shape);
    }
    float[] values = new float[rows * cols];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return Matrices.of(rows, cols, values);
  }
}
