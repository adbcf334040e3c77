package io.queststream.streams.analytics.drift;

import java.util.Map;

/**
 * The drift detectors of one policy model or character, one per attribute, as the changelogged store keeps them.
 *
 * @param lastSeenMs wall-clock time of the key's last score, for idle expiry
 */
public record KeyDetectors(long lastSeenMs, Map<String, PageHinkley> attributes) {

  public static KeyDetectors empty() {
    return new KeyDetectors(0, Map.of());
  }

  public boolean idleSince(long nowMs, long idleMs) {
    return nowMs - lastSeenMs >= idleMs;
  }
}
