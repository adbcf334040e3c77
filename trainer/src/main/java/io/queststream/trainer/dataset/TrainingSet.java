package io.queststream.trainer.dataset;

import io.queststream.trainer.eval.HeldOutSet;
import io.queststream.trainer.ridge.RidgeDataset;
import io.queststream.trainer.ridge.SplitAssigner;
import io.queststream.trainer.training.ReferenceSet;
import io.queststream.trainer.training.TrainingPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joined feedback: turns with their embeddings, ratings and preferences, split once by context into a training side
 * and a held-out side. Ratings feed stage 1 as one row per rating, which makes least squares fit the count-weighted
 * average when raters disagree, and keeps the sufficient statistics incremental. Preferences between the same two
 * turns are tallied in both directions and train in the majority direction with the net weight.
 */
public final class TrainingSet {

  private final List<String> attributes;
  private final SplitAssigner heldOutSplit;
  private final RidgeDataset ridge;
  private final Map<String, TurnRecord> turns = new LinkedHashMap<>();
  private final Map<String, double[][]> heldOutRatings = new HashMap<>();
  private final Map<String, PairTally> pairs = new LinkedHashMap<>();
  private final List<List<String>> heldOutRankings = new ArrayList<>();
  private long ratingCount;

  private static final class PairTally {
    final String first;
    final String second;
    double firstWins;
    double secondWins;

    PairTally(String first, String second) {
      this.first = first;
      this.second = second;
    }
  }

  public TrainingSet(List<String> attributes, int dim, long seed, double heldOutFraction) {
    this.attributes = List.copyOf(attributes);
    this.heldOutSplit = heldOutSplit(seed, heldOutFraction);
    this.ridge = new RidgeDataset(dim, attributes.size(), new SplitAssigner(seed, 0.2));
  }

  /** The held-out split by context key, for anyone who must place data on the same side as the trainer does. */
  public static SplitAssigner heldOutSplit(long seed, double heldOutFraction) {
    return new SplitAssigner(seed ^ 0x5eedL, heldOutFraction);
  }

  public synchronized List<String> attributes() {
    return attributes;
  }

  public synchronized int dim() {
    return ridge.dim();
  }

  public synchronized boolean hasTurn(String turnId) {
    return turns.containsKey(turnId);
  }

  public synchronized TurnRecord turn(String turnId) {
    return turns.get(turnId);
  }

  public synchronized void addTurn(TurnRecord t) {
    turns.putIfAbsent(t.turnId(), t);
  }

  public boolean isHeldOut(TurnRecord t) {
    return heldOutSplit.isValidation(t.contextKey());
  }

  /** One rating of a known turn, labels already on [0,1] (NaN = attribute not rated). */
  public synchronized void addRating(String ratingId, String turnId, double[] labels) {
    TurnRecord t = turns.get(turnId);
    if (isHeldOut(t)) {
      double[][] sumCount = heldOutRatings.computeIfAbsent(turnId, k -> new double[2][attributes.size()]);
      for (int a = 0; a < labels.length; a++) {
        if (!Double.isNaN(labels[a])) {
          sumCount[0][a] += labels[a];
          sumCount[1][a]++;
        }
      }
    } else {
      // The split key is the turn: all ratings of one turn land on the same side of the alpha-selection split.
      ridge.add(turnId, t.response(), labels);
    }
    ratingCount++;
  }

  /** One preference between two known turns. */
  public synchronized void addPreference(String chosen, String rejected, double weight) {
    boolean ordered = chosen.compareTo(rejected) < 0;
    String first = ordered ? chosen : rejected;
    String second = ordered ? rejected : chosen;
    PairTally tally = pairs.computeIfAbsent(first + "\u0000" + second, k -> new PairTally(first, second));
    if (ordered) {
      tally.firstWins += weight;
    } else {
      tally.secondWins += weight;
    }
  }

  /** Replaces whatever preferences exist between two turns with one decision (calibration relabels this way). */
  public synchronized void setPreference(String chosen, String rejected, double weight) {
    boolean ordered = chosen.compareTo(rejected) < 0;
    pairs.remove(ordered ? chosen + "\u0000" + rejected : rejected + "\u0000" + chosen);
    addPreference(chosen, rejected, weight);
  }

