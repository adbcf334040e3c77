package io.queststream.streams.topology;

import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.ShadowScore;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.moderation.ModerationPolicy;
import io.queststream.streams.scoring.ScoredTurn;
import io.queststream.streams.scoring.TurnScores;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * For a turn a candidate version scored too (docs/shadow.md): the shadow record with both scores and both
 * moderation decisions under the rules in force for the turn, published in the same transaction as the serving
 * score. The candidate's decision is only reported, never acted on.
 */
final class ShadowStep implements FixedKeyProcessor<String, ScoredTurn, ShadowScore> {

  private final String cardsStore;
  private final ModerationPolicy policy;
  private final ScoringMetrics metrics;
  private FixedKeyProcessorContext<String, ShadowScore> context;
  private TimestampedKeyValueStore<String, CharacterCard> cards;

  ShadowStep(String cardsStore, ModerationPolicy policy, ScoringMetrics metrics) {
    this.cardsStore = cardsStore;
    this.policy = policy;
    this.metrics = metrics;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, ShadowScore> context) {
    this.context = context;
    this.cards = context.getStateStore(cardsStore);
  }

  @Override
  public void process(FixedKeyRecord<String, ScoredTurn> record) {
    ScoredTurn s = record.value();
    if (!s.outcome().result().shadowed()) {
      return;
    }
    List<String> tags = tags(s.score().getCharacterId());
    float unknownShare = s.outcome().result().unknownTokenShare();
    boolean servingFlagged = policy.evaluate(s.score(), s.text(), unknownShare, tags).isPresent();
    TurnScore candidate = TurnScores.candidateScore(s.outcome());
    Optional<ModerationEvent> candidateEvent = policy.evaluate(candidate, s.text(), unknownShare, tags);
    ShadowScore shadow = TurnScores.shadow(s.score(), candidate, servingFlagged, candidateEvent);
    metrics.shadowScored(shadow.getServingFlagged() != shadow.getCandidateFlagged());
    context.forward(record.withValue(shadow));
  }

  private List<String> tags(String characterId) {
    if (characterId == null) {
      return List.of();
    }
    ValueAndTimestamp<CharacterCard> card = cards.get(characterId);
    return card == null || card.value() == null ? List.of() : card.value().getTags();
  }
}
