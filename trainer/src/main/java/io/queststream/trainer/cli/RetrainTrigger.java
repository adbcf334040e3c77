package io.queststream.trainer.cli;

import java.time.Duration;

/** Decides when continuous mode retrains: N new joined records, or T elapsed with anything new; one run at a time. */
final class RetrainTrigger {

  private final long everyRecords;
  private final long everyMillis;
  private long acceptedAtLastRun;
  private long lastRunMillis;
  private boolean running;
  private String reason = "";

  RetrainTrigger(long everyRecords, Duration every, long acceptedAtStart) {
    this.everyRecords = everyRecords;
    this.everyMillis = every.toMillis();
    this.acceptedAtLastRun = acceptedAtStart;
    this.lastRunMillis = System.currentTimeMillis();
  }

  synchronized boolean due(long accepted, long now) {
    if (running) {
      return false;
    }
    long fresh = accepted - acceptedAtLastRun;
    if (everyRecords > 0 && fresh >= everyRecords) {
      reason = fresh + " new feedback records";
      return true;
    }
    if (everyMillis > 0 && fresh > 0 && now - lastRunMillis >= everyMillis) {
      reason = "timer, " + fresh + " new feedback records";
      return true;
    }
    return false;
  }

  synchronized void started(long accepted, long now) {
    running = true;
    acceptedAtLastRun = accepted;
    lastRunMillis = now;
  }

  synchronized void finished() {
    running = false;
  }

  synchronized String reason() {
    return reason;
  }
}
