package io.queststream.streams.analytics.observation;

import io.queststream.schemas.AttributeScore;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.TurnScore;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * What the analytics need of one scored turn, or of one moderation event: the preference score, the attribute
 * rewards on the rating scale, and where the record is on its topic. A moderation event carries no values, only the
 * mark.
 */
public record Observation(boolean moderation, double score, List<AttributeValue> attributes, ScoreRef ref) {

  /** One attribute reward on the rating scale. */
  public record AttributeValue(String attribute, double value) {}

  /**
   * A score as observed at {@code where}. A value that is not finite would poison every mean it enters, so it fails
   * the record (Kafka Streams' processing handler dead-letters it with this message).
   */
  public static Observation ofScore(TurnScore s, RecordMetadata where, long timestamp) {
    requireFinite(s.getScore(), "score", s);
    List<AttributeValue> attributes = new ArrayList<>(s.getAttributes().size());
    for (AttributeScore a : s.getAttributes()) {
      requireFinite(a.getRewardOnScale(), "attribute " + a.getAttribute(), s);
      attributes.add(new AttributeValue(a.getAttribute(), a.getRewardOnScale()));
    }
    return new Observation(false, s.getScore(), attributes, new ScoreRef(s.getTurnId(), where.topic(),
        where.partition(), where.offset(), timestamp, s.getWeightsVersion()));
  }

  public static Observation ofModeration(ModerationEvent e, RecordMetadata where, long timestamp) {
    return new Observation(true, 0, List.of(), new ScoreRef(e.getTurnId(), where.topic(), where.partition(),
        where.offset(), timestamp, e.getWeightsVersion()));
  }

  private static void requireFinite(float value, String what, TurnScore s) {
    if (!Float.isFinite(value)) {
      throw new IllegalArgumentException("the " + what + " of turn " + s.getTurnId() + " is " + value
          + "; analytics take finite values only");
    }
  }
}
