package io.queststream.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.sample.SampleData;
import io.queststream.sample.SampleDataset;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.TurnSelection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FeedbackReplayTest {

  private static final SampleDataset DATA = SampleData.load();

  @Test
  void eachUsersPickAmongRegenerationsGoesOutOnceAsASelectionAfterItsLastReplyAndNeverAsPairs() {
    // given the sample data's user picks: per parent, the kept reply over each other regeneration
    Map<String, Set<String>> chosenByParent = DATA.preferencePairs().stream()
        .filter(p -> p.getSource().equals(FeedbackReplay.USER_PICK))
        .collect(Collectors.groupingBy(PreferencePair::getContextId,
            Collectors.mapping(PreferencePair::getChosenTurnId, Collectors.toSet())));
    FeedbackReplay replay = new FeedbackReplay(DATA);

    // when every turn is sent in order, in the second pass
    List<FeedbackReplay.Feedback> sent = new ArrayList<>();
    Map<String, Integer> sentBefore = new HashMap<>();
    for (List<ChatTurn> conversation : DATA.turnsByConversation().values()) {
      for (ChatTurn t : conversation) {
        sentBefore.put(t.getTurnId(), sent.size());
        replay.after(t.getTurnId(), 2).forEach(sent::add);
      }
    }

    // then one selection per parent, keyed by its conversation, naming the kept reply, with the pass suffix
    List<FeedbackReplay.Feedback> selections =
        sent.stream().filter(f -> f.topicKind().equals("selections")).toList();
    assertThat(chosenByParent).isNotEmpty().allSatisfy((parent, chosen) -> assertThat(chosen).hasSize(1));
    assertThat(selections).hasSize(chosenByParent.size());
    for (FeedbackReplay.Feedback f : selections) {
      TurnSelection s = (TurnSelection) f.value();
      String parent = s.getParentTurnId().replace("~p2", "");
      assertThat(s.getParentTurnId()).endsWith("~p2");
      assertThat(f.key()).isEqualTo(s.getConversationId()).endsWith("~p2");
      assertThat(s.getChosenTurnId()).isEqualTo(chosenByParent.get(parent).iterator().next() + "~p2");
      assertThat(s.getSource()).isEqualTo("swipe");
      // and it is released only once every regeneration of its parent was sent
      int releasedAt = sent.indexOf(f);
      assertThat(DATA.alternatives(parent)).hasSizeGreaterThan(1)
          .allSatisfy(reply -> assertThat(sentBefore.get(reply.getTurnId())).isLessThanOrEqualTo(releasedAt));
    }
    // and no user pick is replayed as a pair any more
    assertThat(sent).filteredOn(f -> f.value() instanceof PreferencePair)
        .noneMatch(f -> ((PreferencePair) f.value()).getSource().equals(FeedbackReplay.USER_PICK))
        .isNotEmpty();
  }
}
