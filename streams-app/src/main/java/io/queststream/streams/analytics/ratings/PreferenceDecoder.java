package io.queststream.streams.analytics.ratings;

import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.serde.SerdeException;
import io.queststream.streams.analytics.observation.AnalyticsMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the preferences topic into turn pairs: a pair record is one, a ranking of n turns implies n(n−1)/2 (every
 * better/worse combination). Records that cannot count are skipped, logged and counted by reason, never
 * dead-lettered here: the trainer owns this topic, validates the same records and dead-letters each bad one once.
 */
public final class PreferenceDecoder {

  private static final Logger LOG = LoggerFactory.getLogger(PreferenceDecoder.class);

  /** Why a preference record does not count in the ratings; the tag of the skip counter. */
  public enum SkipReason {
    NULL_VALUE, UNDECODABLE, MISSING_TURN_ID, SAME_TURN_TWICE, INVALID_WEIGHT, SHORT_RANKING
  }

  private final Deserializer<SpecificRecord> deserializer;
  private final AnalyticsMetrics metrics;

  public PreferenceDecoder(Deserializer<SpecificRecord> deserializer, AnalyticsMetrics metrics) {
    this.deserializer = deserializer;
    this.metrics = metrics;
  }

  public List<TurnPair> pairs(String topic, byte[] value) {
    if (value == null) {
      return skip(SkipReason.NULL_VALUE, "a record without a value");
    }
    SpecificRecord record;
    try {
      record = deserializer.deserialize(topic, value);
    } catch (SerdeException e) {
      return skip(SkipReason.UNDECODABLE, e.getMessage());
    }
    if (record instanceof PreferencePair p) {
      return pair(p);
    }
    return ranking((Ranking) record);
  }

  private List<TurnPair> pair(PreferencePair p) {
    String chosen = p.getChosenTurnId();
    String rejected = p.getRejectedTurnId();
    if (chosen.isBlank() || rejected.isBlank()) {
      return skip(SkipReason.MISSING_TURN_ID, "pair " + p.getPairId() + " has an empty turn id");
    }
    if (chosen.equals(rejected)) {
      return skip(SkipReason.SAME_TURN_TWICE, "pair " + p.getPairId() + " prefers turn " + chosen + " over itself");
    }
    float w = p.getWeight();
    if (!Float.isFinite(w) || !(w > 0)) {
      return skip(SkipReason.INVALID_WEIGHT, "pair " + p.getPairId() + " has weight " + w);
    }
    return List.of(TurnPair.of(chosen, rejected, w));
  }

  private List<TurnPair> ranking(Ranking r) {
    List<String> order = r.getTurnIdsBestFirst();
    if (order.size() < 2) {
      return skip(SkipReason.SHORT_RANKING, "ranking " + r.getRankingId() + " orders fewer than 2 turns");
    }
    if (order.stream().anyMatch(String::isBlank)) {
      return skip(SkipReason.MISSING_TURN_ID, "ranking " + r.getRankingId() + " has an empty turn id");
    }
    if (new HashSet<>(order).size() != order.size()) {
      return skip(SkipReason.SAME_TURN_TWICE, "ranking " + r.getRankingId() + " lists a turn twice");
    }
    List<TurnPair> implied = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      for (int j = i + 1; j < order.size(); j++) {
        implied.add(TurnPair.of(order.get(i), order.get(j), 1));
      }
    }
    return implied;
  }

  private List<TurnPair> skip(SkipReason reason, String detail) {
    metrics.preferenceSkipped(reason);
    LOG.warn("Preference not counted in the policy ratings ({}): {}", reason, detail);
    return List.of();
  }
}
