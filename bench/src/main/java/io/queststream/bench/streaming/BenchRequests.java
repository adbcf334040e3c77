package io.queststream.bench.streaming;

import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.streams.config.HistoryConfig;
import io.queststream.streams.history.ConversationContext;
import io.queststream.streams.history.ConversationHistory;
import io.queststream.streams.history.HistoryMessage;
import io.queststream.streams.topology.TurnValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The scoring requests the topology builds for a sequence of turns, built the same way (same history bounds and
 * parent links) without Kafka: what the raw model runs on.
 */
final class BenchRequests {

  private BenchRequests() {}

  static List<ScoringRequest> of(List<ChatTurn> turns, List<CharacterCard> cards, HistoryConfig limits,
      ToIntFunction<String> messageTokens) {
    Map<String, CharacterProfile> profiles = new HashMap<>();
    cards.forEach(c -> profiles.put(c.getCharacterId(), CharacterProfile.of(c)));
    Map<String, ConversationHistory> histories = new HashMap<>();
    List<ScoringRequest> requests = new ArrayList<>();
    for (ChatTurn t : turns) {
      ConversationHistory h = histories.getOrDefault(t.getConversationId(), ConversationHistory.empty());
      if (TurnValidator.ASSISTANT.equals(t.getRole())) {
        ConversationContext ctx = h.contextFor(t.getParentTurnId());
        List<ChatMessage> history = ctx.messages().stream().map(m -> new ChatMessage(m.role(), m.text())).toList();
        CharacterProfile card = t.getCharacterId() == null ? null : profiles.get(t.getCharacterId());
        requests.add(new ScoringRequest(t.getTurnId(), card, history, t.getText()));
      }
      int tokens = messageTokens.applyAsInt(t.getText());
      histories.put(t.getConversationId(), h.append(
          new HistoryMessage(t.getTurnId(), t.getRole(), t.getText(), tokens, t.getParentTurnId()), 0, limits));
    }
    return requests;
  }
}
