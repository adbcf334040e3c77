package io.queststream.bench.model;

import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import io.queststream.sample.SampleData;
import io.queststream.sample.SampleDataset;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.weights.RandomHeads;
import java.util.ArrayList;
import java.util.List;

/** Inputs of the benchmarks: the sample data's assistant turns and random heads of the design's shape. */
public final class BenchTurns {

  private BenchTurns() {}

  /** The first {@code n} assistant turns of the sample data in time order, each with its character card and history. */
  public static List<ScoringRequest> requests(int n) {
    SampleDataset data = SampleData.load();
    List<ChatTurn> replies = data.turnsInTimeOrder().stream().filter(t -> "assistant".equals(t.getRole())).toList();
    if (replies.isEmpty()) {
      throw new IllegalStateException("the sample data set has no assistant turns");
    }
    List<ScoringRequest> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ChatTurn turn = replies.get(i % replies.size());
      CharacterProfile character = data.card(turn.getCharacterId()).map(CharacterProfile::of).orElse(null);
      List<ChatMessage> history = data.history(turn.getTurnId()).stream()
          .map(h -> new ChatMessage(h.getRole(), h.getText()))
          .toList();
      out.add(new ScoringRequest(turn.getTurnId() + (i < replies.size() ? "" : "#" + i / replies.size()), character,
          history, turn.getText()));
    }
    return out;
  }

  /** Seeded heads with the design's shapes: 6 attributes, gating MLP of three hidden layers then K outputs. */
  public static RewardHeads randomHeads(String backboneId, String pooling, int dim, int hidden) {
    return RandomHeads.withGating(backboneId, pooling, dim, 1, 7, hidden, 3);
  }

  /** Heads of the same shape with other seeded values, version 2: a candidate to shadow alongside the first. */
  public static RewardHeads candidateHeads(String backboneId, String pooling, int dim, int hidden) {
    return RandomHeads.withGating(backboneId, pooling, dim, 2, 11, hidden, 3);
  }
}
