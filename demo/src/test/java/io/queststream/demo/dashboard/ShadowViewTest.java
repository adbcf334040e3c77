package io.queststream.demo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.demo.chaos.PlumbingHeads;
import io.queststream.schemas.AttributeScore;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.ShadowScore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShadowViewTest {

  private static ShadowScore score(int i, long candidateVersion) {
    List<AttributeScore> attributes = List.of(new AttributeScore("Creativity", 0.5f, 5.5f, 1f, 1f));
    return ShadowScore.newBuilder().setTurnId("t" + i).setConversationId("c").setCharacterId("innkeeper")
        .setPolicyModel(null).setWeightsModel("quest-rm").setServingVersion(1).setCandidateVersion(candidateVersion)
        .setServingScore(i).setCandidateScore(i + 0.25f).setServingAttributes(attributes)
        .setCandidateAttributes(attributes).setServingFlagged(false).setCandidateFlagged(i == 0)
        .setScoredAt(Instant.now()).build();
  }

  @Test
  @SuppressWarnings("unchecked")
  void showsTheCandidatesWindowThenTheDecisionWithItsReasons() throws Exception {
    ShadowView view = new ShadowView();
    RewardHeads candidate = PlumbingHeads.forMiniLm(2, 9);
    candidate.setParentVersion(1L);
    view.onCandidate(candidate);
    view.onShadowScore(score(0, 2));
    view.onShadowScore(score(1, 2));
    view.onShadowScore(score(2, 7));

    Map<String, Object> s = view.snapshot();
    assertThat(s.get("candidate")).isEqualTo(2L);
    assertThat(s.get("parent")).isEqualTo(1L);
    Map<String, Object> all = (Map<String, Object>) s.get("overall");
    assertThat(all.get("turns")).isEqualTo(2L);
    assertThat(all.get("rankCorrelation")).isEqualTo(1.0);
    assertThat(all.get("flips")).isEqualTo(1L);
    assertThat(((Map<String, Object>) s.get("byPolicyModel")).keySet()).containsExactly("(none)");
    String json = new ObjectMapper().writeValueAsString(s);
    assertThat(json).contains("\"candidate\":2", "innkeeper").doesNotContain("NaN");

    view.onWithdrawn("discarded", "2", "flip rate 0.5000\nscore rank correlation 1.0000");
    Map<String, Object> after = view.snapshot();
    assertThat(after.get("candidate")).isNull();
    assertThat((List<Map<String, Object>>) after.get("decisions")).singleElement().isEqualTo(Map.of(
        "version", "2", "decision", "discarded", "turns", 2,
        "reasons", List.of("flip rate 0.5000", "score rank correlation 1.0000")));
  }
}
