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
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.file.SeekableFileInput;
import org.apache.avro.file.SyncableFileOutputStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The durable training set: every decoded feedback record appended to an Avro container file per type in a local
 * directory. The consumer commits Kafka offsets only after {@link #sync()}, so a crash loses nothing (records after
 * the last sync are delivered again and deduplicated by id). On open, a torn tail from a crash is cut off.
 *
 * <p>Beside the records, the ids of feedback that expired (its UNKNOWN_TURN dead letter committed) are kept one per
 * line, URL-encoded so that no id can add a line of its own; a replay skips them instead of letting them expire
 * again.
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

  private static final String EXPIRED = "expired-feedback.txt";

  private final Path dir;
  private final Map<Class<?>, DataFileWriter<SpecificRecord>> writers = new LinkedHashMap<>();
  private final Map<Class<?>, SyncableFileOutputStream> outputs = new LinkedHashMap<>();
  /** Per type, the file's length after its last successful sync: a block boundary, everything before it durable. */
  private final Map<Class<?>, Long> syncedLengths = new LinkedHashMap<>();

  private FeedbackLog(Path dir) {
    this.dir = dir;
  }

  /** Opens (creating if needed) the log in a directory and replays what it holds, oldest first. */
  public static FeedbackLog open(Path dir, Consumer<SpecificRecord> replay) {
    return open(dir, id -> { }, replay);
  }

  /**
   * Opens (creating if needed) the log in a directory and replays what it holds: first the ids of the feedback that
   * expired, then the records, oldest first.
   */
  public static FeedbackLog open(Path dir, Consumer<String> expired, Consumer<SpecificRecord> replay) {
    try {
      Files.createDirectories(dir);
      FeedbackLog log = new FeedbackLog(dir);
      readExpired(dir.resolve(EXPIRED), expired);
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
      open(type, file, true);
    } else {
      open(type, file, false).fSync();
    }
    syncedLengths.put(type, file.length());
  }

  /** Every complete line (a line cut short by a crash is not an id: it is skipped). */
  private static void readExpired(Path file, Consumer<String> expired) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return;
    }
    for (String line : text.substring(0, end).split("\n", -1)) {
      if (!line.isEmpty()) {
        expired.accept(URLDecoder.decode(line, StandardCharsets.UTF_8));
      }
    }
  }

  /** Records, durably, that these feedback ids expired (their dead letters are committed). */
  public synchronized void markExpired(Collection<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    StringBuilder lines = new StringBuilder();
    for (String id : ids) {
      lines.append(URLEncoder.encode(id, StandardCharsets.UTF_8)).append('\n');
    }
    try (FileChannel out = FileChannel.open(dir.resolve(EXPIRED), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      long before = out.size();
      try {
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        out.position(before);
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      } catch (IOException e) {
        // A part of a line would join the next id written: cut back to whole lines (needs no space).
        out.truncate(before);
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record expired feedback in " + dir, e);
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
    closeAll();
    try {
      for (Map.Entry<Class<? extends SpecificRecord>, String> e : FILES.entrySet()) {
        File file = dir.resolve(e.getValue()).toFile();
        long synced = syncedLengths.getOrDefault(e.getKey(), 0L);
        if (synced == 0) {
          Files.deleteIfExists(file.toPath());
          open(e.getKey(), file, false).fSync();
        } else {
          try (RandomAccessFile cut = new RandomAccessFile(file, "rw")) {
            cut.setLength(synced);
          }
          open(e.getKey(), file, true);
        }
        syncedLengths.put(e.getKey(), file.length());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reopen the feedback log in " + dir, e);
    }
  }

  /**
   * Opens a type's writer on a file of its own opening: a writer that broke on a full disk does not close its file
   * when closed (its flush fails first), so the file is closed here, and on a failed open too.
   */
  private DataFileWriter<SpecificRecord> open(Class<? extends SpecificRecord> type, File file, boolean append)
      throws IOException {
    Schema schema = schemaOf(type);
    DataFileWriter<SpecificRecord> w = new DataFileWriter<>(new SpecificDatumWriter<>(schema));
    SyncableFileOutputStream out = new SyncableFileOutputStream(file, append);
    try {
      if (append) {
        try (SeekableFileInput in = new SeekableFileInput(file)) {
          w.appendTo(in, out);
        }
      } else {
        w.create(schema, out);
      }
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
    outputs.put(type, out);
    writers.put(type, w);
    return w;
  }

  /** Closes every writer, and its file even when the writer cannot flush. */
  private void closeAll() {
    for (DataFileWriter<SpecificRecord> w : writers.values()) {
      try {
        w.close();
      } catch (IOException | AvroRuntimeException e) {
        // The writer broke on a failed write; its file is cut back to its last sync when reopened.
      }
    }
    for (SyncableFileOutputStream out : outputs.values()) {
      try {
        out.close();
      } catch (IOException e) {
        // Nothing unsynced is kept: what the file lacks comes back from Kafka.
      }
    }
    writers.clear();
    outputs.clear();
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
    } finally {
      closeAll();
    }
  }
}
