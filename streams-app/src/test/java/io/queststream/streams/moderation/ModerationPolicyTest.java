package io.queststream.streams.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

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
    Optional<ModerationEvent> e = new ModerationPolicy(new ModerationPolicies(RULES)).evaluate(
        score(Float.NaN, attribute("Character Consistency", 0.5f, 5.5f, 0.2f, 0.2f)), "text", 0f, List.of());

    assertThat(rules(e)).containsExactly("non_finite/null=NaN");
    RuleViolation v = e.orElseThrow().getViolations().get(0);
    assertThat(v.getThreshold()).isNaN();
  }

  @Test
  void givenAnInfiniteScoreThenTheTurnIsFlaggedEvenWithoutAScoreRule() {
    Optional<ModerationEvent> e = new ModerationPolicy(new ModerationPolicies(ModerationThresholds.none())).evaluate(
        score(Float.POSITIVE_INFINITY), "text", 0f, List.of());

    assertThat(rules(e)).containsExactly("non_finite/null=Infinity");
  }

  @Test
  void givenANonFiniteAttributeThenTheTurnIsFlaggedNamingTheAttribute() {
    Optional<ModerationEvent> e = new ModerationPolicy(new ModerationPolicies(RULES)).evaluate(score(0.3f,
        attribute("Character Consistency", Float.NaN, Float.NaN, 0.2f, 0.2f),
        attribute("Descriptive Depth", 0.5f, 5.5f, 0.2f, Float.NEGATIVE_INFINITY)), "text", 0f, List.of());

    assertThat(rules(e)).containsExactly("non_finite/Character Consistency=NaN",
        "non_finite/Descriptive Depth=-Infinity");
  }

  @Test
  void givenFiniteScoresAboveEveryThresholdThenNoEvent() {
    assertThat(new ModerationPolicy(new ModerationPolicies(RULES)).evaluate(score(0.3f,
        attribute("Character Consistency", 0.5f, 5.5f, 0.2f, 0.2f)), "text", 0f, List.of())).isEmpty();
  }

  @Test
  void givenAFiniteScoreBelowItsThresholdThenTheScoreRuleStillFires() {
    assertThat(rules(new ModerationPolicy(new ModerationPolicies(RULES)).evaluate(score(-2f,
        attribute("Character Consistency", 0.1f, 1.9f, 0.2f, 0.2f)), "text", 0f, List.of())))
        .containsExactly("score/null=-2.0", "attribute:Character Consistency/Character Consistency=1.9");
  }

  @Test
  void givenACharacterPolicyThenItsRulesReplaceTheGlobalOnesOneByOneAndEachViolationNamesItsPolicy() {
    // given a global consistency minimum of 3 and score minimum of -1; the innkeeper's policy raises consistency
    // to 6, a policy of her card's tag "tavern" sets a creativity minimum of 4 and a consistency minimum of 9
    ModerationPolicies policies = new ModerationPolicies(RULES);
    policies.install(PolicyKey.character("innkeeper"), new PolicyRules("character:innkeeper", Optional.empty(),
        Map.of("character-consistency", 6f), Optional.empty()));
    policies.install(PolicyKey.tag("tavern"), new PolicyRules("tag:tavern", Optional.empty(),
        Map.of("character-consistency", 9f, "creativity", 4f), Optional.empty()));
    TurnScore turn = TurnScore.newBuilder(score(-2f, attribute("Character Consistency", 0.5f, 5f, 0.2f, 0.2f),
        attribute("Creativity", 0.3f, 3.5f, 0.2f, 0.2f))).setCharacterId("innkeeper").build();

    // when her turn is judged
    ModerationEvent e = new ModerationPolicy(policies).evaluate(turn, "text", 0f, List.of("tavern", "inn"))
        .orElseThrow();

    // then consistency 5 breaks her own 6 (not the tag's 9), creativity breaks the tag's 4, the score the global -1
    assertThat(e.getViolations()).extracting(RuleViolation::getRule, RuleViolation::getThreshold,
            RuleViolation::getPolicy)
        .containsExactly(tuple("score", -1f, "global"),
            tuple("attribute:Character Consistency", 6f, "character:innkeeper"),
            tuple("attribute:Creativity", 4f, "tag:tavern"));
  }

  @Test
  void givenAPolicyOfAnotherCharacterOrTagThenTheGlobalRulesApply() {
    ModerationPolicies policies = new ModerationPolicies(RULES);
    policies.install(PolicyKey.character("pirate"), new PolicyRules("character:pirate", Optional.of(5f), Map.of(),
        Optional.empty()));
    policies.install(PolicyKey.tag("horror"), new PolicyRules("tag:horror", Optional.of(5f), Map.of(),
        Optional.empty()));
    TurnScore turn = TurnScore.newBuilder(score(0.3f, attribute("Character Consistency", 0.5f, 2f, 0.2f, 0.2f)))
        .setCharacterId("innkeeper").build();

    ModerationEvent e = new ModerationPolicy(policies).evaluate(turn, "text", 0f, List.of("tavern")).orElseThrow();

    assertThat(e.getViolations()).extracting(RuleViolation::getRule, RuleViolation::getPolicy)
        .containsExactly(tuple("attribute:Character Consistency", "global"));
  }

  @Test
  void givenARemovedPolicyThenTheCharactersTurnsFallBackToTheGlobalRules() {
    ModerationPolicies policies = new ModerationPolicies(RULES);
    policies.install(PolicyKey.character("innkeeper"), new PolicyRules("character:innkeeper", Optional.empty(),
        Map.of("character-consistency", 1f), Optional.of(0.9f)));
    TurnScore turn = TurnScore.newBuilder(score(0.3f, attribute("Character Consistency", 0.5f, 2f, 0.2f, 0.2f)))
        .setCharacterId("innkeeper").build();
    ModerationPolicy policy = new ModerationPolicy(policies);
    assertThat(policy.evaluate(turn, "text", 0.6f, List.of())).isEmpty();

    policies.remove(PolicyKey.character("innkeeper"));

    assertThat(policy.evaluate(turn, "text", 0.6f, List.of()).orElseThrow().getViolations())
        .extracting(RuleViolation::getRule, RuleViolation::getPolicy)
        .containsExactly(tuple("unreadable_text", "global"),
            tuple("attribute:Character Consistency", "global"));
  }
}
