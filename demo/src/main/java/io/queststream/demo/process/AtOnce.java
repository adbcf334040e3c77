package io.queststream.demo.process;

import java.util.ArrayList;
import java.util.List;

/** Runs steps side by side, e.g. the graceful stops of several children: each is a wait of its own. */
public final class AtOnce {

  private AtOnce() {}

  /** Runs every step on its own thread and returns when all have ended. */
  public static void run(List<Runnable> steps) {
    List<Thread> running = new ArrayList<>();
    for (Runnable step : steps) {
      Thread t = new Thread(step, "at-once-" + running.size());
      t.start();
      running.add(t);
    }
    for (Thread t : running) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
