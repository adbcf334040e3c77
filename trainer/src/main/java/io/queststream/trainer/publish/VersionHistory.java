package io.queststream.trainer.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.schemas.RewardHeads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Local history next to the reward-weights topic: a JSON-lines file of every published version and rejected
 * candidate, and each published version's weights as an Avro file (so rollback works even after compaction).
 *
 * <p>A version is committed to the topic before it is recorded here, so a crash in between leaves the topic one
 * version ahead; {@link #recordCommitted(List)} catches up from the topic on the next start. A line torn by a crash
 * is cut off when the history is opened.
 */
public final class VersionHistory {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Path file;

  public VersionHistory(Path dir) {
    this.dir = dir;
    this.file = dir.resolve("history.jsonl");
    try {
      Files.createDirectories(dir.resolve("weights"));
      cutTornLine();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open history directory " + dir, e);
    }
  }

  /** Drops a last line without its newline: an append the process did not finish. */
  private void cutTornLine() throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long keep = size;
      ByteBuffer one = ByteBuffer.allocate(1);
      while (keep > 0) {
        one.clear();
        ch.read(one, keep - 1);
        if (one.get(0) == '\n') {
          break;
        }
        keep--;
      }
      if (keep < size) {
        ch.truncate(keep);
        ch.force(true);
      }
    }
  }

  public synchronized List<HistoryEntry> entries() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<HistoryEntry> out = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(JSON.readValue(line, HistoryEntry.class));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read history " + file, e);
    }
  }

  public synchronized void append(HistoryEntry entry) {
    try {
      Files.writeString(file, JSON.writeValueAsString(entry) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to history " + file, e);
    }
  }

  /**
   * Records every committed version the history lacks (committed by an incarnation that died before recording it,
   * or by another machine's trainer); returns how many were added.
   */
  /** Statuses of entries whose version has not served (yet): a shadowed candidate, a discarded one. */
  private static final Set<String> NOT_SERVED = Set.of("candidate", "discarded");

  public synchronized int recordCommitted(List<RewardHeads> committed) {
    Set<Long> known = entries().stream().filter(e -> e.version() > 0 && !NOT_SERVED.contains(e.status()))
        .map(HistoryEntry::version)
        .collect(Collectors.toSet());
    int added = 0;
    for (RewardHeads heads : committed) {
      if (known.add(heads.getVersion())) {
        String weightsFile = saveWeights(heads);
        append(new HistoryEntry(heads.getVersion(), heads.getParentVersion(), heads.getStatus(),
            heads.getCreatedAt().toEpochMilli(), Map.copyOf(heads.getMetrics()), Map.copyOf(heads.getTrainingSummary()),
            List.of("recorded from the weights topic"), weightsFile));
        added++;
      }
    }
    return added;
  }

  /** Stores a version's weights; returns the file name relative to the history directory. */
  public String saveWeights(RewardHeads heads) {
    String name = "weights/" + heads.getModelName() + "-v" + heads.getVersion() + ".avro";
    Path tmp = dir.resolve(name + ".tmp");
    write(heads, tmp);
    try {
      Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store weights as " + dir.resolve(name), e);
    }
    return name;
  }

  public Optional<RewardHeads> weights(long version) {
    return entries().stream().filter(e -> e.version() == version && e.weightsFile() != null).reduce((a, b) -> b)
        .map(e -> read(dir.resolve(e.weightsFile())));
  }

  public static void write(RewardHeads heads, Path path) {
    try (DataFileWriter<RewardHeads> w = new DataFileWriter<>(new SpecificDatumWriter<>(RewardHeads.class))) {
      w.create(RewardHeads.getClassSchema(), path.toFile());
      w.append(heads);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write weights to " + path, e);
    }
  }

  public static RewardHeads read(Path path) {
    try (DataFileReader<RewardHeads> r = new DataFileReader<>(path.toFile(),
        new SpecificDatumReader<>(RewardHeads.class))) {
      if (!r.hasNext()) {
        throw new IllegalArgumentException(path + " holds no weights record");
      }
      return r.next();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read weights from " + path, e);
    }
  }
}
