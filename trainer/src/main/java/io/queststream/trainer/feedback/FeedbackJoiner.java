package io.queststream.trainer.feedback;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.dataset.TurnRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates feedback and joins it to turn embeddings by turn id, whichever arrives first. Feedback that names a turn
 * not seen yet waits up to a grace period, then goes to the dead letters as UNKNOWN_TURN. Repeated records (same
 * rating, pair, ranking or turn id) are ignored, so at-least-once delivery trains each record once.
 */
public final class FeedbackJoiner {

  private final TrainingSet set;
  private final String backboneId;
  private final DeadLetters deadLetters;
  private final Duration grace;
  private final Set<String> seen = new HashSet<>();
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private long accepted;

  private record Pending(String id, Object record, SourceRecord source, long arrivedAtMillis, List<String> turns) {}

  /**
   * @param backboneId the backbone whose embeddings the trainer trains on; embeddings from any other backbone are
   *     rejected even when their dimension matches, since the heads would be fitted to a different vector space
   */
  public FeedbackJoiner(TrainingSet set, String backboneId, DeadLetters deadLetters, Duration grace) {
    this.set = set;
    this.backboneId = backboneId;
    this.deadLetters = deadLetters;
    this.grace = grace;
  }

  /** Feedback records joined into the training set so far (the retrain trigger counts these). */
  public synchronized long accepted() {
    return accepted;
  }

  public synchronized int pendingCount() {
    return pending.size();
  }

  public synchronized void onRecord(Object record, SourceRecord source, long nowMillis) {
    if (record instanceof TurnEmbedding e) {
      onEmbedding(e, source);
    } else if (record instanceof AttributeRating r) {
      onRating(r, source, nowMillis);
    } else if (record instanceof PreferencePair p) {
      onPair(p, source, nowMillis);
    } else if (record instanceof Ranking r) {
      onRanking(r, source, nowMillis);
    } else {
      deadLetters.reject(source, RejectionCause.UNEXPECTED_TYPE,
          "no feedback handler for " + (record == null ? "null" : record.getClass().getName()));
    }
  }

  private void onEmbedding(TurnEmbedding e, SourceRecord source) {
    String id = e.getTurnId().toString();
    if (!seen.add("turn:" + id)) {
      return;
    }
    if (!backboneId.equals(e.getBackboneId())) {
      deadLetters.reject(source, RejectionCause.BACKBONE_MISMATCH, "turn " + id + " was embedded by backbone '"
          + e.getBackboneId() + "' (" + e.getEmbeddingDim() + "-d), the trainer trains on '" + backboneId + "' ("
          + set.dim() + "-d)");
      return;
    }
    if (e.getEmbeddingDim() != set.dim()) {
      deadLetters.reject(source, RejectionCause.DIMENSION_MISMATCH,
          "turn " + id + " has " + e.getEmbeddingDim() + "-d embeddings, the trainer uses " + set.dim());
      return;
    }
    TurnRecord turn;
    try {
      turn = TurnRecord.of(e);
    } catch (IllegalArgumentException ex) {
      deadLetters.reject(source, RejectionCause.DIMENSION_MISMATCH, "turn " + id + ": " + ex.getMessage());
      return;
    }
    if (turn.prompt().length != set.dim() || turn.response().length != set.dim() || !finite(turn.prompt())
        || !finite(turn.response())) {
      deadLetters.reject(source, RejectionCause.NOT_A_NUMBER,
          "turn " + id + " embeddings are not finite " + set.dim() + "-d vectors");
      return;
    }
    set.addTurn(turn);
    release();
  }

  private void onRating(AttributeRating r, SourceRecord source, long now) {
    String id = "rating:" + r.getRatingId();
    if (seen.contains(id)) {
      return;
    }
    float min = r.getScaleMin();
    float max = r.getScaleMax();
    if (!Float.isFinite(min) || !Float.isFinite(max) || !(max > min)) {
      reject(id, source, RejectionCause.INVALID_SCALE, "rating " + r.getRatingId() + " has scale [" + min + ", "
          + max + "]");
      return;
    }
    if (r.getRatings().isEmpty()) {
      reject(id, source, RejectionCause.EMPTY_FEEDBACK, "rating " + r.getRatingId() + " rates no attribute");
      return;
    }
    List<String> attributes = set.attributes();
    double[] labels = new double[attributes.size()];
    java.util.Arrays.fill(labels, Double.NaN);
    for (Map.Entry<String, Float> e : r.getRatings().entrySet()) {
      String name = e.getKey();
      float v = e.getValue();
      if (Float.isNaN(v) || Float.isInfinite(v)) {
        reject(id, source, RejectionCause.NOT_A_NUMBER, "rating " + r.getRatingId() + " gives " + name + " = " + v);
        return;
      }
      if (v < min || v > max) {
        reject(id, source, RejectionCause.RATING_OUT_OF_SCALE, "rating " + r.getRatingId() + " gives " + name + " = "
            + v + " outside [" + min + ", " + max + "]");
        return;
      }
      int a = attributes.indexOf(name);
      if (a < 0) {
        reject(id, source, RejectionCause.UNKNOWN_ATTRIBUTE, "rating " + r.getRatingId() + " rates unknown attribute '"
            + name + "'; known: " + attributes);
        return;
      }
      labels[a] = ((double) v - min) / ((double) max - min);
    }
    String turn = r.getTurnId().toString();
    seen.add(id);
    if (set.hasTurn(turn)) {
      set.addRating(r.getRatingId().toString(), turn, labels);
      accepted++;
    } else {
      pending.put(id, new Pending(id, new PendingRating(r.getRatingId().toString(), turn, labels), source, now,
          List.of(turn)));
    }
  }

