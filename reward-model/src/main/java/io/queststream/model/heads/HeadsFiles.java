package io.queststream.model.heads;

import io.queststream.schemas.RewardHeads;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/** RewardHeads records as Avro container files (schema embedded), for publishing and for offline use. */
public final class HeadsFiles {

  private HeadsFiles() {}

  public static void write(RewardHeads heads, Path file) throws IOException {
    try (DataFileWriter<RewardHeads> writer = new DataFileWriter<>(new SpecificDatumWriter<>(RewardHeads.class))) {
      writer.create(RewardHeads.getClassSchema(), file.toFile());
      writer.append(heads);
    }
  }

  public static RewardHeads read(Path file) throws IOException {
    try (DataFileReader<RewardHeads> reader =
        new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(RewardHeads.class))) {
      if (!reader.hasNext()) {
        throw new IOException(file + " holds no RewardHeads record");
      }
      return reader.next();
    }
  }
}
