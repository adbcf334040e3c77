package io.queststream.trainer.embedding;

import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Embeds requests through an {@link EmbeddingCache}: what the cache holds is read, what it lacks is embedded in
 * length-sorted batches (less padding) and appended batch by batch, so an interrupted run resumes. A request the
 * backbone cannot take (too long for its window, nothing to render) never stops the run: it is recorded with its
 * cause, and a batch that fails is retried one request at a time so only the failing requests fail. Failures are
 * not cached; a later run tries them again.
 */
public final class CachedEmbedder {

  /**
   * Embeddings by request id, the cause for every request that could not be embedded, and how many distinct requests
   * this run embedded (the rest came from the cache).
   */
  public record Result(Map<String, EmbeddingCache.Entry> embedded, Map<String, String> failures, int computed,
      double seconds) {}

  private static final long PROGRESS_EVERY_NANOS = 10_000_000_000L;
  private static final long SYNC_EVERY_NANOS = 30_000_000_000L;

  private final RewardScorer scorer;
  private final EmbeddingCache cache;
  private final int batchSize;
  private final PrintStream progress;
  private int computed;

  public CachedEmbedder(RewardScorer scorer, EmbeddingCache cache, int batchSize, PrintStream progress) {
    this.scorer = scorer;
    this.cache = cache;
    this.batchSize = batchSize;
    this.progress = progress;
  }

  public Result embed(List<ScoringRequest> requests) throws IOException {
    long start = System.nanoTime();
    Map<String, String> keyOf = new LinkedHashMap<>();
    Map<String, ScoringRequest> missing = new LinkedHashMap<>();
    for (ScoringRequest r : requests) {
      String k = EmbeddingCache.key(r);
      keyOf.put(r.turnId(), k);
      if (!cache.contains(k)) {
        missing.putIfAbsent(k, r);
      }
    }
    Map<String, String> failedKeys = new LinkedHashMap<>();
    List<Map.Entry<String, ScoringRequest>> todo = screen(missing, failedKeys);
    todo.sort(Comparator.comparingInt(e -> length(e.getValue())));
    int total = todo.size();
    progress.printf("embedding: %d requests, %d distinct, %d cached, %d to embed, %d cannot be embedded (%s)%n",
        requests.size(), new java.util.HashSet<>(keyOf.values()).size(), keyOf.values().stream().distinct()
            .filter(cache::contains).count(), total, failedKeys.size(), cache.file());
    long lastReport = System.nanoTime();
    long lastSync = lastReport;
    int done = 0;
    computed = 0;
    for (int i = 0; i < total; i += batchSize) {
      List<Map.Entry<String, ScoringRequest>> batch = todo.subList(i, Math.min(total, i + batchSize));
      embedBatch(batch, failedKeys);
      done += batch.size();
      long now = System.nanoTime();
      if (now - lastSync > SYNC_EVERY_NANOS) {
        cache.sync();
        lastSync = now;
      }
      if (now - lastReport > PROGRESS_EVERY_NANOS || done == total) {
        double secs = (now - start) / 1e9;
        double rate = done / secs;
        progress.printf("  embedded %d/%d (%.1f turns/s, ETA %s)%n", done, total, rate,
            eta(rate > 0 ? (total - done) / rate : 0));
        lastReport = now;
      }
    }
    cache.sync();
    Map<String, EmbeddingCache.Entry> embedded = new LinkedHashMap<>();
    Map<String, String> failures = new LinkedHashMap<>();
    keyOf.forEach((turnId, k) -> {
      EmbeddingCache.Entry e = cache.get(k).orElse(null);
      if (e != null) {
        embedded.put(turnId, e);
      } else {
        failures.put(turnId, failedKeys.getOrDefault(k, "not embedded"));
      }
    });
    return new Result(embedded, failures, computed, (System.nanoTime() - start) / 1e9);
  }

  /** Requests the tokenizer already rejects (too long, nothing to render) fail here without a device round trip. */
  private List<Map.Entry<String, ScoringRequest>> screen(Map<String, ScoringRequest> missing,
      Map<String, String> failedKeys) {
    int max = scorer.backbone().maxSequenceTokens();
    List<Map.Entry<String, ScoringRequest>> ok = new ArrayList<>();
    for (Map.Entry<String, ScoringRequest> e : missing.entrySet()) {
      try {
        int tokens = scorer.tokenCount(e.getValue());
        if (tokens > max) {
          failedKeys.put(e.getKey(), "too long: needs " + tokens + " tokens with all history dropped; the backbone "
              + "takes " + max);
          continue;
        }
      } catch (IllegalArgumentException ex) {
        failedKeys.put(e.getKey(), "cannot render: " + ex.getMessage());
        continue;
      }
      ok.add(e);
    }
    return ok;
  }

  private void embedBatch(List<Map.Entry<String, ScoringRequest>> batch, Map<String, String> failedKeys)
      throws IOException {
    try {
      cache.put(batch.stream().map(Map.Entry::getKey).toList(),
          scorer.embed(batch.stream().map(Map.Entry::getValue).toList()));
      computed += batch.size();
    } catch (ScoringException batchFailed) {
      for (Map.Entry<String, ScoringRequest> one : batch) {
        try {
          List<EmbeddedTurn> e = scorer.embed(List.of(one.getValue()));
          cache.put(List.of(one.getKey()), e);
          computed++;
        } catch (ScoringException ex) {
          failedKeys.put(one.getKey(), ex.getMessage());
        }
      }
    }
  }

  private static int length(ScoringRequest r) {
    int n = r.response().length();
    for (var m : r.history()) {
      n += m.text().length();
    }
    if (r.character() != null) {
      n += String.valueOf(r.character().persona()).length() + String.valueOf(r.character().scenario()).length();
    }
    return n;
  }

  private static String eta(double seconds) {
    long s = Math.round(seconds);
    return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
