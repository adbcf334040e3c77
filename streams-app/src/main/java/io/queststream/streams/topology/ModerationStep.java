package io.queststream.streams.topology;

import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ModerationEvent;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.moderation.ModerationPolicy;
import io.queststream.streams.scoring.ScoredTurn;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Applies the moderation rules to each scored turn and forwards an event when it broke any. The rules depend on the
 * character and on its card's tags, which come from the global character-cards table as it stands now.
 */
final class ModerationStep implements FixedKeyProcessor<String, ScoredTurn, ModerationEvent> {

  private final String cardsStore;
  private final ModerationPolicy policy;
  private final ScoringMetrics metrics;
  private FixedKeyProcessorContext<String, ModerationEvent> context;
  private TimestampedKeyValueStore<String, CharacterCard> cards;

  public ModerationStep(String cardsStore, ModerationPolicy policy, ScoringMetrics metrics) {
    this.cardsStore = cardsStore;
    this.policy = policy;
    this.metrics = metrics;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, ModerationEvent> context) {
    this.context = context;
    this.cards = context.getStateStore(cardsStore);
  }

  @Override
  public void process(FixedKeyRecord<String, ScoredTurn> record) {
    ScoredTurn s = record.value();
    policy.evaluate(s.score(), s.text(), s.outcome().result().unknownTokenShare(), tags(s.score().getCharacterId()))
        .ifPresent(event -> {
          metrics.moderationEvent();
          context.forward(record.withValue(event));
        });
  }

  private List<String> tags(String characterId) {
    if (characterId == null) {
      return List.of();
    }
    ValueAndTimestamp<CharacterCard> card = cards.get(characterId);
    return card == null || card.value() == null ? List.of() : card.value().getTags();
  }
}
