package io.queststream.streams.batching;

import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import io.queststream.schemas.ChatTurn;
import io.queststream.streams.history.HistoryMessage;
import io.queststream.streams.history.ScoringTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * An assistant turn waiting in the micro-batch buffer store, with the context it is scored against. The turn is
 * kept as Avro single-object bytes so that a dead letter written after a restart still carries the full record.
 *
 * @param key record key (conversation_id)
 * @param recordTimestamp timestamp of the chat-turns record, inherited by every output
 * @param enqueuedAtMs wall-clock time the turn entered the buffer (queue wait)
 * @param tokens the turn's length as the scorer tokenized it (token budget)
 * @param source where the turn was read from, for its dead letter (null when unknown)
 * @param modelCalls model calls this turn may have had that never returned an outcome: 1 from the start (it may be
 *     handed over before the next commit), one more before each hand-over after a restart (0 in entries written
 *     before this count existed, read as 1)
 */
public record PendingTurn(String key, byte[] turn, List<HistoryMessage> context, CharacterProfile character,
    boolean truncated, long recordTimestamp, long enqueuedAtMs, int tokens, SourcePosition source, int modelCalls) {

  /** ChatTurn metadata key of the user's persona name. */
  public static final String USER_NAME_METADATA = "user_name";

  public static PendingTurn of(String key, ScoringTask task, long recordTimestamp, long nowMs, int tokens,
      SourcePosition source) {
    try {
      ByteBuffer encoded = task.turn().toByteBuffer();
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      return new PendingTurn(key, bytes, task.context().messages(), task.character(), task.context().truncated(),
          recordTimestamp, nowMs, tokens, source, 1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode turn " + task.turn().getTurnId(), e);
    }
  }

  /** Model calls this turn may have had without an outcome; at least 1, since it may have been handed over. */
  public int callsWithoutOutcome() {
    return Math.max(1, modelCalls);
  }

  /** This entry counting one more model call, written (and committed) before the call starts. */
  public PendingTurn withOneMoreCall() {
    return new PendingTurn(key, turn, context, character, truncated, recordTimestamp, enqueuedAtMs, tokens, source,
        callsWithoutOutcome() + 1);
  }

  public static ScoringRequest request(ScoringTask task) {
    return request(task.turn(), task.context().messages(), task.character());
  }

  public ChatTurn chatTurn() {
    try {
      return ChatTurn.fromByteBuffer(ByteBuffer.wrap(turn));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a buffered turn", e);
    }
  }

  public ScoringRequest request() {
    return request(chatTurn(), context, character);
  }

  private static ScoringRequest request(ChatTurn turn, List<HistoryMessage> context, CharacterProfile character) {
    List<ChatMessage> history = context.stream().map(m -> new ChatMessage(m.role(), m.text())).toList();
    return new ScoringRequest(turn.getTurnId(), character, history, turn.getText(), userName(turn));
  }

  /** The user's persona name, which {{user}} in the card and the messages stands for; absent means "User". */
  private static String userName(ChatTurn turn) {
    return turn.getMetadata() == null ? null : turn.getMetadata().get(USER_NAME_METADATA);
  }
}
