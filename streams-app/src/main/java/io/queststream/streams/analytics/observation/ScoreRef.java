package io.queststream.streams.analytics.observation;

/**
 * Where one score is on the scores topic and when its turn happened: enough to find the record again and to say
 * which weights version judged it.
 */
public record ScoreRef(String turnId, String topic, int partition, long offset, long timestamp, long weightsVersion) {}
