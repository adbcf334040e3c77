package io.queststream.demo.process;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** Owns the demo's child processes; stops them in reverse start order exactly once (Ctrl-C or error). */
public final class Supervisor implements AutoCloseable {

  private final Deque<ManagedProcess> running = new ArrayDeque<>();
  private boolean closed;

  public synchronized ManagedProcess adopt(ManagedProcess p) {
    if (closed) {
      p.close();
      throw new IllegalStateException("shutting down");
    }
    running.push(p);
    return p;
  }

  /** Stops watching a one-shot child that has finished its work. */
  public synchronized void release(ManagedProcess p) {
    running.remove(p);
  }

  /** The first child that died on its own, if any. */
  public synchronized Optional<ManagedProcess> firstDead() {
    return running.stream().filter(p -> !p.isAlive()).findFirst();
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!running.isEmpty()) {
      ManagedProcess p = running.pop();
      System.out.println("    stopping " + p.name() + " (pid " + p.pid() + ")");
      p.close();
    }
  }
}
