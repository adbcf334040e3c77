package io.queststream.trainer.feedback;

/** Where a feedback record came from and its original bytes, kept so a rejection can forward them unchanged. */
public record SourceRecord(String topic, int partition, long offset, byte[] key, byte[] value) {

  public static SourceRecord local(String what) {
    return new SourceRecord(what, -1, -1, null, null);
  }
}
