package io.queststream.streams.moderation;

/**
 * A refused moderation-policies record and where it was read.
 *
 * @param value the record as read (null for a tombstone with a bad key)
 */
public record PolicyRejection(String key, byte[] value, InvalidPolicyException.Reason reason, String message,
    String topic, int partition, long offset) {}
