package io.queststream.streams.analytics.selections;

import io.queststream.schemas.TurnSelection;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * A turn selection as read, with where it was read from: it travels through a repartition topic and may wait for its
 * turn's score, and its dead letter must still carry the original record and position.
 */
public record SelectionRecord(String selectionId, String conversationId, String parentTurnId, String chosenTurnId,
    String userId, String source, long createdAtMs, String topic, int partition, long offset) {

  public static SelectionRecord of(TurnSelection s, RecordMetadata read) {
    return new SelectionRecord(s.getSelectionId(), s.getConversationId(), s.getParentTurnId(), s.getChosenTurnId(),
        s.getUserId(), s.getSource(), s.getCreatedAt().toEpochMilli(), read == null ? null : read.topic(),
        read == null ? -1 : read.partition(), read == null ? -1 : read.offset());
  }

  /** The record exactly as it was sent, for its dead letter. */
  public TurnSelection toAvro() {
    return TurnSelection.newBuilder().setSelectionId(selectionId).setConversationId(conversationId)
        .setParentTurnId(parentTurnId).setChosenTurnId(chosenTurnId).setUserId(userId).setSource(source)
        .setCreatedAt(Instant.ofEpochMilli(createdAtMs)).build();
  }
}
