package io.queststream.trainer.feedback;

/** Why one feedback record cannot be used: the cause code and a message naming the record. */
public record Rejection(RejectionCause cause, String message) {}
