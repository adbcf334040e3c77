package io.queststream.trainer.calibration;

import io.queststream.model.heads.HeadsMath;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.model.ratings.EloFromPreferences;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.dataset.TurnRecord;
import io.queststream.trainer.training.TrainingPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CHARM-style calibration over the platform's turns (docs/architecture.md#9-calibration-against-arena-ratings): for
 * each policy model O, the reward model's win rate over the reference model R on prompts both answered is compared
 * with the Elo expectation; the offset that closes the gap relabels each shared prompt's O-vs-R pair, and the heads
 * retrain on those pairs (see CalibrationStage).
 */
public final class Calibrator {

  private Calibrator() {}

  /** Reference ratings from config when given, else fitted from preferences between different models' turns. */
  public static Map<String, Double> ratings(TrainingSet set, Map<String, Double> configured) {
    if (!configured.isEmpty()) {
      return configured;
    }
    Map<String, TurnRecord> turns = set.turns();
    List<EloFromPreferences.Outcome> outcomes = new ArrayList<>();
    for (TrainingSet.Preference p : set.preferences()) {
      String w = turns.get(p.chosen()).policyModel();
      String l = turns.get(p.rejected()).policyModel();
      if (w != null && l != null && !w.equals(l)) {
        outcomes.add(new EloFromPreferences.Outcome(w, l, p.weight()));
      }
    }
    return EloFromPreferences.fit(outcomes);
  }

  /** The model with the most turns: the natural reference when none is configured. */
  public static String mostFrequentModel(TrainingSet set) {
    Map<String, Integer> counts = new HashMap<>();
    set.turns().values().forEach(t -> {
      if (t.policyModel() != null) {
        counts.merge(t.policyModel(), 1, Integer::sum);
      }
    });
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
        .orElseThrow(() -> new IllegalStateException("no turn names its policy model"));
  }

  /** Mismatch degree of every rated model against the reference under the given heads, without relabelling. */
  public static List<ModelCalibration> measure(TrainingSet set, HeadsWeights heads, Map<String, Double> elo,
      String reference) {
    return run(set, heads, elo, reference, null);
  }

  /** Measures, then relabels each shared prompt's pair in the training set by the offset scores. */
  public static List<ModelCalibration> calibrate(TrainingSet set, HeadsWeights heads, Map<String, Double> elo,
      String reference) {
    return relabel(set, heads, elo, reference).models();
  }

  /**
   * What calibration did: per model its figures, and the relabelled pairs on the training side of the split (the
   * pairs the calibration stage fine-tunes W on).
   */
  public record Relabelling(List<ModelCalibration> models, List<TrainingPair> trainingPairs) {}

  /** As {@link #calibrate}, also returning the relabelled training-side pairs. */
  public static Relabelling relabel(TrainingSet set, HeadsWeights heads, Map<String, Double> elo,
      String reference) {
    List<TrainingPair> pairs = new ArrayList<>();
    return new Relabelling(run(set, heads, elo, reference, pairs), pairs);
  }

  /** Relabels when {@code relabelled} is given, collecting the training-side pairs into it. */
  private static List<ModelCalibration> run(TrainingSet set, HeadsWeights heads, Map<String, Double> elo,
      String reference, List<TrainingPair> relabelled) {
    if (!elo.containsKey(reference)) {
      throw new IllegalArgumentException("no rating for reference model " + reference + "; rated: " + elo.keySet());
    }
    // First answer of each model to each prompt (context).
    Map<String, Map<String, TurnRecord>> byContext = new LinkedHashMap<>();
    for (TurnRecord t : set.turns().values()) {
      if (t.policyModel() != null) {
        byContext.computeIfAbsent(t.contextKey(), k -> new LinkedHashMap<>()).putIfAbsent(t.policyModel(), t);
      }
    }
    Map<String, Double> score = new HashMap<>();
    List<ModelCalibration> out = new ArrayList<>();
    for (String model : elo.keySet().stream().sorted().toList()) {
      if (model.equals(reference)) {
        continue;
      }
      List<TurnRecord[]> shared = new ArrayList<>();
      for (Map<String, TurnRecord> answers : byContext.values()) {
        if (answers.containsKey(model) && answers.containsKey(reference)) {
          shared.add(new TurnRecord[] {answers.get(model), answers.get(reference)});
        }
      }
      if (shared.isEmpty()) {
        continue;
      }
      double[] so = new double[shared.size()];
      double[] sr = new double[shared.size()];
      for (int i = 0; i < so.length; i++) {
        so[i] = score.computeIfAbsent(shared.get(i)[0].turnId(), id -> score(heads, set.turn(id)));
        sr[i] = score.computeIfAbsent(shared.get(i)[1].turnId(), id -> score(heads, set.turn(id)));
      }
      double p = MismatchDegree.expectedWinRate(elo.get(model), elo.get(reference));
      double delta = MismatchDegree.offset(so, sr, p);
      int relabelledCount = 0;
      if (relabelled != null) {
        for (int i = 0; i < so.length; i++) {
          double gap = so[i] + delta - sr[i];
          // Guard ties: a prompt whose calibrated scores are equal carries no preference.
          if (Math.abs(gap) > 1e-9) {
            TurnRecord chosen = gap > 0 ? shared.get(i)[0] : shared.get(i)[1];
            TurnRecord rejected = gap > 0 ? shared.get(i)[1] : shared.get(i)[0];
            set.setPreference(chosen.turnId(), rejected.turnId(), 1.0);
            relabelledCount++;
            if (!set.isHeldOut(chosen)) {
              relabelled.add(new TrainingPair(chosen.turnId(), chosen.prompt(), chosen.response(),
                  rejected.turnId(), rejected.prompt(), rejected.response(), 1f));
            }
          }
        }
      }
      out.add(new ModelCalibration(model, reference, so.length, p, MismatchDegree.winRate(so, sr, 0),
          MismatchDegree.of(so, sr, p), delta, relabelledCount));
    }
    return out;
  }

  private static double score(HeadsWeights heads, TurnRecord t) {
    return HeadsMath.forward(heads, t.prompt(), t.response()).score();
  }
}
