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
import java.util.Optional;
import java.util.Set;

/**
 * Validates feedback and joins it to turn embeddings by turn id, whichever arrives first. Feedback that names a turn
 * not seen yet waits up to a grace period, then {@link #expire expires} (an UNKNOWN_TURN dead letter). Repeated valid
 * records (same rating, pair, ranking or turn id) are ignored, so at-least-once delivery trains each record once.
 *
 * <p>Validation ({@link #check}) depends on the record alone and leaves no trace: a rejected record is not
 * remembered, so a record delivered again after a rewind is rejected again and its dead letter written again, with
 * the offsets, in the consumer's next transaction.
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

  /** Takes a record: rejects it (to the dead letters given at construction) when {@link #check} fails. */
  public synchronized void onRecord(Object record, SourceRecord source, long nowMillis) {
    Optional<Rejection> rejection = check(record);
    if (rejection.isPresent()) {
      deadLetters.reject(source, rejection.get().cause(), rejection.get().message());
      return;
    }
    if (record instanceof TurnEmbedding e) {
      onEmbedding(e, source);
    } else if (record instanceof AttributeRating r) {
      onRating(r, source, nowMillis);
    } else if (record instanceof PreferencePair p) {
      onPair(p, source, nowMillis);
    } else if (record instanceof Ranking r) {
      onRanking(r, source, nowMillis);
    }
  }

  /** Why a record cannot be used, judged on the record alone; empty when it can. */
  public Optional<Rejection> check(Object record) {
    if (record instanceof TurnEmbedding e) {
      return checkEmbedding(e);
    } else if (record instanceof AttributeRating r) {
      return checkRating(r);
    } else if (record instanceof PreferencePair p) {
      return checkPair(p);
    } else if (record instanceof Ranking r) {
      return checkRanking(r);
    }
    return reject(RejectionCause.UNEXPECTED_TYPE,
        "no feedback handler for " + (record == null ? "null" : record.getClass().getName()));
  }

  /** Whether a record with this id ({@link #idOf}) was taken before: taking it again changes nothing. */
  public synchronized boolean seen(String id) {
    return id != null && seen.contains(id);
  }

  /**
   * The id under which a record is deduplicated, its kind and its own id ("turn:", "rating:", "pair:" or
   * "ranking:"), or null for what is not feedback.
   */
  static String idOf(Object record) {
    if (record instanceof TurnEmbedding e) {
      return "turn:" + e.getTurnId();
    } else if (record instanceof AttributeRating r) {
      return "rating:" + r.getRatingId();
    } else if (record instanceof PreferencePair p) {
      return "pair:" + p.getPairId();
    } else if (record instanceof Ranking r) {
      return "ranking:" + r.getRankingId();
    }
    return null;
  }

  /**
   * Feedback whose grace period ran out settled earlier (its dead letter was written): replayed from the log, it
   * is ignored rather than waiting and expiring again.
   */
  public synchronized void settled(String feedbackId) {
    seen.add(feedbackId);
  }

  private Optional<Rejection> checkEmbedding(TurnEmbedding e) {
    String id = e.getTurnId().toString();
    if (!backboneId.equals(e.getBackboneId())) {
      return reject(RejectionCause.BACKBONE_MISMATCH, "turn " + id + " was embedded by backbone '"
          + e.getBackboneId() + "' (" + e.getEmbeddingDim() + "-d), the trainer trains on '" + backboneId + "' ("
          + set.dim() + "-d)");
    }
    if (e.getEmbeddingDim() != set.dim()) {
      return reject(RejectionCause.DIMENSION_MISMATCH,
          "turn " + id + " has " + e.getEmbeddingDim() + "-d embeddings, the trainer uses " + set.dim());
    }
    TurnRecord turn;
    try {
      turn = TurnRecord.of(e);
    } catch (IllegalArgumentException ex) {
      return reject(RejectionCause.DIMENSION_MISMATCH, "turn " + id + ": " + ex.getMessage());
    }
    if (turn.prompt().length != set.dim() || turn.response().length != set.dim() || !finite(turn.prompt())
        || !finite(turn.response())) {
      return reject(RejectionCause.NOT_A_NUMBER,
          "turn " + id + " embeddings are not finite " + set.dim() + "-d vectors");
    }
    return Optional.empty();
  }

  private void onEmbedding(TurnEmbedding e, SourceRecord source) {
    if (!seen.add(idOf(e))) {
      return;
    }
    set.addTurn(TurnRecord.of(e));
    release();
  }

  private Optional<Rejection> checkRating(AttributeRating r) {
    float min = r.getScaleMin();
    float max = r.getScaleMax();
    if (!Float.isFinite(min) || !Float.isFinite(max) || !(max > min)) {
      return reject(RejectionCause.INVALID_SCALE, "rating " + r.getRatingId() + " has scale [" + min + ", " + max
          + "]");
    }
    if (r.getRatings().isEmpty()) {
      return reject(RejectionCause.EMPTY_FEEDBACK, "rating " + r.getRatingId() + " rates no attribute");
    }
    List<String> attributes = set.attributes();
    for (Map.Entry<String, Float> e : r.getRatings().entrySet()) {
      String name = e.getKey();
      float v = e.getValue();
      if (Float.isNaN(v) || Float.isInfinite(v)) {
        return reject(RejectionCause.NOT_A_NUMBER, "rating " + r.getRatingId() + " gives " + name + " = " + v);
      }
      if (v < min || v > max) {
        return reject(RejectionCause.RATING_OUT_OF_SCALE, "rating " + r.getRatingId() + " gives " + name + " = " + v
            + " outside [" + min + ", " + max + "]");
      }
      if (!attributes.contains(name)) {
        return reject(RejectionCause.UNKNOWN_ATTRIBUTE, "rating " + r.getRatingId() + " rates unknown attribute '"
            + name + "'; known: " + attributes);
      }
    }
    return Optional.empty();
  }

  private void onRating(AttributeRating r, SourceRecord source, long now) {
    String id = idOf(r);
    if (!seen.add(id)) {
      return;
    }
    List<String> attributes = set.attributes();
    double[] labels = new double[attributes.size()];
    java.util.Arrays.fill(labels, Double.NaN);
    double min = r.getScaleMin();
    double max = r.getScaleMax();
    for (Map.Entry<String, Float> e : r.getRatings().entrySet()) {
      labels[attributes.indexOf(e.getKey())] = (e.getValue() - min) / (max - min);
    }
    String turn = r.getTurnId().toString();
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

  private Optional<Rejection> checkPair(PreferencePair p) {
    String chosen = p.getChosenTurnId().toString();
    if (chosen.equals(p.getRejectedTurnId().toString())) {
      return reject(RejectionCause.SAME_TURN_TWICE, "pair " + p.getPairId() + " prefers turn " + chosen
          + " over itself");
    }
    float w = p.getWeight();
    if (!Float.isFinite(w) || !(w > 0)) {
      return reject(Float.isNaN(w) ? RejectionCause.NOT_A_NUMBER : RejectionCause.INVALID_WEIGHT,
          "pair " + p.getPairId() + " has weight " + w);
    }
    return Optional.empty();
  }

  private void onPair(PreferencePair p, SourceRecord source, long now) {
    String id = idOf(p);
    if (!seen.add(id)) {
      return;
    }
    String chosen = p.getChosenTurnId().toString();
    String rejected = p.getRejectedTurnId().toString();
    admit(id, new PendingPairs(List.<String[]>of(new String[] {chosen, rejected}), p.getWeight(), null), source, now,
        List.of(chosen, rejected));
  }

  private Optional<Rejection> checkRanking(Ranking r) {
    List<? extends CharSequence> order = r.getTurnIdsBestFirst();
    if (order.size() < 2) {
      return reject(RejectionCause.EMPTY_FEEDBACK, "ranking " + r.getRankingId() + " orders fewer than 2 turns");
    }
    if (order.stream().map(CharSequence::toString).distinct().count() != order.size()) {
      return reject(RejectionCause.SAME_TURN_TWICE, "ranking " + r.getRankingId() + " lists a turn twice");
    }
    return Optional.empty();
  }

  private void onRanking(Ranking r, SourceRecord source, long now) {
    String id = idOf(r);
    if (!seen.add(id)) {
      return;
    }
    List<String> order = r.getTurnIdsBestFirst().stream().map(CharSequence::toString).toList();
    // A ranking of N implies N(N-1)/2 pairs: every better/worse combination.
    List<String[]> implied = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      for (int j = i + 1; j < order.size(); j++) {
        implied.add(new String[] {order.get(i), order.get(j)});
      }
    }
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

  /**
   * Takes out the feedback that has waited longer than the grace period for its turns' embeddings. The caller
   * dead-letters each (UNKNOWN_TURN) and, once that is committed, records it as {@link #settled} in the log.
   */
  public synchronized List<Expiry> expire(long nowMillis) {
    List<Expiry> expired = new ArrayList<>();
    Iterator<Pending> it = pending.values().iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (nowMillis - p.arrivedAtMillis() >= grace.toMillis()) {
        it.remove();
        List<String> missing = p.turns().stream().filter(t -> !set.hasTurn(t)).toList();
        expired.add(new Expiry(p.id(), p.source(), p.id() + " names turns with no embedding after " + grace + ": "
            + missing));
      }
    }
    return expired;
  }

  private static Optional<Rejection> reject(RejectionCause cause, String message) {
    return Optional.of(new Rejection(cause, message));
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
