package io.queststream.streams.batching;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets one restored turn at a time, across all the tasks of one app instance, be with the model. A restored turn may
 * be the one whose model call ended the process; run alone and one at a time, a call that hangs or crashes again
 * counts against that turn only, never against turns queued behind it on the same device.
 */
public final class RestoredTurnGate {

  private final AtomicReference<Object> holder = new AtomicReference<>();

  /** True when {@code owner} holds the gate now, having taken it or held it already. */
  boolean tryTake(Object owner) {
    return holder.compareAndSet(null, owner) || holder.get() == owner;
  }

  /** Frees the gate if {@code owner} holds it. */
  void release(Object owner) {
    holder.compareAndSet(owner, null);
  }
}
