package io.queststream.sample;

import io.queststream.sample.io.DatasetReader;
import java.nio.file.Path;

/** Entry point for other modules: the committed sample data set, decoded from the classpath. */
public final class SampleData {

  private SampleData() {
  }

  /** The committed data set (seed 42); each call decodes fresh records. */
  public static SampleDataset load() {
    return new DatasetReader().read(DatasetReader.classpath());
  }

  /** A data set written by {@code sample-data generate --out <directory>}. */
  public static SampleDataset load(Path directory) {
    return new DatasetReader().read(DatasetReader.directory(directory));
  }
}
