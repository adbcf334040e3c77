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
   * A score as observed at {@code where}, or null when a value is not finite: it would poison every mean it enters,
   * and the turn is already judged (its moderation event carries the non_finite rule), so the analytics leave it out
   * rather than dead-letter a turn the pipeline has handled.
   */
  public static Observation ofScore(TurnScore s, RecordMetadata where, long timestamp) {
    if (!Float.isFinite(s.getScore())) {
      return null;
    }
    List<AttributeValue> attributes = new ArrayList<>(s.getAttributes().size());
    for (AttributeScore a : s.getAttributes()) {
      if (!Float.isFinite(a.getRewardOnScale())) {
        return null;
      }
      attributes.add(new AttributeValue(a.getAttribute(), a.getRewardOnScale()));
    }
    return new Observation(false, s.getScore(), attributes, new ScoreRef(s.getTurnId(), where.topic(),
        where.partition(), where.offset(), timestamp, s.getWeightsVersion()));
  }

  public static Observation ofModeration(ModerationEvent e, RecordMetadata where, long timestamp) {
    return new Observation(true, 0, List.of(), new ScoreRef(e.getTurnId(), where.topic(), where.partition(),
        where.offset(), timestamp, e.getWeightsVersion()));
  }
}
