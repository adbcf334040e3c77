package io.queststream.streams.weights;

import io.queststream.schemas.RewardHeads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;

/** Reads start-up weights from an Avro data file of RewardHeads records; the last record wins. */
public final class InitialWeights {

  private InitialWeights() {}

  public static RewardHeads read(Path file) {
    try (DataFileReader<RewardHeads> reader =
        new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(RewardHeads.class))) {
      RewardHeads last = null;
      while (reader.hasNext()) {
        last = reader.next(last);
      }
      if (last == null) {
        throw new IllegalArgumentException("weights file " + file + " holds no RewardHeads record");
      }
      return last;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read weights file " + file, e);
    }
  }
}
