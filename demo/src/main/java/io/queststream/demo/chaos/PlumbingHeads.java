package io.queststream.demo.chaos;

import io.queststream.model.config.ModelConfig;
import io.queststream.model.heads.HeadsFiles;
import io.queststream.schemas.DenseLayer;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Seeded random, untrained reward heads for the bundled MiniLM backbone (384-d). They are plumbing weights: valid
 * for the scorer, so fault tests exercise the whole scoring path, but their scores mean nothing.
 */
public final class PlumbingHeads {

  public static final String MODEL_NAME = "quest-rm";
  public static final int MINILM_DIM = 384;
  static final List<String> ATTRIBUTES = List.of("Contextual Alignment", "Character Consistency",
      "Descriptive Depth", "Role-Specific Knowledge", "Engagement and Collaboration",
      "Creativity and Emotional Nuance");

  private PlumbingHeads() {}

  public static RewardHeads forMiniLm(long version, long seed) {
    return of(ModelConfig.MINILM_BACKBONE_ID, MINILM_DIM, version, seed);
  }

  public static RewardHeads of(String backboneId, int dim, long version, long seed) {
    Random rnd = new Random(seed);
    int k = ATTRIBUTES.size();
    float[] identity = new float[k * k];
    for (int i = 0; i < k; i++) {
      identity[i * k + i] = 1f;
    }
    DenseLayer gating = DenseLayer.newBuilder()
        .setWeight(Matrices.of(k, dim, gaussian(rnd, k * dim, (float) (1 / Math.sqrt(dim)))))
        .setBias(Matrices.row(new float[k]))
        .setActivation("identity")
        .build();
    return RewardHeads.newBuilder()
        .setModelName(MODEL_NAME)
        .setVersion(version)
        .setBackboneId(backboneId)
        .setEmbeddingDim(dim)
        .setPooling("mean")
        .setAttributeNames(ATTRIBUTES)
        .setRegression(Matrices.of(k, dim, gaussian(rnd, k * dim, 0.5f)))
        .setGatingLayers(List.of(gating))
        .setTransform(Matrices.of(k, k, identity))
        .setCreatedAt(Instant.ofEpochMilli(0))
        .build();
  }

  /** Writes version 1 for MiniLM as the Avro file the streams app reads with weights.initial-file. */
  public static Path writeMiniLmFile(Path file) throws IOException {
    HeadsFiles.write(forMiniLm(1, 42), file);
    return file;
  }

  private static float[] gaussian(Random rnd, int n, float std) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rnd.nextGaussian() * std);
    }
    return v;
  }
}
