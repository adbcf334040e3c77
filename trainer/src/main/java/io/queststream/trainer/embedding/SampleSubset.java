package io.queststream.trainer.embedding;

import io.queststream.sample.SampleDataset;
import io.queststream.schemas.ChatTurn;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The first conversations of a sample data set, with the feedback that is only about their turns. */
public final class SampleSubset {

  private SampleSubset() {}

  public static SampleDataset firstConversations(SampleDataset data, int count) {
    List<ChatTurn> turns = data.turnsByConversation().values().stream().limit(count)
        .flatMap(List::stream).toList();
    Set<String> ids = turns.stream().map(ChatTurn::getTurnId).collect(Collectors.toSet());
    return new SampleDataset(data.cards(), turns,
        data.ratings().stream().filter(r -> ids.contains(r.getTurnId())).toList(),
        data.preferencePairs().stream()
            .filter(p -> ids.contains(p.getChosenTurnId()) && ids.contains(p.getRejectedTurnId())).toList(),
        data.rankings().stream().filter(r -> ids.containsAll(r.getTurnIdsBestFirst())).toList(),
        data.policyElo(), data.trueQualities());
  }
}
