package io.queststream.sample.generation;

import static io.queststream.sample.QuestAttribute.CHARACTER_CONSISTENCY;
import static io.queststream.sample.QuestAttribute.CONTEXTUAL_ALIGNMENT;
import static io.queststream.sample.QuestAttribute.CREATIVITY_AND_EMOTIONAL_NUANCE;
import static io.queststream.sample.QuestAttribute.DESCRIPTIVE_DEPTH;
import static io.queststream.sample.QuestAttribute.ENGAGEMENT_AND_COLLABORATION;
import static io.queststream.sample.QuestAttribute.ROLE_SPECIFIC_KNOWLEDGE;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The simulated model line-up. Skills are ordered like the Elo table so derived ratings agree with it. */
public final class PolicyModels {

  private final List<PolicyModel> models;

  private PolicyModels(List<PolicyModel> models) {
    this.models = List.copyOf(models);
  }

  public static PolicyModels defaults() {
    return new PolicyModels(List.of(
        PolicyModel.named("nous-hermes-2-mixtral").elo(1184).traffic(0.20).degenerate(0.0)
            .everyAttribute(0.62, 0.08)
            .attribute(ROLE_SPECIFIC_KNOWLEDGE, 0.72, 0.05)
            .attribute(CONTEXTUAL_ALIGNMENT, 0.70, 0.05)
            .build(),
        PolicyModel.named("mythomax-l2-13b").elo(1141).traffic(0.30).degenerate(0.005)
            .everyAttribute(0.50, 0.12)
            .attribute(DESCRIPTIVE_DEPTH, 0.72, 0.06)
            .attribute(CREATIVITY_AND_EMOTIONAL_NUANCE, 0.66, 0.08)
            .attribute(ROLE_SPECIFIC_KNOWLEDGE, 0.38, 0.22)
            .build(),
        PolicyModel.named("llama-3-8b-roleplay").elo(1090).traffic(0.25).degenerate(0.01)
            .everyAttribute(0.44, 0.16)
            .attribute(CHARACTER_CONSISTENCY, 0.36, 0.28)
            .attribute(ENGAGEMENT_AND_COLLABORATION, 0.55, 0.10)
            .build(),
        PolicyModel.named("pygmalion-6b").elo(1008).traffic(0.10).degenerate(0.03)
            .everyAttribute(0.30, 0.26)
            .build(),
        PolicyModel.named("tiny-rp-1b").elo(917).traffic(0.15).degenerate(0.07)
            .everyAttribute(0.16, 0.42)
            .attribute(CONTEXTUAL_ALIGNMENT, 0.20, 0.45)
            .build()));
  }

  /** The same models with some published ratings replaced; unknown model names are rejected. */
  public PolicyModels withElo(Map<String, Integer> overrides) {
    for (String name : overrides.keySet()) {
      if (models.stream().noneMatch(model -> model.name().equals(name))) {
        throw new IllegalArgumentException("No policy model named '" + name + "'; known: "
            + models.stream().map(PolicyModel::name).toList());
      }
    }
    List<PolicyModel> updated = new ArrayList<>();
    for (PolicyModel model : models) {
      Integer elo = overrides.get(model.name());
      updated.add(elo == null ? model : model.withElo(elo));
    }
    return new PolicyModels(updated);
  }

  public List<PolicyModel> all() {
    return models;
  }

  /** A model drawn by traffic share. */
  PolicyModel pick(SplittableRandom random) {
    double total = models.stream().mapToDouble(PolicyModel::trafficShare).sum();
    double draw = random.nextDouble() * total;
    for (PolicyModel model : models) {
      draw -= model.trafficShare();
      if (draw < 0) {
        return model;
      }
    }
    return models.get(models.size() - 1);
  }
}
