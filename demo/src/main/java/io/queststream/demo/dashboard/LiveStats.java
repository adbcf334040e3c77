package io.queststream.demo.dashboard;

import io.queststream.schemas.AttributeScore;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.TurnScore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard shows, folded from the output topics as records arrive. Synchronized: one consumer thread
 * writes, HTTP threads read snapshots.
 */
final class LiveStats {

  private static final int LATENCY_WINDOW = 5_000;
  private static final int FEED_SIZE = 50;
  private static final int HISTOGRAM_BINS = 10;

  private final Deque<Long> scoreTimes = new ArrayDeque<>();
  private final long[] latencies = new long[LATENCY_WINDOW];
  private final Map<Integer, Long> batchSizes = new TreeMap<>();
  private final Map<String, long[]> attributeHistograms = new LinkedHashMap<>();
  private final Deque<Map<String, Object>> moderationFeed = new ArrayDeque<>();
  private final Deque<Map<String, Object>> recentScores = new ArrayDeque<>();
  private final Deque<Map<String, Object>> dlqFeed = new ArrayDeque<>();
  /** Weights records by position on the weights topic ("partition@offset"), in the order they were read. */
  private final Map<String, Map<String, Object>> weightVersions = new LinkedHashMap<>();
  /** Rejections of weights records, by the position the dead letter names. */
  private final Map<String, Map<String, Object>> weightRejections = new LinkedHashMap<>();
  private final Map<String, Long> dlqByCause = new TreeMap<>();
  private long latencyCount;
  private long scores;
  private long moderated;
  private long dlq;
  private float scaleMin = 1;
  private float scaleMax = 10;
  private String currentWeights = "none yet";

  synchronized void onScore(TurnScore s, long now) {
    scores++;
    scoreTimes.addLast(now);
    while (!scoreTimes.isEmpty() && scoreTimes.peekFirst() < now - 60_000) {
      scoreTimes.removeFirst();
    }
    latencies[(int) (latencyCount++ % LATENCY_WINDOW)] = s.getEndToEndLatencyMs();
    batchSizes.merge(s.getBatchSize(), 1L, Long::sum);
    scaleMin = s.getScaleMin();
    scaleMax = s.getScaleMax();
    for (AttributeScore a : s.getAttributes()) {
      long[] bins = attributeHistograms.computeIfAbsent(a.getAttribute(), k -> new long[HISTOGRAM_BINS]);
      double t = (a.getRewardOnScale() - scaleMin) / (scaleMax - scaleMin);
      bins[Math.max(0, Math.min(HISTOGRAM_BINS - 1, (int) Math.floor(t * HISTOGRAM_BINS)))]++;
    }
    currentWeights = s.getWeightsModel() + " v" + s.getWeightsVersion();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("turnId", s.getTurnId());
    row.put("conversationId", s.getConversationId());
    row.put("characterId", s.getCharacterId());
    row.put("policyModel", s.getPolicyModel());
    row.put("score", s.getScore());
    row.put("weightsVersion", s.getWeightsVersion());
    row.put("latencyMs", s.getEndToEndLatencyMs());
    row.put("batchSize", s.getBatchSize());
    row.put("topK", s.getTopK().stream().map(e -> Map.of(
        "attribute", e.getAttribute(), "coefficient", e.getCoefficient(), "contribution", e.getContribution()))
        .toList());
    push(recentScores, row);
  }

  synchronized void onModeration(ModerationEvent e) {
    moderated++;
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("turnId", e.getTurnId());
    row.put("characterId", e.getCharacterId());
    row.put("policyModel", e.getPolicyModel());
    row.put("score", e.getScore());
    row.put("excerpt", e.getTextExcerpt());
    row.put("violations", e.getViolations().stream().map(v -> Map.of(
        "rule", v.getRule(), "value", v.getValue(), "threshold", v.getThreshold())).toList());
    row.put("topK", e.getTopK().stream().map(x -> Map.of(
        "attribute", x.getAttribute(), "contribution", x.getContribution())).toList());
    push(moderationFeed, row);
  }

