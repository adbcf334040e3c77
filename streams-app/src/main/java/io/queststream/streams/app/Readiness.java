package io.queststream.streams.app;

import java.util.List;

/** Whether the app should receive traffic, and if not, every reason why not. */
public record Readiness(List<String> reasons) {
  public Readiness {
    reasons = List.copyOf(reasons);
  }

  public boolean ready() {
    return reasons.isEmpty();
  }
}
