package io.queststream.trainer.embedding;

import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import io.queststream.sample.SampleDataset;
import io.queststream.schemas.ChatTurn;
import java.util.List;

/** The sample data set's assistant turns as requests to embed, each with its card and conversation so far. */
public final class SampleTurns {

  private SampleTurns() {}

  public static List<TurnEmbedder.Turn> assistantTurns(SampleDataset data) {
    return data.turns().stream().filter(t -> "assistant".equals(t.getRole())).map(t -> turn(data, t)).toList();
  }

  private static TurnEmbedder.Turn turn(SampleDataset data, ChatTurn t) {
    CharacterProfile character = t.getCharacterId() == null ? null
        : data.card(t.getCharacterId()).map(CharacterProfile::of).orElse(null);
    List<ChatMessage> history = data.history(t.getTurnId()).stream()
        .map(h -> new ChatMessage(h.getRole(), h.getText())).toList();
    return new TurnEmbedder.Turn(new ScoringRequest(t.getTurnId(), character, history, t.getText()),
        t.getConversationId(), t.getCharacterId(), t.getPolicyModel(), t.getParentTurnId());
  }
}