  private record PendingRating(String ratingId, String turnId, double[] labels) {}

  private record PendingPairs(List<String[]> pairs, float weight, List<String> rankingBestFirst) {}

  private void onPair(PreferencePair p, SourceRecord source, long now) {
    String id = "pair:" + p.getPairId();
    if (seen.contains(id)) {
      return;
    }
    String chosen = p.getChosenTurnId().toString();
    String rejected = p.getRejectedTurnId().toString();
    if (chosen.equals(rejected)) {
      reject(id, source, RejectionCause.SAME_TURN_TWICE, "pair " + p.getPairId() + " prefers turn " + chosen
          + " over itself");
      return;
    }
    float w = p.getWeight();
    if (!Float.isFinite(w) || !(w > 0)) {
      reject(id, source, Float.isNaN(w) ? RejectionCause.NOT_A_NUMBER : RejectionCause.INVALID_WEIGHT,
          "pair " + p.getPairId() + " has weight " + w);
      return;
    }
    seen.add(id);
    admit(id, new PendingPairs(List.<String[]>of(new String[] {chosen, rejected}), w, null), source, now,
        List.of(chosen, rejected));
  }

  private void onRanking(Ranking r, SourceRecord source, long now) {
    String id = "ranking:" + r.getRankingId();
    if (seen.contains(id)) {
      return;
    }
    List<String> order = r.getTurnIdsBestFirst().stream().map(CharSequence::toString).toList();
    if (order.size() < 2) {
      reject(id, source, RejectionCause.EMPTY_FEEDBACK, "ranking " + r.getRankingId() + " orders fewer than 2 turns");
      return;
    }
    if (new HashSet<>(order).size() != order.size()) {
      reject(id, source, RejectionCause.SAME_TURN_TWICE, "ranking " + r.getRankingId() + " lists a turn twice");
      return;
    }
    // A ranking of N implies N(N-1)/2 pairs: every better/worse combination.
    List<String[]> implied = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      for (int j = i + 1; j < order.size(); j++) {
        implied.add(new String[] {order.get(i), order.get(j)});
      }
    }
    seen.add(id);
    admit(id, new PendingPairs(implied, 1f, order), source, now, order);
  }

  private void admit(String id, PendingPairs pairs, SourceRecord source, long now, List<String> turns) {
    if (turns.stream().allMatch(set::hasTurn)) {
      apply(pairs);
    } else {
      pending.put(id, new Pending(id, pairs, source, now, turns));
    }
  }

  private void apply(Object record) {
    if (record instanceof PendingRating r) {
      set.addRating(r.ratingId(), r.turnId(), r.labels());
    } else if (record instanceof PendingPairs p) {
      for (String[] pair : p.pairs()) {
        set.addPreference(pair[0], pair[1], p.weight());
      }
      if (p.rankingBestFirst() != null) {
        set.addRanking(p.rankingBestFirst());
      }
    }
    accepted++;
  }

  private void release() {
    Iterator<Pending> it = pending.values().iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (p.turns().stream().allMatch(set::hasTurn)) {
        it.remove();
        apply(p.record());
      }
    }
  }

  /** Rejects feedback that has waited longer than the grace period for its turns' embeddings. */
  public synchronized void expire(long nowMillis) {
    Iterator<Pending> it = pending.values().iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (nowMillis - p.arrivedAtMillis() >= grace.toMillis()) {
        it.remove();
        List<String> missing = p.turns().stream().filter(t -> !set.hasTurn(t)).toList();
        deadLetters.reject(p.source(), RejectionCause.UNKNOWN_TURN, p.id() + " names turns with no embedding after "
            + grace + ": " + missing);
      }
    }
  }

  private void reject(String id, SourceRecord source, RejectionCause cause, String message) {
    seen.add(id);
    deadLetters.reject(source, cause, message);
  }

  private static boolean finite(float[] v) {
    for (float x : v) {
      if (!Float.isFinite(x)) {
        return false;
      }
    }
    return true;
  }
}
