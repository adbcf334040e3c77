package io.queststream.trainer.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.schemas.RewardHeads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Local history next to the reward-weights topic: a JSON-lines file of every published version and rejected
 * candidate, and each published version's weights as an Avro file (so rollback works even after compaction).
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
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create history directory " + dir, e);
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

  public long latestVersion() {
    return entries().stream().mapToLong(HistoryEntry::version).max().orElse(0);
  }

  /** Stores a version's weights; returns the file name relative to the history directory. */
  public String saveWeights(RewardHeads heads) {
    String name = "weights/" + heads.getModelName() + "-v" + heads.getVersion() + ".avro";
    write(heads, dir.resolve(name));
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
