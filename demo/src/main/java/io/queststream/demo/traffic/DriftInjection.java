package io.queststream.demo.traffic;

import io.queststream.sample.QualityLevel;
import io.queststream.sample.QuestAttribute;
import io.queststream.sample.SampleDataset;
import io.queststream.schemas.ChatTurn;
import java.util.List;

/**
 * A drift for the demo to find: once {@code afterTurns} turns were sent, every reply of one character is replaced by
 * one of that character's sample replies built out of character (Character Consistency POOR: "As an AI language
 * model...", OOC notes, assistant register), in turn. The character's Character Consistency drops while its other
 * attributes keep their mix, which is what the streams app's drift detectors should report.
 */
final class DriftInjection {

  private final String characterId;
  private final long afterTurns;
  private final List<String> outOfCharacter;
  private int next;

  DriftInjection(SampleDataset data, String characterId, long afterTurns) {
    this.characterId = characterId;
    this.afterTurns = afterTurns;
    this.outOfCharacter = data.turns().stream()
        .filter(t -> t.getRole().equals("assistant") && characterId.equals(t.getCharacterId()))
        .filter(t -> data.trueQuality(t.getTurnId()).filter(q -> !q.degenerate()
            && q.level(QuestAttribute.CHARACTER_CONSISTENCY) == QualityLevel.POOR).isPresent())
        .map(ChatTurn::getText)
        .toList();
    if (outOfCharacter.isEmpty()) {
      throw new IllegalArgumentException("the sample data has no out-of-character reply of '" + characterId
          + "'; characters: " + data.cards().stream().map(c -> c.getCharacterId()).toList());
    }
  }

  /** The turn as sent after {@code sentBefore} other turns: degraded when it is the character's reply, drift on. */
  ChatTurn apply(ChatTurn turn, long sentBefore) {
    if (sentBefore < afterTurns || !turn.getRole().equals("assistant") || !characterId.equals(turn.getCharacterId())) {
      return turn;
    }
    String text = outOfCharacter.get(next++ % outOfCharacter.size());
    return ChatTurn.newBuilder(turn).setText(text).build();
  }
}
