package io.queststream.trainer.cycle;

import java.time.Duration;

/** Decides when continuous mode retrains: N new joined records, or T elapsed with anything new; one run at a time. */
public final class RetrainTrigger {

  private final long everyRecords;
  private final long everyMillis;
  private long acceptedAtLastRun;
  private long lastRunMillis;
  private boolean running;
  private String reason = "";

  public RetrainTrigger(long everyRecords, Duration every, long acceptedAtStart) {
    this.everyRecords = everyRecords;
    this.everyMillis = every.toMillis();
    this.acceptedAtLastRun = acceptedAtStart;
    this.lastRunMillis = System.currentTimeMillis();
  }

  public synchronized boolean due(long accepted, long now) {
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

  public synchronized void started(long accepted, long now) {
    running = true;
    acceptedAtLastRun = accepted;
    lastRunMillis = now;
  }

  public synchronized void finished() {
    running = false;
  }

  public synchronized String reason() {
    return reason;
  }
}
