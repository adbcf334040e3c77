package io.queststream.trainer.feedback;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.schemas.TurnEmbedding;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The durable training set: every decoded feedback record appended to an Avro container file per type in a local
 * directory. The consumer commits Kafka offsets only after {@link #sync()}, so a crash loses nothing (records after
 * the last sync are delivered again and deduplicated by id). On open, a torn tail from a crash is cut off.
 */
public final class FeedbackLog implements Closeable {

  private static final Map<Class<? extends SpecificRecord>, String> FILES = new LinkedHashMap<>();

  static {
    // Embeddings first: replaying them before feedback lets every join resolve without waiting.
    FILES.put(TurnEmbedding.class, "turn-embeddings.avro");
    FILES.put(AttributeRating.class, "ratings.avro");
    FILES.put(PreferencePair.class, "preference-pairs.avro");
    FILES.put(Ranking.class, "rankings.avro");
  }

  private final Path dir;
  private final Map<Class<?>, DataFileWriter<SpecificRecord>> writers = new LinkedHashMap<>();

  private FeedbackLog(Path dir) {
    this.dir = dir;
  }

  /** Opens (creating if needed) the log in a directory and replays what it holds, oldest first. */
  public static FeedbackLog open(Path dir, Consumer<SpecificRecord> replay) {
    try {
      Files.createDirectories(dir);
      FeedbackLog log = new FeedbackLog(dir);
      for (Map.Entry<Class<? extends SpecificRecord>, String> e : FILES.entrySet()) {
        log.openOne(e.getKey(), dir.resolve(e.getValue()).toFile(), replay);
      }
      return log;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open feedback log in " + dir, e);
    }
  }

  private void openOne(Class<? extends SpecificRecord> type, File file, Consumer<SpecificRecord> replay)
      throws IOException {
    Schema schema = schemaOf(type);
    if (file.exists() && file.length() > 0) {
      List<SpecificRecord> good = new ArrayList<>();
      boolean torn = false;
      try (DataFileReader<SpecificRecord> reader = new DataFileReader<>(file, new SpecificDatumReader<>(schema))) {
        while (reader.hasNext()) {
          good.add(reader.next());
        }
      } catch (AvroRuntimeException | IOException e) {
        torn = true;
      }
      good.forEach(replay);
      if (torn) {
        rewrite(file, schema, good);
      }
      DataFileWriter<SpecificRecord> w = new DataFileWriter<>(new SpecificDatumWriter<>(schema));
      writers.put(type, w.appendTo(file));
    } else {
      DataFileWriter<SpecificRecord> w = new DataFileWriter<>(new SpecificDatumWriter<>(schema));
      writers.put(type, w.create(schema, file));
    }
  }

  private static void rewrite(File file, Schema schema, List<SpecificRecord> good) throws IOException {
    File tmp = new File(file.getPath() + ".tmp");
    try (DataFileWriter<SpecificRecord> w = new DataFileWriter<>(new SpecificDatumWriter<SpecificRecord>(schema))) {
      w.create(schema, tmp);
      for (SpecificRecord r : good) {
        w.append(r);
      }
    }
    Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Schema schemaOf(Class<? extends SpecificRecord> type) {
    try {
      return (Schema) type.getMethod("getClassSchema").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("not a generated Avro class: " + type, e);
    }
  }

  public synchronized void append(SpecificRecord record) {
    DataFileWriter<SpecificRecord> w = writers.get(record.getClass());
    if (w == null) {
      throw new IllegalArgumentException("the feedback log does not store " + record.getClass().getSimpleName());
    }
    try {
      w.append(record);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the feedback log in " + dir, e);
    }
  }

  /** Makes every appended record durable (flush and fsync). */
  public synchronized void sync() {
    try {
      for (DataFileWriter<SpecificRecord> w : writers.values()) {
        w.fSync();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync the feedback log in " + dir, e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      for (DataFileWriter<SpecificRecord> w : writers.values()) {
        w.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the feedback log in " + dir, e);
    }
  }
}
