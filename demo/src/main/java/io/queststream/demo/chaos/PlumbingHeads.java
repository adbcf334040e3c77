package io.queststream.demo.chaos;

import io.queststream.model.config.ModelConfig;
import io.queststream.model.heads.HeadsFiles;
import io.queststream.model.signing.HeadsSigner;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.weights.RandomHeads;
import io.queststream.schemas.weights.WeightsContract;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Seeded random, untrained reward heads for the bundled MiniLM backbone (384-d). They are plumbing weights: valid
 * for the scorer, so fault tests exercise the whole scoring path, but their scores mean nothing.
 */
public final class PlumbingHeads {

  public static final String MODEL_NAME = WeightsContract.MODEL_NAME;
  public static final int MINILM_DIM = 384;

  private PlumbingHeads() {}

  public static RewardHeads forMiniLm(long version, long seed) {
    return RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", MINILM_DIM, version, seed);
  }

  /** Writes version 1 for MiniLM, signed, as the Avro file the streams app reads with weights.initial-file. */
  public static Path writeMiniLmFile(Path file, HeadsSigner signer) throws IOException {
    HeadsFiles.write(signer.sign(forMiniLm(1, 42)), file);
    return file;
  }
}
