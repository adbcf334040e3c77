package io.queststream.trainer.embedding;

import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.ScoringRequest;
import io.queststream.trainer.imports.ContentIds;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Embeddings computed once per (backbone, card, history, reply) and kept in a file, so training and evaluation on
 * public data run from the file in seconds instead of re-embedding for tens of minutes.
 *
 * <p>One file per backbone and token limits ({@code <backbone>-<maxTokens>-<budget>.emb}): a header (magic,
 * backbone id, dimension, limits), then fixed-size records (SHA-256 of the request's content, prompt and response
 * token counts, truncation flag, prompt and response embeddings as float32). Records are only ever appended and
 * flushed batch by batch; on open, a torn last record (a run killed mid-write) is cut off, so an interrupted run
 * continues where it stopped. The key covers the rendered content only, not the turn id, so identical requests share
 * one record. A change to how turns are rendered calls for a new file (delete the old one).
 */
public final class EmbeddingCache implements Closeable {

  private static final String MAGIC = "QSEMB01";

  /** One cached embedding. */
  public record Entry(float[] prompt, float[] response, int promptTokens, int responseTokens, boolean truncated) {}

  private final Path file;
  private final int dim;
  private final Map<String, Entry> entries = new HashMap<>();
  private DataOutputStream out;
  private FileOutputStream sink;

  private EmbeddingCache(Path file, int dim) {
    this.file = file;
    this.dim = dim;
  }

  /** Opens (creating if needed) the cache of this backbone under {@code dir} and loads what it holds. */
  public static EmbeddingCache open(Path dir, BackboneInfo backbone, int contextBudget) throws IOException {
    Files.createDirectories(dir);
    String name = backbone.id().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + backbone.maxSequenceTokens() + "-"
        + contextBudget + ".emb";
    EmbeddingCache cache = new EmbeddingCache(dir.resolve(name), backbone.embeddingDim());
    cache.load(backbone, contextBudget);
    return cache;
  }

  public Path file() {
    return file;
  }

  public int size() {
    return entries.size();
  }

  /** The key of a request: a hash of everything the backbone sees (card, history, reply), not of its id. */
  public static String key(ScoringRequest r) {
    List<String> parts = new ArrayList<>();
    if (r.character() != null) {
      parts.add("card");
      parts.add(r.character().name());
      parts.add(r.character().persona());
      parts.add(r.character().scenario());
    }
    for (ChatMessage m : r.history()) {
      parts.add(m.role());
      parts.add(m.text());
    }
    parts.add("reply");
    parts.add(r.response());
    return HexFormat.of().formatHex(ContentIds.sha256(parts.toArray(String[]::new)));
  }

  public Optional<Entry> get(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  public boolean contains(String key) {
    return entries.containsKey(key);
  }

  /** Appends and flushes one batch (call {@link #sync()} to make it durable against a machine crash). */
  public void put(List<String> keys, List<EmbeddedTurn> embedded) throws IOException {
    for (int i = 0; i < keys.size(); i++) {
      EmbeddedTurn e = embedded.get(i);
      if (e.promptEmbedding().length != dim || e.responseEmbedding().length != dim) {
        throw new IllegalArgumentException("embedding of " + e.turnId() + " is not " + dim + "-d");
      }
      if (entries.containsKey(keys.get(i))) {
        continue;
      }
      out.write(HexFormat.of().parseHex(keys.get(i)));
      out.writeInt(e.promptTokens());
      out.writeInt(e.responseTokens());
      out.writeBoolean(e.truncated());
      for (float v : e.promptEmbedding()) {
        out.writeFloat(v);
      }
      for (float v : e.responseEmbedding()) {
        out.writeFloat(v);
      }
      entries.put(keys.get(i), new Entry(e.promptEmbedding(), e.responseEmbedding(), e.promptTokens(),
          e.responseTokens(), e.truncated()));
    }
    out.flush();
  }

  public void sync() throws IOException {
    out.flush();
    sink.getFD().sync();
  }

  private int recordBytes() {
    return 32 + 4 + 4 + 1 + 2 * 4 * dim;
  }

  private void load(BackboneInfo backbone, int contextBudget) throws IOException {
    byte[] header = header(backbone, contextBudget);
    if (!Files.exists(file) || Files.size(file) == 0) {
      Files.write(file, header);
    }
    try (InputStream raw = Files.newInputStream(file);
         DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 20))) {
      String magic = in.readUTF();
      String id = in.readUTF();
      int d = in.readInt();
      int max = in.readInt();
      int budget = in.readInt();
      if (!MAGIC.equals(magic) || !backbone.id().equals(id) || d != dim || max != backbone.maxSequenceTokens()
          || budget != contextBudget) {
        throw new IOException(file + " is not an embedding cache of " + backbone.id() + " (" + dim + "-d, " + max
            + "/" + budget + " tokens)");
      }
      long headerEnd = header.length;
      long whole = (Files.size(file) - headerEnd) / recordBytes();
      byte[] key = new byte[32];
      for (long r = 0; r < whole; r++) {
        in.readFully(key);
        int pt = in.readInt();
        int rt = in.readInt();
        boolean truncated = in.readBoolean();
        float[] p = new float[dim];
        float[] q = new float[dim];
        for (int i = 0; i < dim; i++) {
          p[i] = in.readFloat();
        }
        for (int i = 0; i < dim; i++) {
          q[i] = in.readFloat();
        }
        entries.put(HexFormat.of().formatHex(key), new Entry(p, q, pt, rt, truncated));
      }
      long end = headerEnd + whole * recordBytes();
      if (end < Files.size(file)) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(end);
        }
      }
    } catch (EOFException e) {
      throw new IOException(file + " has a truncated header; delete it to start over", e);
    }
    sink = new FileOutputStream(file.toFile(), true);
    out = new DataOutputStream(new BufferedOutputStream(sink, 1 << 20));
  }

  private byte[] header(BackboneInfo backbone, int contextBudget) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream h = new DataOutputStream(bytes)) {
      h.writeUTF(MAGIC);
      h.writeUTF(backbone.id());
      h.writeInt(dim);
      h.writeInt(backbone.maxSequenceTokens());
      h.writeInt(contextBudget);
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() throws IOException {
    sync();
    out.close();
  }
}
