package io.queststream.demo.traffic;

import io.queststream.sample.SampleDataset;
import io.queststream.schemas.ChatTurn;
import java.util.List;

/**
 * A drift for the demo to find: once {@code afterTurns} turns were sent, every reply of one character is replaced,
 * in turn, by one of the sample data's degenerate replies (spam, refusals, insults, worthless on every attribute),
 * as when the model behind a character breaks. Every attribute of that character drops, and so does her moderation
 * rate; what the streams app's drift detectors and leaderboards should show.
 */
final class DriftInjection {

  private final String characterId;
  private final long afterTurns;
  private final List<String> degenerate;
  private int next;

  DriftInjection(SampleDataset data, String characterId, long afterTurns) {
    if (data.card(characterId).isEmpty()) {
      throw new IllegalArgumentException("no character '" + characterId + "' in the sample data; characters: "
          + data.cards().stream().map(c -> c.getCharacterId()).toList());
    }
    this.characterId = characterId;
    this.afterTurns = afterTurns;
    this.degenerate = data.turns().stream()
        .filter(t -> data.trueQuality(t.getTurnId()).filter(q -> q.degenerate()).isPresent())
        .map(ChatTurn::getText)
        .toList();
  }

  /** The turn as sent after {@code sentBefore} other turns: degraded when it is the character's reply, drift on. */
  ChatTurn apply(ChatTurn turn, long sentBefore) {
    if (sentBefore < afterTurns || !turn.getRole().equals("assistant") || !characterId.equals(turn.getCharacterId())) {
      return turn;
    }
    String text = degenerate.get(next++ % degenerate.size());
    return ChatTurn.newBuilder(turn).setText(text).build();
  }
}
