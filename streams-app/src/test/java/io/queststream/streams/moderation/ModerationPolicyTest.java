package io.queststream.streams.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.schemas.AttributeScore;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.RuleViolation;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.config.ModerationThresholds;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A turn that could not be judged (NaN or infinity anywhere in its score) is flagged, never passed. */
class ModerationPolicyTest {

  private static final ModerationThresholds RULES = new ModerationThresholds(Optional.of(-1f),
      Map.of("character-consistency", 3f), 0.5f);

  private static TurnScore score(float score, AttributeScore... attributes) {
    return TurnScore.newBuilder().setTurnId("t1").setConversationId("c1").setAttributes(List.of(attributes))
        .setScore(score).setTopK(List.of()).setWeightsVersion(4).setBackboneId("b").setPromptTokens(1)
        .setResponseTokens(1).setTruncated(false).setBatchSize(1).setEndToEndLatencyMs(1)
        .setTurnCreatedAt(Instant.EPOCH).setScoredAt(Instant.EPOCH).build();
  }

  private static AttributeScore attribute(String name, float reward, float onScale, float gating, float coeff) {
    return new AttributeScore(name, reward, onScale, gating, coeff);
  }

  private static List<String> rules(Optional<ModerationEvent> e) {
    return e.orElseThrow().getViolations().stream().map(v -> v.getRule() + "/" + v.getAttribute() + "=" + v.getValue())
        .toList();
  }

  @Test
  void givenANaNScoreThenTheTurnIsFlaggedByTheNonFiniteRule() {
    Optional<ModerationEvent> e = new ModerationPolicy(RULES).evaluate(
        score(Float.NaN, attribute("Character Consistency", 0.5f, 5.5f, 0.2f, 0.2f)), "text", 0f);

    assertThat(rules(e)).containsExactly("non_finite/null=NaN");
    RuleViolation v = e.orElseThrow().getViolations().get(0);
    assertThat(v.getThreshold()).isNaN();
  }

  @Test
  void givenAnInfiniteScoreThenTheTurnIsFlaggedEvenWithoutAScoreRule() {
    Optional<ModerationEvent> e = new ModerationPolicy(ModerationThresholds.none()).evaluate(
        score(Float.POSITIVE_INFINITY), "text", 0f);

    assertThat(rules(e)).containsExactly("non_finite/null=Infinity");
  }

  @Test
  void givenANonFiniteAttributeThenTheTurnIsFlaggedNamingTheAttribute() {
    Optional<ModerationEvent> e = new ModerationPolicy(RULES).evaluate(score(0.3f,
        attribute("Character Consistency", Float.NaN, Float.NaN, 0.2f, 0.2f),
        attribute("Descriptive Depth", 0.5f, 5.5f, 0.2f, Float.NEGATIVE_INFINITY)), "text", 0f);

    assertThat(rules(e)).containsExactly("non_finite/Character Consistency=NaN",
        "non_finite/Descriptive Depth=-Infinity");
  }

  @Test
  void givenFiniteScoresAboveEveryThresholdThenNoEvent() {
    assertThat(new ModerationPolicy(RULES).evaluate(score(0.3f,
        attribute("Character Consistency", 0.5f, 5.5f, 0.2f, 0.2f)), "text", 0f)).isEmpty();
  }

  @Test
  void givenAFiniteScoreBelowItsThresholdThenTheScoreRuleStillFires() {
    assertThat(rules(new ModerationPolicy(RULES).evaluate(score(-2f,
        attribute("Character Consistency", 0.1f, 1.9f, 0.2f, 0.2f)), "text", 0f)))
        .containsExactly("score/null=-2.0", "attribute:Character Consistency/Character Consistency=1.9");
  }
}
