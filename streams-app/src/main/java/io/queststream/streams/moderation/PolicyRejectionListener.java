package io.queststream.streams.moderation;

/** Told of every moderation-policies record refused. */
@FunctionalInterface
public interface PolicyRejectionListener {

  void rejected(PolicyRejection rejection);
}
