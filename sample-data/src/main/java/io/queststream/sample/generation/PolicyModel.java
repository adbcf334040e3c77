package io.queststream.sample.generation;

import io.queststream.sample.QuestAttribute;
import java.util.EnumMap;
import java.util.Map;

/**
 * A simulated chat model: how often it writes each attribute well or badly, how often it produces a degenerate
 * reply, and how much traffic it serves. Different skills give the platform different win rates, from which it can
 * derive Elo-like ratings; {@code elo} is the published arena rating the calibration compares against.
 */
public record PolicyModel(
    String name,
    int elo,
    double trafficShare,
    Map<QuestAttribute, Double> goodProbability,
    Map<QuestAttribute, Double> poorProbability,
    double degenerateRate) {

  public PolicyModel {
    for (QuestAttribute attribute : QuestAttribute.values()) {
      double good = goodProbability.get(attribute);
      double poor = poorProbability.get(attribute);
      if (good < 0 || poor < 0 || good + poor > 1) {
        throw new IllegalArgumentException(name + ": invalid level probabilities for " + attribute.label());
      }
    }
    goodProbability = new EnumMap<>(goodProbability);
    poorProbability = new EnumMap<>(poorProbability);
  }

  public PolicyModel withElo(int newElo) {
    return new PolicyModel(name, newElo, trafficShare, goodProbability, poorProbability, degenerateRate);
  }

  static Builder named(String name) {
    return new Builder(name);
  }

  static final class Builder {
    private final String name;
    private final Map<QuestAttribute, Double> good = new EnumMap<>(QuestAttribute.class);
    private final Map<QuestAttribute, Double> poor = new EnumMap<>(QuestAttribute.class);
    private int elo;
    private double share;
    private double degenerateRate;

    private Builder(String name) {
      this.name = name;
    }

    Builder elo(int value) {
      elo = value;
      return this;
    }

    Builder traffic(double value) {
      share = value;
      return this;
    }

    Builder degenerate(double rate) {
      degenerateRate = rate;
      return this;
    }

    Builder everyAttribute(double goodProbability, double poorProbability) {
      for (QuestAttribute attribute : QuestAttribute.values()) {
        attribute(attribute, goodProbability, poorProbability);
      }
      return this;
    }

    Builder attribute(QuestAttribute attribute, double goodProbability, double poorProbability) {
      good.put(attribute, goodProbability);
      poor.put(attribute, poorProbability);
      return this;
    }

    PolicyModel build() {
      return new PolicyModel(name, elo, share, good, poor, degenerateRate);
    }
  }
}
