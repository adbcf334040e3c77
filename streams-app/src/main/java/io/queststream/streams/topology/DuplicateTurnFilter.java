package io.queststream.streams.topology;

import io.queststream.schemas.ChatTurn;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.topology.TurnRejection.Reason;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Rejects a valid turn whose turn id its conversation has already used, so that each turn is scored once and enters
 * the history once. The ids live in a changelogged window store keyed by conversation and turn id: it is restored
 * after a crash as of the last commit (under exactly-once the remembered ids and the outputs commit together) and it
 * forgets ids once the retention has passed, which bounds its size without a scan.
 *
 * <p>Ids are remembered by wall-clock arrival time, not by the record's timestamp, so a producer with a skewed or
 * replayed timestamp neither escapes the check nor ages entries out early. Regenerations carry their own turn ids and
 * pass. The check is per conversation because the input is partitioned by conversation: the same id in another
 * conversation is another turn, scored under its own key.
 */
public final class DuplicateTurnFilter implements FixedKeyProcessor<String, ValidatedTurn, ValidatedTurn> {

  /** Offset recorded when the first copy's position is unknown. */
  private static final long UNKNOWN_OFFSET = -1;

  private final String storeName;
  private final Duration retention;
  private final ScoringMetrics metrics;
  private FixedKeyProcessorContext<String, ValidatedTurn> context;
  private WindowStore<String, Long> seen;

  public DuplicateTurnFilter(String storeName, Duration retention, ScoringMetrics metrics) {
    this.storeName = storeName;
    this.retention = retention;
    this.metrics = metrics;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, ValidatedTurn> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
  }

  @Override
  public void process(FixedKeyRecord<String, ValidatedTurn> record) {
    ValidatedTurn validated = record.value();
    if (validated.rejected()) {
      context.forward(record);
      return;
    }
    ChatTurn turn = validated.turn();
    String key = storeKey(turn);
    long now = context.currentSystemTimeMs();
    Long firstOffset = firstCopyOffset(key, now);
    if (firstOffset != null) {
      metrics.duplicateTurn();
      context.forward(record.withValue(new ValidatedTurn(turn, duplicate(turn, firstOffset))));
      return;
    }
    seen.put(key, context.recordMetadata().map(RecordMetadata::offset).orElse(UNKNOWN_OFFSET), now);
    context.forward(record);
  }

  private Long firstCopyOffset(String key, long now) {
    try (WindowStoreIterator<Long> it = seen.fetch(key, now - retention.toMillis(), now)) {
      return it.hasNext() ? it.next().value : null;
    }
  }

  private TurnRejection duplicate(ChatTurn turn, long firstOffset) {
    String where = firstOffset == UNKNOWN_OFFSET ? "" : " (first copy at offset " + firstOffset + ")";
    return new TurnRejection(Reason.DUPLICATE_TURN_ID, "turn " + turn.getTurnId() + " of conversation "
        + turn.getConversationId() + " was already received" + where + "; a turn id is scored once");
  }

  /** Conversation and turn id, length-prefixed so that no pair of ids can spell another pair's key. */
  static String storeKey(ChatTurn turn) {
    return turn.getConversationId().length() + ":" + turn.getConversationId() + turn.getTurnId();
  }
}