  synchronized void onDeadLetter(String cause, String message, String sourceTopic) {
    dlq++;
    dlqByCause.merge(cause, 1L, Long::sum);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("cause", cause);
    row.put("message", message);
    row.put("topic", sourceTopic);
    push(dlqFeed, row);
  }

  /** A record read from the weights topic: shown as accepted unless a rejection names its position. */
  synchronized void onWeights(RewardHeads h, String position) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("position", position);
    row.put("model", h.getModelName());
    row.put("version", h.getVersion());
    row.put("parent", h.getParentVersion());
    row.put("status", h.getStatus());
    row.put("backbone", h.getBackboneId());
    row.put("signedBy", h.getSignatureKeyId());
    row.put("createdAt", h.getCreatedAt().toString());
    row.put("metrics", new TreeMap<>(h.getMetrics()));
    weightVersions.put(position, row);
  }

  /** A scorer rejected the weights record at this position (instances may report the same record more than once). */
  synchronized void onWeightsRejected(String position, String reason, String message) {
    Map<String, Object> rejection = new LinkedHashMap<>();
    rejection.put("reason", reason);
    rejection.put("message", message);
    weightRejections.put(position, rejection);
  }

  private List<Map<String, Object>> weightRows() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> e : weightVersions.entrySet()) {
      Map<String, Object> row = new LinkedHashMap<>(e.getValue());
      Map<String, Object> rejection = weightRejections.get(e.getKey());
      row.put("verdict", rejection == null ? "accepted" : "rejected");
      if (rejection != null) {
        row.putAll(rejection);
      }
      rows.add(row);
    }
    weightRejections.forEach((position, rejection) -> {
      if (!weightVersions.containsKey(position)) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("position", position);
        row.put("verdict", "rejected");
        row.putAll(rejection);
        rows.add(row);
      }
    });
    return rows;
  }

  synchronized Map<String, Object> snapshot(long now) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scores", scores);
    out.put("scoresPerSecond10s", ratePerSecond(now, 10_000));
    out.put("scoresPerSecond60s", ratePerSecond(now, 60_000));
    out.put("latencyMs", percentiles());
    out.put("batchSizes", new TreeMap<>(batchSizes));
    out.put("moderated", moderated);
    out.put("moderationRate", scores == 0 ? 0.0 : (double) moderated / scores);
    out.put("dlq", dlq);
    out.put("dlqByCause", new TreeMap<>(dlqByCause));
    out.put("scale", List.of(scaleMin, scaleMax));
    Map<String, Object> hist = new LinkedHashMap<>();
    attributeHistograms.forEach((k, v) -> hist.put(k, Arrays.stream(v).boxed().toList()));
    out.put("attributeHistograms", hist);
    out.put("currentWeights", currentWeights);
    out.put("weightVersions", weightRows());
    out.put("recentScores", new ArrayList<>(recentScores));
    out.put("moderationFeed", new ArrayList<>(moderationFeed));
    out.put("dlqFeed", new ArrayList<>(dlqFeed));
    return out;
  }

  private double ratePerSecond(long now, long windowMs) {
    long n = scoreTimes.stream().filter(t -> t >= now - windowMs).count();
    return n * 1000.0 / windowMs;
  }

  private Map<String, Long> percentiles() {
    int n = (int) Math.min(latencyCount, LATENCY_WINDOW);
    Map<String, Long> p = new LinkedHashMap<>();
    if (n == 0) {
      return p;
    }
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    p.put("p50", sorted[(int) Math.ceil(0.50 * n) - 1]);
    p.put("p95", sorted[(int) Math.ceil(0.95 * n) - 1]);
    p.put("p99", sorted[(int) Math.ceil(0.99 * n) - 1]);
    p.put("max", sorted[n - 1]);
    return p;
  }

  private static void push(Deque<Map<String, Object>> feed, Map<String, Object> row) {
    feed.addFirst(row);
    while (feed.size() > FEED_SIZE) {
      feed.removeLast();
    }
  }
}
