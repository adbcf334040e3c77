package io.queststream.streams.topology;

import static io.queststream.streams.support.Turns.assistant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.ModerationRules;
import io.queststream.schemas.RuleViolation;
import io.queststream.streams.moderation.InvalidPolicyException.Reason;
import io.queststream.streams.moderation.PolicyRejection;
import io.queststream.streams.support.TopologyHarness;
import io.queststream.streams.support.Turns;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Moderation policies per character and per card tag, read from the compacted policies topic while the app runs:
 * the rule that fires names its policy, a policy change acts on the next turn, and a hostile record is refused with
 * its reason while the policy in force stays.
 */
class ModerationPolicyTopologyTest {

  /** Global rules: consistency below -100 (never) and a score below -1000 (never) are flagged. */
  private static final Map<String, String> GLOBAL = Map.of("batch.max-size", "1",
      "moderation.attribute.character-consistency.min", "-100", "moderation.score-min", "-1000");
  private static final String INNKEEPER = "character:innkeeper";

  private int turns;

  @Test
  void givenACharacterPolicyThenItsTurnsAreJudgedByItAndTheEventNamesIt() {
    try (TopologyHarness h = TopologyHarness.withWeights(GLOBAL)) {
      // given the innkeeper's policy: consistency below 100 (always)
      h.moderationPolicies.pipeInput(INNKEEPER, policy("character", "innkeeper", Map.of("character-consistency", 100f)));

      // when she replies, and a character without a policy replies too
      h.send(reply("innkeeper"));
      h.send(reply("pirate"));

      // then only her turn is flagged, by her policy's threshold
      List<ModerationEvent> events = h.moderation.readValuesToList();
      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.getCharacterId()).isEqualTo("innkeeper");
        assertThat(e.getViolations()).extracting(RuleViolation::getRule, RuleViolation::getThreshold,
            RuleViolation::getPolicy).containsExactly(tuple("attribute:Character Consistency", 100f, INNKEEPER));
      });
      assertThat(h.policyRejections).isEmpty();
    }
  }

  @Test
  void givenACardTagPolicyThenEveryCharacterWithTheTagIsJudgedByIt() {
    try (TopologyHarness h = TopologyHarness.withWeights(GLOBAL)) {
      h.cards.pipeInput("innkeeper", Turns.innkeeper());
      h.moderationPolicies.pipeInput("tag:fantasy", policy("tag", "fantasy", Map.of("descriptive-depth", 100f)));

      h.send(reply("innkeeper"));

      assertThat(h.moderation.readValue().getViolations()).extracting(RuleViolation::getRule,
          RuleViolation::getPolicy).containsExactly(tuple("attribute:Descriptive Depth", "tag:fantasy"));
    }
  }

  @Test
  void givenAPolicyChangedAndThenDeletedAtRunTimeThenEachTurnIsJudgedByThePolicyInForceWhenItIsScored() {
    try (TopologyHarness h = TopologyHarness.withWeights(GLOBAL)) {
      h.moderationPolicies.pipeInput(INNKEEPER, policy("character", "innkeeper", Map.of("character-consistency", 100f)));
      h.send(reply("innkeeper"));
      assertThat(policiesOf(h.moderation.readValue())).containsExactly(INNKEEPER);

      // when the policy is relaxed
      h.moderationPolicies.pipeInput(INNKEEPER, policy("character", "innkeeper", Map.of("character-consistency", -100f)));
      h.send(reply("innkeeper"));
      assertThat(h.moderation.isEmpty()).isTrue();

      // and then deleted, while the global rule is strict
      h.moderationPolicies.pipeInput(INNKEEPER, (ModerationRules) null);
      assertThat(h.policies.inForce()).isEmpty();
    }
    Map<String, String> strictGlobal = Map.of("batch.max-size", "1",
        "moderation.attribute.character-consistency.min", "100");
    try (TopologyHarness h = TopologyHarness.withWeights(strictGlobal)) {
      h.moderationPolicies.pipeInput(INNKEEPER, policy("character", "innkeeper", Map.of("character-consistency", -100f)));
      h.send(reply("innkeeper"));
      assertThat(h.moderation.isEmpty()).isTrue();

      h.moderationPolicies.pipeInput(INNKEEPER, (ModerationRules) null);
      h.send(reply("innkeeper"));

      // then her turns fall back to the global rule
      assertThat(policiesOf(h.moderation.readValue())).containsExactly("global");
    }
  }

  @Test
  void givenHostilePolicyRecordsThenEachIsRefusedWithItsReasonAndThePolicyInForceStays() {
    try (TopologyHarness h = TopologyHarness.withWeights(GLOBAL)) {
      // given the innkeeper's policy in force
      h.moderationPolicies.pipeInput(INNKEEPER, policy("character", "innkeeper", Map.of("character-consistency", 100f)));

      // when records arrive that name an unknown attribute, set a NaN or infinite threshold, an unreadable share
      // above 1, hold another character's policy, have a key with no scope, or are not a policy at all
      h.moderationPolicies.pipeInput(INNKEEPER, policy("character", "innkeeper", Map.of("charisma", 1f)));
      h.moderationPolicies.pipeInput(INNKEEPER, policy("character", "innkeeper", Map.of("character-consistency",
          Float.NaN)));
      h.moderationPolicies.pipeInput(INNKEEPER, ModerationRules.newBuilder(policy("character", "innkeeper", Map.of()))
          .setScoreMin(Float.NEGATIVE_INFINITY).build());
      h.moderationPolicies.pipeInput(INNKEEPER, ModerationRules.newBuilder(policy("character", "innkeeper", Map.of()))
          .setUnreadableMaxShare(1.5f).build());
      h.moderationPolicies.pipeInput(INNKEEPER, policy("character", "pirate", Map.of("character-consistency", -100f)));
      h.moderationPolicies.pipeInput("innkeeper", policy("character", "innkeeper", Map.of()));
      h.moderationPolicies.pipeInput("villain:innkeeper", policy("character", "innkeeper", Map.of()));
      h.rawModerationPolicies.pipeInput(INNKEEPER, "{\"character-consistency\": 0}".getBytes(StandardCharsets.UTF_8));

      // then each is refused once, with its reason
      assertThat(h.policyRejections).extracting(PolicyRejection::key, PolicyRejection::reason).containsExactly(
          tuple(INNKEEPER, Reason.UNKNOWN_ATTRIBUTE), tuple(INNKEEPER, Reason.NON_FINITE_THRESHOLD),
          tuple(INNKEEPER, Reason.NON_FINITE_THRESHOLD), tuple(INNKEEPER, Reason.SHARE_OUT_OF_RANGE),
          tuple(INNKEEPER, Reason.KEY_MISMATCH), tuple("innkeeper", Reason.BAD_KEY),
          tuple("villain:innkeeper", Reason.BAD_KEY), tuple(INNKEEPER, Reason.UNDECODABLE));
      assertThat(h.policyRejections).allSatisfy(r -> {
        assertThat(r.topic()).isEqualTo(h.topics.moderationPolicies().name());
        assertThat(r.value()).isNotNull();
      });

      // and her turns are still judged by the policy that was in force
      h.send(reply("innkeeper"));
      ModerationEvent e = h.moderation.readValue();
      assertThat(e.getViolations()).extracting(RuleViolation::getThreshold, RuleViolation::getPolicy)
          .containsExactly(tuple(100f, INNKEEPER));
      assertThat(h.policies.inForce()).containsOnlyKeys(INNKEEPER);
    }
  }

  private ChatTurn reply(String character) {
    turns++;
    return ChatTurn.newBuilder(assistant("c-" + character + turns, "a" + turns, "Mm, well met.", null))
        .setCharacterId(character).build();
  }

  private static List<String> policiesOf(ModerationEvent e) {
    return e.getViolations().stream().map(RuleViolation::getPolicy).toList();
  }

  private static ModerationRules policy(String scope, String subject, Map<String, Float> attributeMins) {
    return ModerationRules.newBuilder().setScope(scope).setSubject(subject).setAttributeMins(attributeMins)
        .setUpdatedAt(Instant.ofEpochMilli(0)).build();
  }
}
