package io.queststream.trainer.feedback;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.schemas.TurnEmbedding;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
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
  /** Per type, the file's length after its last successful sync: a block boundary, everything before it durable. */
  private final Map<Class<?>, Long> syncedLengths = new LinkedHashMap<>();

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
      writers.get(type).fSync();
    }
    syncedLengths.put(type, file.length());
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
      for (Map.Entry<Class<?>, DataFileWriter<SpecificRecord>> e : writers.entrySet()) {
        e.getValue().fSync();
        syncedLengths.put(e.getKey(), fileOf(e.getKey()).length());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync the feedback log in " + dir, e);
    }
  }

  /**
   * After a failed append or sync (a full disk, say), cuts every file back to its last sync and reopens it: what
   * was appended since is gone from the log, and comes back from Kafka, whose offsets were not committed past it.
   * Cutting needs no free space; reopening a file whose header never made it to disk needs a little.
   *
   * @throws UncheckedIOException when the log cannot be reopened yet; call again later
   */
  public synchronized void recover() {
    for (DataFileWriter<SpecificRecord> w : writers.values()) {
      try {
        w.close();
      } catch (IOException | AvroRuntimeException e) {
        // The writer broke on the failed write; its file is cut back below.
      }
    }
    writers.clear();
    try {
      for (Map.Entry<Class<? extends SpecificRecord>, String> e : FILES.entrySet()) {
        File file = dir.resolve(e.getValue()).toFile();
        long synced = syncedLengths.getOrDefault(e.getKey(), 0L);
        DataFileWriter<SpecificRecord> w = new DataFileWriter<>(new SpecificDatumWriter<>(schemaOf(e.getKey())));
        if (synced == 0) {
          Files.deleteIfExists(file.toPath());
          writers.put(e.getKey(), w.create(schemaOf(e.getKey()), file));
          w.fSync();
        } else {
          try (RandomAccessFile cut = new RandomAccessFile(file, "rw")) {
            cut.setLength(synced);
          }
          writers.put(e.getKey(), w.appendTo(file));
        }
        syncedLengths.put(e.getKey(), file.length());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reopen the feedback log in " + dir, e);
    }
  }

  private File fileOf(Class<?> type) {
    return dir.resolve(FILES.get(type)).toFile();
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