  /** One net preference between two turns, after conflicting votes are tallied. */
  public record Preference(String chosen, String rejected, double weight) {}

  /** Every net preference, training and held-out side alike. */
  public synchronized List<Preference> preferences() {
    List<Preference> out = new ArrayList<>();
    for (PairTally p : pairs.values()) {
      double net = p.firstWins - p.secondWins;
      if (net != 0) {
        out.add(new Preference(net > 0 ? p.first : p.second, net > 0 ? p.second : p.first, Math.abs(net)));
      }
    }
    return out;
  }

  /** A held-out ranking also serves as a Best-of-N item. */
  public synchronized void addRanking(List<String> bestFirst) {
    if (isHeldOut(turns.get(bestFirst.get(0)))) {
      heldOutRankings.add(List.copyOf(bestFirst));
    }
  }

  public RidgeDataset ridgeDataset() {
    return ridge;
  }

  public synchronized List<TrainingPair> trainingPairs() {
    List<TrainingPair> out = new ArrayList<>();
    for (PairTally p : pairs.values()) {
      double net = p.firstWins - p.secondWins;
      if (net == 0) {
        continue;
      }
      TurnRecord c = turns.get(net > 0 ? p.first : p.second);
      TurnRecord r = turns.get(net > 0 ? p.second : p.first);
      if (isHeldOut(c)) {
        continue;
      }
      String rejectedKey = Arrays.equals(c.prompt(), r.prompt()) ? c.turnId() : r.turnId();
      out.add(new TrainingPair(c.turnId(), c.prompt(), c.response(), rejectedKey, r.prompt(), r.response(),
          (float) Math.abs(net)));
    }
    return out;
  }

  public synchronized ReferenceSet referenceSet(int limit) {
    List<TurnRecord> side = turns.values().stream().filter(t -> !isHeldOut(t)).limit(limit).toList();
    float[][] responses = new float[side.size()][];
    double[] tokens = new double[side.size()];
    for (int i = 0; i < responses.length; i++) {
      responses[i] = side.get(i).response();
      tokens[i] = side.get(i).responseTokens();
    }
    return new ReferenceSet(responses, tokens);
  }

  public synchronized HeldOutSet heldOut() {
    List<HeldOutSet.Pair> hp = new ArrayList<>();
    for (PairTally p : pairs.values()) {
      double net = p.firstWins - p.secondWins;
      TurnRecord c = turns.get(net > 0 ? p.first : p.second);
      TurnRecord r = turns.get(net > 0 ? p.second : p.first);
      if (net != 0 && isHeldOut(c)) {
        hp.add(new HeldOutSet.Pair(c.prompt(), c.response(), r.prompt(), r.response(), c.responseTokens(),
            r.responseTokens()));
      }
    }
    List<HeldOutSet.BestOfN> bon = new ArrayList<>();
    for (List<String> ranking : heldOutRankings) {
      TurnRecord best = turns.get(ranking.get(0));
      List<float[]> losers = ranking.subList(1, ranking.size()).stream().map(id -> turns.get(id).response()).toList();
      int[] tokens = ranking.stream().mapToInt(id -> turns.get(id).responseTokens()).toArray();
      bon.add(new HeldOutSet.BestOfN(best.prompt(), best.response(), losers, tokens));
    }
    List<HeldOutSet.Rated> rated = new ArrayList<>();
    heldOutRatings.forEach((turnId, sc) -> {
      double[] labels = new double[attributes.size()];
      for (int a = 0; a < labels.length; a++) {
        labels[a] = sc[1][a] == 0 ? Double.NaN : sc[0][a] / sc[1][a];
      }
      rated.add(new HeldOutSet.Rated(turns.get(turnId).response(), labels));
    });
    return new HeldOutSet(hp, bon, rated);
  }

  /** Counts for the training summary. */
  public synchronized Map<String, String> summary() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("turns", Integer.toString(turns.size()));
    s.put("ratings", Long.toString(ratingCount));
    s.put("preference_pairs", Integer.toString(pairs.size()));
    s.put("heldout_rankings", Integer.toString(heldOutRankings.size()));
    return s;
  }

  /** Turns by id, for calibration (policy model per turn). */
  public synchronized Map<String, TurnRecord> turns() {
    return Map.copyOf(turns);
  }
}
