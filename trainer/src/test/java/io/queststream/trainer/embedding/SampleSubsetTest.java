package io.queststream.trainer.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.sample.SampleData;
import io.queststream.sample.SampleDataset;
import io.queststream.schemas.ChatTurn;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SampleSubsetTest {

  @Test
  void keepsTheFirstConversationsAndOnlyTheFeedbackAboutTheirTurns() {
    SampleDataset all = SampleData.load();

    SampleDataset subset = SampleSubset.firstConversations(all, 10);

    assertThat(subset.turnsByConversation()).hasSize(10);
    assertThat(subset.turnsByConversation().keySet())
        .containsExactlyElementsOf(all.turnsByConversation().keySet().stream().limit(10).toList());
    Set<String> ids = subset.turns().stream().map(ChatTurn::getTurnId).collect(Collectors.toSet());
    assertThat(subset.ratings()).isNotEmpty().allMatch(r -> ids.contains(r.getTurnId()));
    assertThat(subset.preferencePairs()).isNotEmpty()
        .allMatch(p -> ids.contains(p.getChosenTurnId()) && ids.contains(p.getRejectedTurnId()));
    assertThat(subset.ratings().size()).isLessThan(all.ratings().size());
    assertThat(subset.cards()).hasSameSizeAs(all.cards());
  }
}
