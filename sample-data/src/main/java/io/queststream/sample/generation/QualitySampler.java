package io.queststream.sample.generation;

import io.queststream.sample.ConstructedQuality;
import io.queststream.sample.QualityLevel;
import io.queststream.sample.QuestAttribute;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Draws the per-attribute levels a model writes a reply with. */
final class QualitySampler {

  /** Regenerations must differ by at least this much overall quality (two level steps) so labels are clear. */
  private static final double CLEAR_GAP = 1.0;
  /** After many failed draws accept any strict difference: ties would make rankings ambiguous. */
  private static final double MINIMAL_GAP = 0.5;
  private static final int CLEAR_ATTEMPTS = 50;
  private static final int ATTEMPTS = 200;

  ConstructedQuality sample(PolicyModel model, SplittableRandom random) {
    Map<QuestAttribute, QualityLevel> levels = new EnumMap<>(QuestAttribute.class);
    boolean degenerate = random.nextDouble() < model.degenerateRate();
    for (QuestAttribute attribute : QuestAttribute.values()) {
      double draw = random.nextDouble();
      double good = model.goodProbability().get(attribute);
      double poor = model.poorProbability().get(attribute);
      QualityLevel level = draw < good ? QualityLevel.GOOD
          : draw < good + poor ? QualityLevel.POOR
          : QualityLevel.PLAIN;
      levels.put(attribute, degenerate ? QualityLevel.POOR : level);
    }
    return new ConstructedQuality(levels, degenerate);
  }

  /**
   * Qualities for regenerations of one user turn, one per model, pairwise clearly apart in overall quality. With
   * {@code breakCharacter} the second alternative is forced out of character, so every demo shows that contrast.
   */
  List<ConstructedQuality> sampleDistinct(List<PolicyModel> models, boolean breakCharacter, SplittableRandom random) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      List<ConstructedQuality> qualities = new ArrayList<>();
      for (PolicyModel model : models) {
        qualities.add(sample(model, random));
      }
      if (breakCharacter && !qualities.get(1).degenerate()) {
        qualities.set(1, withLevel(qualities.get(1), QuestAttribute.CHARACTER_CONSISTENCY, QualityLevel.POOR));
      }
      if (pairwiseApart(qualities, attempt < CLEAR_ATTEMPTS ? CLEAR_GAP : MINIMAL_GAP)) {
        return qualities;
      }
    }
    throw new IllegalStateException("Could not draw " + models.size() + " distinguishable alternatives");
  }

  private static boolean pairwiseApart(List<ConstructedQuality> qualities, double gap) {
    for (int i = 0; i < qualities.size(); i++) {
      for (int j = i + 1; j < qualities.size(); j++) {
        if (Math.abs(qualities.get(i).overall() - qualities.get(j).overall()) < gap - 1e-9) {
          return false;
        }
      }
    }
    return true;
  }

  private static ConstructedQuality withLevel(ConstructedQuality quality, QuestAttribute attribute,
      QualityLevel level) {
    Map<QuestAttribute, QualityLevel> levels = new EnumMap<>(quality.levels());
    levels.put(attribute, level);
    return new ConstructedQuality(levels, quality.degenerate());
  }
}
